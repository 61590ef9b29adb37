import { createReadStream } from 'node:fs';
import { ScanFormat } from './types.js';
import { PARSERS, collect, parseFile } from './parse-file.js';
import { countBy, parseSample, samplePath } from '../../../test/helpers/scan-samples.js';

// Every sample the registry supports, with what xsc yields (see each parser's spec for why
// xsc's unit differs from DefectDojo's).
const SAMPLES: [ScanFormat, string, Record<string, number>][] = [
  [ScanFormat.NUCLEI, 'nuclei/empty.jsonl', {}],
  [ScanFormat.NUCLEI, 'nuclei/no_findings.json', {}],
  [ScanFormat.NUCLEI, 'nuclei/issue_9201.json', { finding: 1 }],
  [ScanFormat.NUCLEI, 'nuclei/many_findings.json', { finding: 18 }],
  [ScanFormat.NUCLEI, 'nuclei/multiple_v3.json', { finding: 6 }],
  [ScanFormat.NUCLEI, 'nuclei/issue_14071.json', { finding: 27 }],
  [ScanFormat.ZAP, 'zap/empty_2.9.0.xml', {}],
  [ScanFormat.ZAP, 'zap/5_zap_sample_one.xml', { finding: 6 }],
  [ScanFormat.ZAP, 'zap/0_zap_sample.xml', { finding: 12 }],
  [ScanFormat.ZAP, 'zap/zap-results-first-scan.xml', { finding: 130 }],
  [ScanFormat.ZAP, 'zap/zap-results-second-scan.xml', { finding: 126 }],
  [ScanFormat.ZAP, 'zap/dvwa_baseline_dojo_fabricated_internal_duplicates.xml', { finding: 123 }],
  [ScanFormat.OPENVAS, 'openvas/no_vuln.xml', {}],
  [ScanFormat.OPENVAS, 'openvas/one_vuln.xml', { finding: 1 }],
  [ScanFormat.OPENVAS, 'openvas/many_vuln.xml', { finding: 44 }],
  [ScanFormat.NMAP, 'nmap/nmap_0port.xml', { coverage: 1, host: 1 }],
  [ScanFormat.NMAP, 'nmap/nmap_1port.xml', { coverage: 1, host: 1, service: 1 }],
  [ScanFormat.NMAP, 'nmap/nmap_multiple_port.xml', { coverage: 1, host: 1, service: 13 }],
  [ScanFormat.NMAP, 'nmap/nmap_script_vulners.xml', { coverage: 1, host: 1, service: 1, finding: 2 }],
  [ScanFormat.NMAP, 'nmap/issue4406.xml', { coverage: 1, host: 1, service: 25, finding: 42 }],
  [ScanFormat.MASSCAN, 'masscan/masscan_many_vuln.json', { service: 4 }],
  [ScanFormat.NAABU, 'naabu/naabu_many_vuln.json', { service: 8 }],
  [ScanFormat.HTTPX, 'httpx/httpx_many_vuln.json', { service: 5 }],
  [ScanFormat.KUBE_BENCH, 'kubebench/kube-bench-report-zero-vuln.json', { baseline: 23 }],
  [ScanFormat.KUBE_BENCH, 'kubebench/kube-bench-report-many-vuln.json', { baseline: 24 }],
  [ScanFormat.XCCDF, 'openscap/ios-sample-v1.1.3.xccdf.xml', { baseline: 3 }],
];

describe('parseFile registry', () => {
  it('has a parser for every format', () => {
    expect(Object.keys(PARSERS).sort()).toEqual(Object.values(ScanFormat).sort());
  });

  it.each(SAMPLES)('%s %s', async (format, file, expected) => {
    const { events, summary } = await parseSample(format, file);
    expect(countBy(events, (e) => e.type)).toEqual(expected);
    expect(summary).toEqual({
      format,
      findings: expected.finding ?? 0,
      services: expected.service ?? 0,
      baselineItems: expected.baseline ?? 0,
      rejected: 0,
      truncated: {},
    });
  });

  it('does not parse a sample of another format: every cross pairing fails or yields nothing', async () => {
    for (const [format] of SAMPLES) {
      for (const [other, file, expected] of SAMPLES) {
        if (other === format || Object.keys(expected).length === 0) continue;
        const outcome = await parseSample(format, file).then(
          (r) => r.summary.findings + r.summary.services + r.summary.baselineItems,
          () => 'ParseError',
        );
        expect([format, file, outcome]).toEqual([format, file, 'ParseError']);
      }
    }
  });

  it('accepts any async iterable of strings', async () => {
    async function* lines() {
      yield '{"template-id": "a", "info": {"severity": "low"}, "matched-at": "https://a.example/"}\n';
      yield '{"template-id": "b", "info": {"severity": "high"}, "matched-at": "https://a.example/b"}';
    }
    const { summary } = await collect(parseFile(ScanFormat.NUCLEI, lines()));
    expect(summary.findings).toBe(2);
  });

  it('can be iterated only once', async () => {
    const run = parseFile(ScanFormat.ZAP, createReadStream(samplePath('zap/empty_2.9.0.xml')));
    await collect(run);
    await expect(collect(run)).rejects.toThrow('a ParseRun can be iterated only once');
  });
});
