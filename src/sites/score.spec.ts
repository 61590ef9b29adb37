import { riskLevel, securityScore, type LevelCounts } from './score.js';

const open = (o: Partial<LevelCounts>): LevelCounts => ({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0, ...o });

describe('security score and risk level', () => {
  it('is 100 without open findings and falls with each level, within its cap', () => {
    expect(securityScore(open({}))).toBe(100);
    expect(securityScore(open({ INFO: 3 }))).toBe(97);
    expect(securityScore(open({ INFO: 1000 }))).toBe(95);
    expect(securityScore(open({ LOW: 2, MEDIUM: 1 }))).toBe(86);
    expect(securityScore(open({ HIGH: 2 }))).toBe(60);
    expect(securityScore(open({ HIGH: 10 }))).toBe(50);
    expect(securityScore(open({ CRITICAL: 1 }))).toBe(50);
    expect(securityScore(open({ CRITICAL: 3, HIGH: 3 }))).toBe(0);
  });

  it('one critical outweighs any number of infos, lows and mediums', () => {
    expect(securityScore(open({ CRITICAL: 1 }))).toBeLessThan(securityScore(open({ INFO: 10_000 })));
    expect(securityScore(open({ CRITICAL: 1 }))).toBeLessThan(securityScore(open({ LOW: 10_000, INFO: 10_000 })));
  });

  it('risk level is the highest open level; infos alone are LOW', () => {
    expect(riskLevel(open({}))).toBe('NONE');
    expect(riskLevel(open({ INFO: 1 }))).toBe('LOW');
    expect(riskLevel(open({ LOW: 1, MEDIUM: 1 }))).toBe('MEDIUM');
    expect(riskLevel(open({ HIGH: 1, INFO: 5 }))).toBe('HIGH');
    expect(riskLevel(open({ CRITICAL: 1 }))).toBe('CRITICAL');
  });
});
