import { ScanFormat, ParseError } from './types.js';
import { countBy, distinctFingerprints, findingsOf, parseSample, parseText, rejectionsOf } from '../../../test/helpers/scan-samples.js';

// xsc's unit for OpenVAS is DefectDojo's: one finding per <result>. Expected figures below
// were computed independently with Python's ElementTree.
describe('OpenVAS/GVM XML parser on the real samples', () => {
  it('no_vuln.xml: a report without results gives nothing (DefectDojo 0)', async () => {
    const { events } = await parseSample(ScanFormat.OPENVAS, 'openvas/no_vuln.xml');
    expect(events).toEqual([]);
  });

  it('one_vuln.xml: 1 result with its NVT, CVEs, solution and detection output (DefectDojo 1)', async () => {
    const { events } = await parseSample(ScanFormat.OPENVAS, 'openvas/one_vuln.xml');
    const [f] = findingsOf(events);
    expect(findingsOf(events)).toHaveLength(1);
    expect(f).toMatchObject({
      scanner: 'openvas',
      checkId: '1.3.6.1.4.1.25623.1.0.832260',
      name: 'Mozilla Firefox Security Update (mfsa_2023-32_2023-36) - Windows',
      // GVM says "High" for severity 10.0; xsc uses the CVSS v3 bands, so 10.0 is CRITICAL
      level: 'CRITICAL',
      kind: 'General',
      host: '10.0.101.2',
      port: undefined, // "general/tcp": not a port
      references: ['https://www.mozilla.org/en-US/security/advisories/mfsa2023-34/'],
      solution: 'Upgrade to version 117 or later,\nPlease see the references for more information.',
      extras: expect.objectContaining({ port: 'general/tcp', threat: 'High', severity: 10, qod: '97' }),
    });
    expect(f.cve).toHaveLength(12);
    expect(f.cve[0]).toBe('CVE-2023-4573');
    expect(f.description).toMatch(/^Mozilla Firefox is prone to multiple vulnerabilities\.\n\nMultiple flaws exist/);
    expect(f.evidence).toMatch(/^Installed version: 116\.0\.3\nFixed version: {5}117/);
  });

  it('many_vuln.xml: 44 results (DefectDojo 44), 44 fingerprints, ports from "512/tcp"', async () => {
    const { events, summary } = await parseSample(ScanFormat.OPENVAS, 'openvas/many_vuln.xml');
    const findings = findingsOf(events);
    expect(summary).toMatchObject({ findings: 44, rejected: 0 });
    expect(distinctFingerprints(findings)).toBe(44);
    expect(countBy(findings, (f) => f.level)).toEqual({ CRITICAL: 8, HIGH: 11, MEDIUM: 25 });
    expect(findings[0]).toMatchObject({ port: 512, host: '192.168.1.1001' });
    expect(findings.reduce((n, f) => n + f.cve.length, 0)).toBe(55);
  });
});

const result = (inner: string, oid = '1.3.6.1.4.1.25623.1.0.1') =>
  `<result id="r"><name>N</name><host>10.0.0.1<hostname>h.example</hostname></host><port>443/tcp</port><nvt oid="${oid}"><name>N</name><family>Web</family><tags>summary=S|solution=Fix it</tags><refs><ref type="cve" id="cve-2020-1234"/></refs></nvt><threat>Medium</threat><severity>5.0</severity>${inner}</result>`;
const report = (results: string) => `<report id="a"><report id="b"><results>${results}</results><ports><port>443/tcp<host>10.0.0.1</host></port></ports></report></report>`;

describe('OpenVAS parser on malformed input', () => {
  it('reads a minimal result and ignores <result>-like elements outside <results>', async () => {
    const { events } = await parseText(ScanFormat.OPENVAS, report(result('<description>found</description>')));
    expect(findingsOf(events)).toEqual([
      expect.objectContaining({ level: 'MEDIUM', port: 443, cve: ['CVE-2020-1234'], solution: 'Fix it', description: 'S', evidence: 'found', extras: expect.objectContaining({ hostname: 'h.example' }) }),
    ]);
  });

  it('rejects a result without NVT oid or host, keeping the others', async () => {
    const noOid = result('').replace(/ oid="[^"]*"/, '');
    const noHost = result('').replace(/<host>.*?<\/host>/, '');
    const { events } = await parseText(ScanFormat.OPENVAS, report(noOid + result('') + noHost));
    expect(findingsOf(events)).toHaveLength(1);
    expect(rejectionsOf(events)).toEqual([
      { index: 1, reason: 'result has no NVT oid' },
      { index: 3, reason: 'result has no host' },
    ]);
  });

  it('falls back to the threat when severity is missing', async () => {
    const { events } = await parseText(ScanFormat.OPENVAS, report(result('').replace('<severity>5.0</severity>', '').replace('Medium', 'High')));
    expect(findingsOf(events)[0].level).toBe('HIGH');
  });

  it.each([
    ['a ZAP report', '<OWASPZAPReport/>', /expected <report> or <get_reports_response> as the root element, found <OWASPZAPReport>/],
    ['a truncated report', report(result('')).slice(0, 200), /malformed XML: unclosed tag/],
    ['text that is not XML', 'Scan failed: timeout', /malformed XML/],
  ])('fails on %s with a ParseError', async (_what, input, reason) => {
    const run = parseText(ScanFormat.OPENVAS, input);
    await expect(run).rejects.toThrow(ParseError);
    await expect(run).rejects.toThrow(reason);
  });
});
