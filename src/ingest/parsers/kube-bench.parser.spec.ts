import { readFile } from 'node:fs/promises';
import { ScanFormat, ParseError } from './types.js';
import { baselineOf, countBy, parseSample, parseText, rejectionsOf, samplePath } from '../../../test/helpers/scan-samples.js';

// xsc keeps every check result (passed ones too: a baseline shows what passes); DefectDojo
// makes findings of the failed ones only, which is what we compare with.
describe('kube-bench JSON parser on the real samples', () => {
  it('kube-bench-report-zero-vuln.json: 23 checks, all PASS (DefectDojo 0)', async () => {
    const { events, summary } = await parseSample(ScanFormat.KUBE_BENCH, 'kubebench/kube-bench-report-zero-vuln.json');
    const items = baselineOf(events);
    expect(summary).toMatchObject({ baselineItems: 23, rejected: 0 });
    expect(items.filter((i) => !i.passed)).toHaveLength(0);
  });

  it('kube-bench-report-many-vuln.json: 24 checks, 4 FAIL (DefectDojo 4)', async () => {
    const { events } = await parseSample(ScanFormat.KUBE_BENCH, 'kubebench/kube-bench-report-many-vuln.json');
    const items = baselineOf(events);
    expect(items).toHaveLength(24);
    expect(countBy(items, (i) => i.status)).toEqual({ PASS: 20, FAIL: 4 });
    expect(items.filter((i) => !i.passed).map((i) => i.checkId)).toEqual(['3.1.1', '4.1.2', '4.1.5', '4.2.11']);
    expect(items[0]).toMatchObject({
      scanner: 'kube-bench',
      checkId: '3.1.1',
      title: 'Client certificate authentication should not be used for users(Manual)',
      status: 'FAIL',
      passed: false,
      level: 'LOW', // manual (not scored) check
      section: '3.1 Authentication and Authorization',
      target: 'node',
    });
    expect(items.find((i) => i.checkId === '4.1.2')).toMatchObject({ level: 'MEDIUM', remediation: expect.stringMatching(/^Run the below command/) });
  });

  it('reads the newer {"Controls": [...]} layout the same way', async () => {
    const text = await readFile(samplePath('kubebench/kube-bench-report-many-vuln.json'), 'utf8');
    const wrapped = `{"Controls": ${text}, "Totals": {"total_pass": 20, "total_fail": 4}}`;
    const plain = await parseText(ScanFormat.KUBE_BENCH, text);
    const { events } = await parseText(ScanFormat.KUBE_BENCH, wrapped);
    expect(baselineOf(events)).toEqual(baselineOf(plain.events));
  });
});

const control = (results: unknown[]) => JSON.stringify({ Controls: [{ id: '1', text: 'Master', node_type: 'master', tests: [{ section: '1.1', desc: 'Files', results }] }] });
const result = (n: string, status: string) => ({ test_number: n, test_desc: `check ${n}`, status, scored: true, expected_result: 'x', actual_value: 'y', remediation: 'do it' });

describe('kube-bench parser on malformed input', () => {
  it('rejects results without number or with an unknown status, keeping the others', async () => {
    const { events } = await parseText(ScanFormat.KUBE_BENCH, control([result('1.1.1', 'WARN'), { status: 'PASS' }, result('1.1.3', 'MAYBE'), 'text']));
    expect(baselineOf(events)).toEqual([
      { scanner: 'kube-bench', checkId: '1.1.1', title: 'check 1.1.1', status: 'WARN', passed: false, level: 'MEDIUM', section: '1.1 Files', target: 'master', expected: 'x', actual: 'y', remediation: 'do it' },
    ]);
    expect(rejectionsOf(events)).toEqual([
      { index: 2, reason: 'result has no test_number' },
      { index: 3, reason: 'result 1.1.3 has an unknown status "MAYBE"' },
      { index: 4, reason: 'result is not an object' },
    ]);
  });

  it.each([
    ['an empty file', '', /the file is empty/],
    ['a text report', '[INFO] 1 Master Node Security Configuration', /malformed JSON/],
    ['XML', '<x/>', /not a JSON object or array/],
    ['JSON that is not kube-bench', '{"foo": [1, 2]}', /no kube-bench controls with "tests" found/],
    ['a nuclei result', '{"template-id": "x", "info": {}}', /no kube-bench controls/],
    ['a truncated report', control([result('1', 'PASS')]).slice(0, 60), /malformed JSON/],
  ])('fails on %s with a ParseError', async (_what, input, reason) => {
    const r = parseText(ScanFormat.KUBE_BENCH, input);
    await expect(r).rejects.toThrow(ParseError);
    await expect(r).rejects.toThrow(reason);
  });
});
