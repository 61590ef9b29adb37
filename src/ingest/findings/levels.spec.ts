import { cvssLevel, kubeBenchLevel, nucleiLevel, openvasLevel, xccdfLevel, zapLevel } from './levels.js';

describe('level mapping', () => {
  it.each([
    [10, 'CRITICAL'], [9, 'CRITICAL'], [8.9, 'HIGH'], [7, 'HIGH'], [6.9, 'MEDIUM'], [4, 'MEDIUM'], [3.9, 'LOW'], [0.1, 'LOW'], [0, 'INFO'], [-1, 'INFO'], [Number.NaN, 'INFO'],
  ])('CVSS %p -> %s', (score, level) => expect(cvssLevel(score)).toBe(level));

  it.each([
    ['critical', 'CRITICAL'], ['HIGH', 'HIGH'], ['medium', 'MEDIUM'], ['low', 'LOW'], ['info', 'INFO'], ['unknown', 'INFO'], [undefined, 'INFO'], [42, 'INFO'],
  ])('nuclei %p -> %s', (severity, level) => expect(nucleiLevel(severity)).toBe(level));

  it.each([
    ['3', '2', 'HIGH'], ['3', '4', 'CRITICAL'], ['3', '0', 'INFO'], ['2', '3', 'MEDIUM'], ['1', '1', 'LOW'], ['0', '3', 'INFO'], ['x', '2', 'INFO'],
  ])('ZAP riskcode %s confidence %s -> %s', (risk, confidence, level) => expect(zapLevel(risk, confidence)).toBe(level));

  it.each([
    ['High', '10.0', 'CRITICAL'], ['High', '7.5', 'HIGH'], ['Medium', '5.0', 'MEDIUM'], ['Low', '2.1', 'LOW'], ['Log', '0.0', 'INFO'], ['High', '', 'HIGH'], ['Medium', undefined, 'MEDIUM'], ['Log', 'n/a', 'INFO'], ['False Positive', '-1.0', 'INFO'],
  ])('OpenVAS threat %s severity %p -> %s', (threat, severity, level) => expect(openvasLevel(threat, severity)).toBe(level));

  it.each([['high', 'HIGH'], ['medium', 'MEDIUM'], ['low', 'LOW'], ['info', 'INFO'], ['unknown', 'MEDIUM'], [undefined, 'MEDIUM']])(
    'XCCDF %p -> %s',
    (severity, level) => expect(xccdfLevel(severity)).toBe(level),
  );

  it('kube-bench: scored checks MEDIUM, manual ones LOW', () => {
    expect(kubeBenchLevel(true)).toBe('MEDIUM');
    expect(kubeBenchLevel(false)).toBe('LOW');
    expect(kubeBenchLevel(undefined)).toBe('LOW');
  });
});
