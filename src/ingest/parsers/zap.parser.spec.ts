import { ScanFormat, ParseError } from './types.js';
import {
  chunked,
  countBy,
  distinctFingerprints,
  findingsOf,
  parseSample,
  parseText,
  rejectionsOf,
} from '../../../test/helpers/scan-samples.js';

// xsc's unit for ZAP is one finding per alert INSTANCE (uri + param + evidence), with the alert
// item (plugin) as the library entry; DefectDojo counts one finding per alert item. So we assert
// both: the instances we keep, and the alert items they belong to (= DefectDojo's count), plus
// how many distinct fingerprints dedup will keep (same alert + normalised url + parameter).
// Expected distinct counts were computed independently with Python's ElementTree/urllib.
describe('ZAP XML parser on the real samples', () => {
  const distinctAlerts = (checkIds: string[]) => new Set(checkIds).size;

  it('empty_2.9.0.xml: a report without alerts gives nothing', async () => {
    const { events, summary } = await parseSample(ScanFormat.ZAP, 'zap/empty_2.9.0.xml');
    expect(events).toEqual([]);
    expect(summary).toMatchObject({ findings: 0, rejected: 0 });
  });

  it('5_zap_sample_one.xml: 2 alert items of the same plugin, 6 instances, 3 distinct places', async () => {
    const { events } = await parseSample(ScanFormat.ZAP, 'zap/5_zap_sample_one.xml');
    const findings = findingsOf(events);
    expect(findings).toHaveLength(6);
    // DefectDojo: 2 (one per alert item); both items are plugin 10011, so one library entry
    expect(distinctAlerts(findings.map((f) => f.checkId))).toBe(1);
    expect(distinctFingerprints(findings)).toBe(3);
    expect(findings[0]).toMatchObject({
      scanner: 'zap',
      checkId: '10011',
      name: 'Cookie Without Secure Flag',
      level: 'LOW',
      cwe: ['614'],
      host: 'mainsite.com',
      port: 443,
      url: 'https://mainsite.com/dashboard',
      parameter: 'opvc',
      evidence: 'Set-Cookie: opvc',
    });
  });

  it('0_zap_sample.xml: 4 alert items and 12 instances (the README counts a commented-out 5th alert)', async () => {
    const { events } = await parseSample(ScanFormat.ZAP, 'zap/0_zap_sample.xml');
    const findings = findingsOf(events);
    // README: "5 alert items, 15 instances" counts the <!-- <alertitem> --> block; DefectDojo finds 4
    expect(findings).toHaveLength(12);
    expect(distinctAlerts(findings.map((f) => f.checkId))).toBe(4);
    expect(distinctFingerprints(findings)).toBe(10);
    expect(findings.map((f) => f.checkId)).not.toContain('10010');
    const csp = findings.find((f) => f.checkId === '10055');
    expect(csp).toMatchObject({ level: 'MEDIUM', parameter: 'Content-Security-Policy', evidence: "frame-ancestors 'self';" });
    // old reports glue reference links together; they are split again
    expect(csp?.references).toEqual([
      'http://www.w3.org/TR/CSP2/',
      'http://www.w3.org/TR/CSP/',
      'http://caniuse.com/#search=content+security+policy',
      'http://content-security-policy.com/',
      'https://github.com/shapesecurity/salvation',
    ]);
  });

  it('zap-results-first-scan.xml: 15 alert types (DefectDojo 15), 130 instances, 87 distinct', async () => {
    const { events, summary } = await parseSample(ScanFormat.ZAP, 'zap/zap-results-first-scan.xml');
    const findings = findingsOf(events);
    expect(summary).toMatchObject({ findings: 130, rejected: 0 });
    expect(distinctAlerts(findings.map((f) => f.checkId))).toBe(15);
    expect(distinctFingerprints(findings)).toBe(87);
    expect(countBy(findings, (f) => f.level)).toEqual({ INFO: 47, LOW: 48, MEDIUM: 30, HIGH: 5 });
    const first = findings[0];
    expect(first).toMatchObject({
      checkId: '10031',
      host: 'bodgeit.securecodebox-demo.svc',
      port: 8080,
      url: 'http://bodgeit.securecodebox-demo.svc:8080/bodgeit/product.jsp?prodid=22',
      parameter: 'prodid',
    });
    // ZAP 2.10 descriptions arrive as escaped <p> paragraphs
    expect(first.description).toMatch(/^This check looks at user-supplied input/);
    expect(first.description).not.toContain('<p>');
  });

  it('zap-results-second-scan.xml: 18 alert types, 126 instances, 77 distinct', async () => {
    const { events } = await parseSample(ScanFormat.ZAP, 'zap/zap-results-second-scan.xml');
    const findings = findingsOf(events);
    expect(findings).toHaveLength(126);
    expect(distinctAlerts(findings.map((f) => f.checkId))).toBe(18);
    expect(distinctFingerprints(findings)).toBe(77);
  });

  it('dvwa fabricated duplicates: 123 instances collapse to 71 fingerprints', async () => {
    const { events } = await parseSample(ScanFormat.ZAP, 'zap/dvwa_baseline_dojo_fabricated_internal_duplicates.xml');
    const findings = findingsOf(events);
    expect(findings).toHaveLength(123);
    // 13 alert items, but only 10 plugins: duplicated alert items share their library entry
    expect(distinctAlerts(findings.map((f) => String(f.extras.pluginId)))).toBe(10);
    expect(distinctFingerprints(findings)).toBe(71);
  });

  it('gives the same records whatever the chunk boundaries are', async () => {
    const { readFile } = await import('node:fs/promises');
    const { samplePath } = await import('../../../test/helpers/scan-samples.js');
    const text = await readFile(samplePath('zap/0_zap_sample.xml'), 'utf8');
    const whole = await parseText(ScanFormat.ZAP, text);
    const tiny = await parseText(ScanFormat.ZAP, chunked(text, 7));
    expect(tiny.events).toEqual(whole.events);
  });
});

const report = (alerts: string) =>
  `<?xml version="1.0"?><OWASPZAPReport version="2.11.0"><site name="https://a.example" host="a.example" port="443" ssl="true"><alerts>${alerts}</alerts></site></OWASPZAPReport>`;
const alert = (body: string) =>
  `<alertitem><pluginid>40012</pluginid><alertRef>40012</alertRef><name>XSS</name><riskcode>3</riskcode><confidence>2</confidence>${body}<solution>Escape.</solution><cweid>79</cweid></alertitem>`;
const instance = (uri: string, extra = '') => `<instance><uri>${uri}</uri><method>GET</method><param>q</param>${extra}</instance>`;

describe('ZAP XML parser on malformed and hostile input', () => {
  it('keeps fields that come after <instances> (solution, cweid) on every instance', async () => {
    const { events } = await parseText(ScanFormat.ZAP, report(alert(`<instances>${instance('https://a.example/s?q=1')}</instances>`)));
    expect(findingsOf(events)).toEqual([
      expect.objectContaining({ checkId: '40012', level: 'HIGH', solution: 'Escape.', cwe: ['79'], parameter: 'q' }),
    ]);
  });

  it('reads pre-2.6 alerts that carry uri/param directly', async () => {
    const { events } = await parseText(ScanFormat.ZAP, report(alert('<uri>https://a.example/old</uri><param>id</param>')));
    expect(findingsOf(events)).toEqual([expect.objectContaining({ url: 'https://a.example/old', parameter: 'id' })]);
  });

  it('rejects an alert item without pluginid and keeps the others', async () => {
    const bad = '<alertitem><name>no id</name><instances><instance><uri>https://a.example/</uri></instance></instances></alertitem>';
    const { events, summary } = await parseText(ScanFormat.ZAP, report(bad + alert(`<instances>${instance('https://a.example/')}</instances>`)));
    expect(rejectionsOf(events)).toEqual([{ index: 1, reason: 'alert item has no pluginid' }]);
    expect(summary).toMatchObject({ findings: 1, rejected: 1 });
  });

  it('cuts a huge evidence to 8 KB while reading and counts it', async () => {
    const evidence = 'A'.repeat(3 * 1024 * 1024);
    const input = report(alert(`<instances>${instance('https://a.example/', `<evidence>${evidence}</evidence>`)}</instances>`));
    const { events, summary } = await parseText(ScanFormat.ZAP, chunked(input, 64 * 1024));
    expect(findingsOf(events)[0].evidence).toHaveLength(8 * 1024);
    expect(summary.truncated).toEqual({ evidence: 1 });
  });

  it('keeps CDATA text and skips comments, both bounded while reading', async () => {
    const body = `<desc><![CDATA[<b>${'d'.repeat(1_000_000)}]]></desc><!-- ${'c'.repeat(1_000_000)} --><instances>${instance('https://a.example/')}</instances>`;
    const { events, summary } = await parseText(ScanFormat.ZAP, chunked(report(alert(body)), 16 * 1024));
    const [f] = findingsOf(events);
    expect(f.description).toHaveLength(64 * 1024);
    expect(f.description?.startsWith('<b>ddd')).toBe(true);
    expect(summary.truncated).toEqual({ description: 1 });
  });

  it('keeps at most maxInstancesPerAlert instances of one alert and says how many were dropped', async () => {
    const instances = Array.from({ length: 5 }, (_, i) => instance(`https://a.example/${i}`)).join('');
    const { events } = await parseText(ScanFormat.ZAP, report(alert(`<instances>${instances}</instances>`)), { reader: { maxInstancesPerAlert: 3 } });
    expect(findingsOf(events)).toHaveLength(3);
    expect(rejectionsOf(events)).toEqual([{ index: 4, reason: 'alert 40012 has more than 3 instances: 2 dropped' }]);
  });

  it.each([
    ['an HTML page', '<!DOCTYPE html><html><head><title>Login</title></head><body><p>Hi</p></body></html>', /expected <OWASPZAPReport> as the root element, found <html>/],
    ['an OpenVAS report', '<report id="x"><results></results></report>', /found <report>/],
    ['an empty file', '', /malformed XML: document must contain a root element/],
    ['a JSON file', '{"site": []}', /malformed XML/],
    ['binary junk', '\u0000\u0001\u0002PK\u0003\u0004', /malformed XML/],
  ])('fails on %s with a ParseError', async (_what, input, reason) => {
    const run = parseText(ScanFormat.ZAP, input);
    await expect(run).rejects.toThrow(ParseError);
    await expect(run).rejects.toThrow(reason);
  });

  it('fails on a truncated report, naming the line and column', async () => {
    const full = report(alert(`<instances>${instance('https://a.example/')}</instances>`));
    const error = await parseText(ScanFormat.ZAP, full.slice(0, full.length - 30)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(/^Cannot parse ZAP file: malformed XML: unclosed tag: \w+ \(line 1, column \d+\)$/);
    expect((error as ParseError).line).toBe(1);
  });

  it('does not expand entities: a billion-laughs bomb fails fast instead of growing', async () => {
    const lol = [
      '<!DOCTYPE OWASPZAPReport [',
      '<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
      ']>',
    ].join('\n');
    const input = `<?xml version="1.0"?>${lol}<OWASPZAPReport><site name="x"><alerts>${alert(`<instances>${instance('https://a.example/', '<evidence>&lol9;</evidence>')}</instances>`)}</alerts></site></OWASPZAPReport>`;
    const error = await parseText(ScanFormat.ZAP, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(/malformed XML: undefined entity/);
    // It stopped at the first reference (the last line), with nothing expanded: a state, not a heap size.
    expect((error as ParseError).line).toBe(input.split('\n').length);
  });

  it('does not resolve external entities (XXE)', async () => {
    const input = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><OWASPZAPReport><site name="&xxe;"/></OWASPZAPReport>`;
    await expect(parseText(ScanFormat.ZAP, input)).rejects.toThrow(/undefined entity/);
  });

  it('refuses absurdly deep nesting instead of growing a stack', async () => {
    const input = `<OWASPZAPReport>${'<a>'.repeat(100_000)}`;
    await expect(parseText(ScanFormat.ZAP, chunked(input, 4096))).rejects.toThrow(/malformed XML: elements are nested deeper than 256 levels/);
  });

  it('refuses an attribute value longer than the text limit instead of buffering it', async () => {
    for (const value of ['x'.repeat(200_000), `${'&amp;x'.repeat(50_000)}`]) {
      const input = `<OWASPZAPReport><site name="${value}"></site></OWASPZAPReport>`;
      await expect(parseText(ScanFormat.ZAP, chunked(input, 16 * 1024))).rejects.toThrow(/longer than 65536 characters/);
    }
  });
});
