import { readFile } from 'node:fs/promises';
import { ScanFormat, ParseError } from './types.js';
import {
  chunked,
  countBy,
  distinctFingerprints,
  findingsOf,
  parseSample,
  parseText,
  rejectionsOf,
  samplePath,
} from '../../../test/helpers/scan-samples.js';

// xsc keeps every nuclei result as a record; duplicates are merged later by fingerprint
// (site + template + normalised matched-at + matcher-name). DefectDojo merges inside the parser
// by template + matcher + host WITHOUT port, so its counts can be lower: we assert our records,
// our distinct fingerprints (computed independently in Python), and explain each gap.
describe('Nuclei parser on the real samples', () => {
  it.each([['nuclei/empty.jsonl'], ['nuclei/no_findings.json']])('%s: an empty file is no findings (DefectDojo 0)', async (file) => {
    const { events, summary } = await parseSample(ScanFormat.NUCLEI, file);
    expect(events).toEqual([]);
    expect(summary).toMatchObject({ findings: 0, rejected: 0 });
  });

  it('issue_9201.json: 1 result (DefectDojo 1)', async () => {
    const { events } = await parseSample(ScanFormat.NUCLEI, 'nuclei/issue_9201.json');
    expect(findingsOf(events)).toEqual([
      expect.objectContaining({
        scanner: 'nuclei',
        checkId: 'favicon-detect',
        name: 'favicon-detection',
        level: 'INFO',
        kind: 'http',
        host: 'example.com',
        port: 443,
        url: 'https://example.com/favicon.ico%c0',
        parameter: 'asp.net-favicon',
      }),
    ]);
    expect(findingsOf(events)[0].references).toHaveLength(5);
  });

  it('many_findings.json (nuclei v2 field names): 18 records, 18 fingerprints; DefectDojo 16', async () => {
    const { events, summary } = await parseSample(ScanFormat.NUCLEI, 'nuclei/many_findings.json');
    const findings = findingsOf(events);
    expect(summary).toMatchObject({ findings: 18, rejected: 0 });
    // DefectDojo merges tech-detect bootstrap/font-awesome on 127.0.0.1:8080/WebGoat and
    // 127.0.0.1:9090/WebWolf (same host, ports ignored); for xsc these are two different places.
    expect(distinctFingerprints(findings)).toBe(18);
    expect(findings[0]).toMatchObject({
      checkId: 'openssh5.3-detect',
      level: 'LOW',
      kind: 'network',
      host: 'nuclei-example.com',
      port: 22,
      url: undefined,
      references: [
        'http://seclists.org/fulldisclosure/2016/Jul/51',
        'https://security-tracker.debian.org/tracker/CVE-2016-6210',
        'http://openwall.com/lists/oss-security/2016/08/01/2',
      ],
    });
    expect(countBy(findings, (f) => f.level)).toEqual({ LOW: 1, INFO: 16, MEDIUM: 1 });
    expect(findings.filter((f) => f.checkId === 'tech-detect').map((f) => f.parameter)).toContain('font-awesome');
  });

  it('multiple_v3.json (pretty-printed JSON array): 6 records, 5 fingerprints (DefectDojo 5)', async () => {
    const { events } = await parseSample(ScanFormat.NUCLEI, 'nuclei/multiple_v3.json');
    const findings = findingsOf(events);
    expect(findings).toHaveLength(6);
    // tls-version matched twice on www.asdf.de:443 (tls12, tls13): one finding, as for DefectDojo
    expect(distinctFingerprints(findings)).toBe(5);
    expect(findings.find((f) => f.checkId === 'caa-fingerprint')).toMatchObject({ cwe: ['200'], host: 'www.asdf.de', port: undefined });
    expect(findings.filter((f) => f.checkId === 'tls-version').map((f) => [f.host, f.port, f.evidence])).toEqual([
      ['www.asdf.de', 443, 'tls12'],
      ['www.asdf.de', 443, 'tls13'],
    ]);
  });

  it('issue_14071.json (385 KB of request/response bodies): 27 records and fingerprints (DefectDojo 27)', async () => {
    const { events, summary } = await parseSample(ScanFormat.NUCLEI, 'nuclei/issue_14071.json');
    const findings = findingsOf(events);
    expect(summary).toMatchObject({ findings: 27, rejected: 0 });
    expect(distinctFingerprints(findings)).toBe(27);
    expect(findings[0]).toMatchObject({ checkId: 'dvwa-default-login', level: 'CRITICAL', cwe: ['798'], url: 'http://dvwa_dvwa_1/index.php' });
    // javascript templates report url "/http://dvwa_dvwa_1/" (leading slash) and no matched-at
    expect(findings.find((f) => f.checkId === 'cookies-without-httponly')).toMatchObject({ url: 'http://dvwa_dvwa_1/', port: 80 });
    // request/response bodies are not kept: every record stays small
    expect(Math.max(...findings.map((f) => JSON.stringify(f).length))).toBeLessThan(4096);
  });

  it('parses the JSON array the same way across any chunk boundaries', async () => {
    const text = await readFile(samplePath('nuclei/multiple_v3.json'), 'utf8');
    const whole = await parseText(ScanFormat.NUCLEI, text);
    const tiny = await parseText(ScanFormat.NUCLEI, chunked(text, 5));
    expect(tiny.events).toEqual(whole.events);
  });
});

const line = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ 'template-id': id, info: { name: id, severity: 'high' }, type: 'http', 'matched-at': `https://a.example/${id}`, ...extra });

describe('Nuclei parser on malformed and hostile input', () => {
  it('rejects an invalid line in the middle with its line number and keeps the rest', async () => {
    const input = [line('a'), '{"template-id": "b", oops', line('c')].join('\n') + '\n';
    const { events, summary } = await parseText(ScanFormat.NUCLEI, input);
    expect(findingsOf(events).map((f) => f.checkId)).toEqual(['a', 'c']);
    expect(rejectionsOf(events)).toEqual([{ index: 2, reason: expect.stringMatching(/^invalid JSON: /) }]);
    expect(summary).toMatchObject({ findings: 2, rejected: 1 });
  });

  it('rejects the partial last line of a truncated file', async () => {
    const input = `${line('a')}\n${line('b').slice(0, 40)}`;
    const { events } = await parseText(ScanFormat.NUCLEI, input);
    expect(findingsOf(events)).toHaveLength(1);
    expect(rejectionsOf(events)).toEqual([{ index: 2, reason: expect.stringMatching(/unterminated last line: the file may be truncated/) }]);
  });

  it('accepts a last line without newline, CRLF line ends, blank lines and a byte-order mark', async () => {
    const { events } = await parseText(ScanFormat.NUCLEI, `\r\n${line('a')}\r\n\r\n${line('b')}`);
    expect(findingsOf(events).map((f) => f.checkId)).toEqual(['a', 'b']);
    expect(rejectionsOf(events)).toEqual([]);
    const withBom = await parseText(ScanFormat.NUCLEI, `\uFEFF${line('a')}\n`);
    expect(findingsOf(withBom.events).map((f) => f.checkId)).toEqual(['a']);
    const arrayWithBom = await parseText(ScanFormat.NUCLEI, `\uFEFF[${line('a')}]`);
    expect(findingsOf(arrayWithBom.events).map((f) => f.checkId)).toEqual(['a']);
  });

  it('rejects results that are not objects or have no template-id', async () => {
    const { events } = await parseText(ScanFormat.NUCLEI, ['{"info": {}}', line('ok'), '{"template-id": "  "}'].join('\n'));
    expect(rejectionsOf(events)).toEqual([
      { index: 1, reason: 'result has no template-id' },
      { index: 3, reason: 'result has no template-id' },
    ]);
    const array = await parseText(ScanFormat.NUCLEI, `[${line('x')}, 42, "s", null]`);
    expect(findingsOf(array.events)).toHaveLength(1);
    expect(rejectionsOf(array.events).map((r) => [r.index, r.reason])).toEqual([
      [2, 'result is not a JSON object'],
      [3, 'result is not a JSON object'],
      [4, 'result is not a JSON object'],
    ]);
  });

  it('skips a line over maxLineBytes without buffering it, as a rejection', async () => {
    const big = line('big', { response: 'x'.repeat(300_000) });
    const { events } = await parseText(ScanFormat.NUCLEI, chunked(`${line('a')}\n${big}\n${line('b')}\n`, 10_000), { reader: { maxLineBytes: 100_000 } });
    expect(findingsOf(events).map((f) => f.checkId)).toEqual(['a', 'b']);
    expect(rejectionsOf(events)).toEqual([{ index: 2, reason: `line is longer than 100000 bytes (${big.length})` }]);
  });

  it('cuts huge field values to their limits and counts each cut', async () => {
    const input = line('huge', {
      info: { name: 'n'.repeat(5000), severity: 'critical', description: 'd'.repeat(100_000), reference: Array.from({ length: 150 }, (_, i) => `https://r/${i}`) },
      'extracted-results': ['e'.repeat(20_000)],
      'matcher-name': 'm'.repeat(2000),
    });
    const { events, summary } = await parseText(ScanFormat.NUCLEI, input);
    const [f] = findingsOf(events);
    expect([f.name.length, f.description?.length, f.evidence?.length, f.parameter?.length, f.references.length]).toEqual([1024, 65536, 8192, 1024, 100]);
    expect(summary.truncated).toEqual({ name: 1, description: 1, evidence: 1, parameter: 1, 'reference[]': 1 });
  });

  it('cuts huge strings inside a JSON array while reading, and rejects an oversized element', async () => {
    const input = `[${line('a', { response: 'r'.repeat(200_000) })}, ${line('b', { response: Array.from({ length: 100 }, () => 'x'.repeat(60_000)) })}]`;
    const { events, summary } = await parseText(ScanFormat.NUCLEI, chunked(input, 8192), { reader: { maxRecordChars: 1_000_000 } });
    expect(findingsOf(events).map((f) => f.checkId)).toEqual(['a']);
    expect(rejectionsOf(events)).toEqual([{ index: 2, reason: 'result is larger than 1000000 characters' }]);
    expect(summary.truncated).toEqual({ 'json-string': 1 });
  });

  it('does not let a "__proto__" key change the prototype of parsed objects', async () => {
    const input = `[{"template-id": "p", "info": {"__proto__": {"severity": "critical"}, "name": "x"}, "matched-at": "https://a.example/"}]`;
    const { events } = await parseText(ScanFormat.NUCLEI, input);
    expect(findingsOf(events)[0].level).toBe('INFO');
    expect(({} as Record<string, unknown>).severity).toBeUndefined();
  });

  it.each([
    ['an HTML page', '<html><body>502 Bad Gateway</body></html>', /the file starts with "<"/],
    ['a ZAP XML report', '<?xml version="1.0"?><OWASPZAPReport/>', /the file starts with "<"/],
    ['binary junk', '\u0000\u0001garbage', /the file starts with byte 0x00/],
    ['a file whose lines are all invalid', '{not json\n{neither\n', /no record of the file is a Nuclei result \(first: invalid JSON/],
    ['JSON lines of another tool', '{"host": "a", "port": 80}\n{"host": "b", "port": 443}\n', /no record of the file is a Nuclei result \(first: result has no template-id\)/],
    ['a truncated JSON array', `[${line('a')}, {"template-id": "b"`, /malformed JSON/],
    ['absurdly deep nesting', `[${'['.repeat(100_000)}`, /JSON nested deeper than 256 levels/],
    ['an array followed by garbage', `[${line('a')}] trailing`, /malformed JSON/],
  ])('fails on %s with a ParseError', async (_what, input, reason) => {
    const run = parseText(ScanFormat.NUCLEI, input);
    await expect(run).rejects.toThrow(ParseError);
    await expect(run).rejects.toThrow(reason);
  });
});
