import { ScanFormat, ParseError } from './types.js';
import { baselineOf, parseSample, parseText, rejectionsOf } from '../../../test/helpers/scan-samples.js';

describe('XCCDF results parser on the real sample', () => {
  // The README says "5 rule results: 2 fail, 2 pass, 1 notselected": that counts the
  // <old-result>fail</old-result>/<new-result>pass</new-result> of an override. The file has 3
  // <rule-result> elements: fail, pass (overridden from fail), notselected. DefectDojo: 1 (the fail).
  it('ios-sample-v1.1.3.xccdf.xml: 3 rule results, 1 failed, titles and fixes from the <Rule>s', async () => {
    const { events, summary } = await parseSample(ScanFormat.XCCDF, 'openscap/ios-sample-v1.1.3.xccdf.xml');
    expect(summary).toMatchObject({ baselineItems: 3, rejected: 0 });
    expect(baselineOf(events)).toEqual([
      { scanner: 'xccdf', checkId: 'ios12-no-finger-service', title: 'IOS 12 - no IP finger service', status: 'FAIL', passed: false, level: 'MEDIUM', section: 'ios-test-1', target: 'lower.test.net', remediation: 'no ip finger' },
      { scanner: 'xccdf', checkId: 'req-exec-timeout', title: 'Require exec timeout on admin sessions', status: 'PASS', passed: true, level: 'MEDIUM', section: 'ios-test-1', target: 'lower.test.net', remediation: 'line console\n             exec-timeout 10 0' },
      { scanner: 'xccdf', checkId: 'ios12-no-finger-service', title: 'IOS 12 - no IP finger service', status: 'NOT_SELECTED', passed: false, level: 'MEDIUM', section: 'ios-test-1', target: 'lower.test.net', remediation: 'no ip finger' },
    ]);
  });
});

const doc = (results: string) =>
  `<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="b1"><Rule id="r1" severity="high"><title>Rule one</title><fixtext>Fix one</fixtext></Rule><TestResult id="t"><target>host-1</target>${results}</TestResult></Benchmark>`;

describe('XCCDF parser details and malformed input', () => {
  it('uses the rule severity, unknown rules keep their id as title, bad results are rejected', async () => {
    const { events } = await parseText(
      ScanFormat.XCCDF,
      doc('<rule-result idref="r1"><result>fail</result></rule-result><rule-result idref="r2" severity="low"><result>error</result></rule-result><rule-result idref="r3"><result>weird</result></rule-result><rule-result><result>pass</result></rule-result>'),
    );
    expect(baselineOf(events).map((i) => [i.checkId, i.title, i.status, i.level, i.remediation])).toEqual([
      ['r1', 'Rule one', 'FAIL', 'HIGH', 'Fix one'],
      ['r2', 'r2', 'ERROR', 'LOW', undefined],
    ]);
    expect(rejectionsOf(events)).toEqual([
      { index: 3, reason: 'rule-result r3 has an unknown result "weird"' },
      { index: 4, reason: 'rule-result has no idref' },
    ]);
  });

  it('reads a standalone <TestResult> document', async () => {
    const { events } = await parseText(ScanFormat.XCCDF, '<xccdf:TestResult xmlns:xccdf="urn:x"><xccdf:rule-result idref="a"><xccdf:result>pass</xccdf:result></xccdf:rule-result></xccdf:TestResult>');
    expect(baselineOf(events)).toEqual([expect.objectContaining({ checkId: 'a', status: 'PASS', passed: true })]);
  });

  it.each([
    ['an OVAL file', '<oval_results/>', /expected <Benchmark> or <TestResult> or <asset-report-collection>/],
    ['a truncated file', doc('').slice(0, 90), /malformed XML/],
  ])('fails on %s with a ParseError', async (_what, input, reason) => {
    const r = parseText(ScanFormat.XCCDF, input);
    await expect(r).rejects.toThrow(ParseError);
    await expect(r).rejects.toThrow(reason);
  });
});
