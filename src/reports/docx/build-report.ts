import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReportLang } from '../labels.js';
import type { ReportData } from '../report-data.js';

/** Heap of the process that builds one report: docx holds the whole document tree in memory. */
const CHILD_HEAP_MB = 1536;
const CHILD_ENTRY = fileURLToPath(new URL('./build-report.child.js', import.meta.url));

/**
 * Builds the .docx in a short-lived child process: a report of thousands of findings needs
 * several hundred MB while docx packs it, more than a worker's capped heap holds (start:worker
 * runs with 192 MB, a process-wide V8 limit that worker threads cannot lift), and the memory
 * is returned when the child exits. Running from TypeScript sources (the tests) there is no
 * compiled entry to fork: built in-process.
 */
export async function buildReportFile(data: ReportData, lang: ReportLang): Promise<Buffer> {
  // docx and the chart renderer are loaded only where a report is built, not at every boot.
  if (!existsSync(CHILD_ENTRY)) return (await import('./site-report.docx.js')).buildSiteReport(data, lang);
  const child = fork(CHILD_ENTRY, [], { execArgv: [`--max-old-space-size=${CHILD_HEAP_MB}`], serialization: 'advanced', stdio: 'inherit' });
  return new Promise<Buffer>((resolve, reject) => {
    child.once('message', (reply: Uint8Array | { error: string }) =>
      reply instanceof Uint8Array ? resolve(Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength)) : reject(new Error(reply.error)),
    );
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the report builder exited with code ${code}`)));
    child.send({ data, lang });
  });
}
