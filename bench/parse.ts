// Benchmark: stream-parse ~100 MB scanner files from disk and report records/s and peak RSS.
//
// The parent synthesises the files in a temp dir from the real samples' structure (ZAP alert
// items and Nuclei results, with varied URLs), then parses each one in a child process started
// with --max-old-space-size=256 and reports the child's maxRSS (process.resourceUsage()) plus
// the highest sampled process.memoryUsage().rss. Every finding is also fingerprinted, as the
// ingestion worker will do. Target: under 300 MB RSS.
//
//   npm run bench:parse                 (default ~100 MB per file)
//   BENCH_MB=20 npm run bench:parse     (smaller files)
//   BENCH_HEAP_MB=0 npm run bench:parse (children without --max-old-space-size)
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprintFinding } from '../src/ingest/findings/fingerprint.js';
import { parseFile } from '../src/ingest/parsers/parse-file.js';
import { ScanFormat } from '../src/ingest/parsers/types.js';
import { SCANS_DIR } from './scans-dir.js';
import { writeZapReport } from './synthetic-zap.js';

const TARGET_BYTES = Number(process.env.BENCH_MB ?? 100) * 1024 * 1024;
const RSS_LIMIT_MB = 300;
const HEAP_MB = Number(process.env.BENCH_HEAP_MB ?? 256); // 0 = Node's default heap limit

interface ChildReport {
  format: string;
  bytes: number;
  findings: number;
  rejected: number;
  distinctFingerprints: number;
  seconds: number;
  maxRssMb: number;
  sampledPeakRssMb: number;
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}

async function close(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Nuclei JSONL (or a JSON array) from the samples' results, with distinct matched-at URLs. */
async function generateNuclei(file: string, asArray: boolean): Promise<void> {
  const lines = ['nuclei/issue_14071.json', 'nuclei/many_findings.json']
    .flatMap((f) => readFileSync(path.join(SCANS_DIR, f), 'utf8').split('\n'))
    .filter((l) => l.trim() !== '');
  const out = createWriteStream(file);
  if (asArray) await write(out, '[\n');
  for (let round = 0, first = true; out.bytesWritten + out.writableLength < TARGET_BYTES; round++) {
    for (const line of lines) {
      const varied = line.replace(/"(matched-at|matched)":"(https?:\/\/[^/"]+)/, `"$1":"$2/r${round}`);
      await write(out, asArray ? `${first ? '' : ',\n'}${varied}` : `${varied}\n`);
      first = false;
    }
  }
  if (asArray) await write(out, '\n]\n');
  await close(out);
}

/** Hostile ZAP XML: one instance whose evidence is the whole file (must be cut while reading). */
async function generateZapHugeField(file: string): Promise<void> {
  const out = createWriteStream(file);
  await write(out, '<?xml version="1.0"?><OWASPZAPReport><site name="http://x.example"><alerts><alertitem><pluginid>1</pluginid>');
  await write(out, '<name>Huge</name><riskcode>1</riskcode><confidence>2</confidence><instances><instance><uri>http://x.example/</uri><evidence>');
  const block = 'A'.repeat(1024 * 1024);
  while (out.bytesWritten + out.writableLength < TARGET_BYTES) await write(out, block);
  await write(out, '</evidence></instance></instances></alertitem></alerts></site></OWASPZAPReport>\n');
  await close(out);
}

/** Child side: parse one file from disk, fingerprint every finding, print a JSON report. */
async function child(format: ScanFormat, file: string): Promise<void> {
  let sampledPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  const fingerprints = new Set<string>();
  const run = parseFile(format, createReadStream(file, { highWaterMark: 64 * 1024 }));
  for await (const event of run) {
    if (event.type === 'finding') fingerprints.add(fingerprintFinding('bench-site', event.record).hash.slice(0, 16));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  const report: ChildReport = {
    format,
    bytes: statSync(file).size,
    findings: run.summary.findings,
    rejected: run.summary.rejected,
    distinctFingerprints: fingerprints.size,
    seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    sampledPeakRssMb: sampledPeak / 1024 / 1024,
  };
  process.stdout.write(JSON.stringify(report));
}

function runChild(format: ScanFormat, file: string): ChildReport {
  const self = fileURLToPath(import.meta.url);
  const heap = HEAP_MB > 0 ? [`--max-old-space-size=${HEAP_MB}`] : [];
  const output = execFileSync(process.execPath, [...heap, self, '--child', format, file], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(output) as ChildReport;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'xsc-bench-parse-'));
  const cases: [string, ScanFormat, string, () => Promise<void>][] = [
    ['ZAP XML', ScanFormat.ZAP, path.join(dir, 'zap.xml'), async () => void (await writeZapReport(path.join(dir, 'zap.xml'), TARGET_BYTES, ['bodgeit.securecodebox-demo.svc']))],
    ['Nuclei JSONL', ScanFormat.NUCLEI, path.join(dir, 'nuclei.jsonl'), () => generateNuclei(path.join(dir, 'nuclei.jsonl'), false)],
    ['Nuclei JSON array', ScanFormat.NUCLEI, path.join(dir, 'nuclei.json'), () => generateNuclei(path.join(dir, 'nuclei.json'), true)],
    ['ZAP, 1 huge field', ScanFormat.ZAP, path.join(dir, 'zap-huge.xml'), () => generateZapHugeField(path.join(dir, 'zap-huge.xml'))],
  ];
  try {
    let failed = false;
    const heap = HEAP_MB > 0 ? `${HEAP_MB} MB` : 'default';
    console.log(`node ${process.version}, files in ${dir}, child heap limit ${heap}, RSS target < ${RSS_LIMIT_MB} MB\n`);
    for (const [label, format, file, generate] of cases) {
      await generate();
      const r = runChild(format, file);
      const mb = r.bytes / 1024 / 1024;
      const ok = r.maxRssMb < RSS_LIMIT_MB;
      failed ||= !ok;
      console.log(
        `${label.padEnd(18)} ${mb.toFixed(1)} MB  ${r.findings} findings (${r.distinctFingerprints} distinct, ${r.rejected} rejected)  ` +
          `${r.seconds.toFixed(2)} s  ${Math.round(r.findings / r.seconds)} records/s  ${(mb / r.seconds).toFixed(1)} MB/s  ` +
          `maxRSS ${r.maxRssMb.toFixed(0)} MB (sampled peak ${r.sampledPeakRssMb.toFixed(0)} MB) ${ok ? 'OK' : 'OVER TARGET'}`,
      );
      rmSync(file);
    }
    process.exitCode = failed ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3] as ScanFormat, process.argv[4]);
else await main();
