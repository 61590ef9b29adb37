import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';
import type { ReportLang } from '../labels.js';
import type { ReportHeader, ReportSelection } from '../report-data.js';

/** Heap of the process that builds one report: docx holds the whole document tree in memory. */
const CHILD_HEAP_MB = 1536;
/**
 * Old generation it starts with: the tree only grows until the file is written, so a heap grown
 * step by step from V8's small default pays for several full collections that free nothing.
 */
const CHILD_INITIAL_OLD_MB = 512;
const CHILD_ENTRY = fileURLToPath(new URL('./build-report.child.js', import.meta.url));

/** What the builder needs: the header (cover, summary), and where to stream the findings from. */
export interface ReportJob {
  header: ReportHeader;
  selection: ReportSelection;
  lang: ReportLang;
  /** The builder reads the findings over a connection of its own, with a cursor. */
  databaseUrl: string;
}

export interface BuildOptions {
  /** Longest the builder process may run before it is killed (REPORT_BUILD_TIMEOUT_MS). */
  timeoutMs: number;
  /** The compiled builder to fork (default: the one beside this module). */
  entry?: string;
}

export interface BuiltReport {
  file: Buffer;
  /** Findings listed (as streamed). */
  findings: number;
  /** Peak resident memory of the process that built it (null when built in-process). */
  peakRssMb: number | null;
}

/**
 * Builds the .docx in a short-lived child process: a report of thousands of findings needs
 * a few hundred MB while docx packs it, more than a worker's capped heap holds (start:worker
 * runs with 192 MB, a process-wide V8 limit that worker threads cannot lift), and the memory
 * is returned when the child exits. The child streams the findings from PostgreSQL itself (the
 * parent never holds them). Running from TypeScript sources (the tests) there is no compiled
 * entry to fork: built in-process.
 */
export async function buildReportFile(job: ReportJob, opts: BuildOptions): Promise<BuiltReport> {
  const entry = opts.entry ?? CHILD_ENTRY;
  // docx and the chart renderer are loaded only where a report is built, not at every boot.
  if (!existsSync(entry)) return { ...(await (await import('./build-report.child.js')).buildReport(job)), peakRssMb: null };
  const child = fork(entry, [], {
    execArgv: [`--max-old-space-size=${CHILD_HEAP_MB}`, `--initial-old-space-size=${CHILD_INITIAL_OLD_MB}`],
    serialization: 'advanced',
    stdio: 'inherit',
    // A builder stuck or far slower than any real report is killed, so neither the job nor the
    // waiting HTTP request (and its build slot) hangs for ever.
    signal: AbortSignal.timeout(opts.timeoutMs),
    killSignal: 'SIGKILL',
  });
  return new Promise<BuiltReport>((resolve, reject) => {
    child.once('message', (reply: { file: Uint8Array; findings: number; peakRssMb: number } | { error: string }) =>
      'file' in reply
        ? resolve({ ...reply, file: Buffer.from(reply.file.buffer, reply.file.byteOffset, reply.file.byteLength) })
        : reject(new Error(reply.error)),
    );
    child.once('error', (e) =>
      reject(
        e.name === 'AbortError'
          ? new DomainError(
              ErrorCode.SERVICE_UNAVAILABLE,
              `The report was not built within ${opts.timeoutMs} ms (REPORT_BUILD_TIMEOUT_MS); narrow its filter or try again later`,
              { timeoutMs: opts.timeoutMs },
              'REPORT_TIMEOUT',
            )
          : e,
      ),
    );
    child.once('exit', (code) => reject(new Error(`the report builder exited with code ${code}`)));
    child.send(job);
  });
}
