import { pathToFileURL } from 'node:url';
import { reportFindingsFrom } from '../report-data.js';
import type { ReportJob } from './build-report.js';
import { buildSiteReport } from './site-report.docx.js';

/** Builds one report, its findings streamed from PostgreSQL. */
export const buildReport = (job: ReportJob): Promise<{ file: Buffer; findings: number }> =>
  buildSiteReport(job.header, reportFindingsFrom(job.databaseUrl, job.selection), job.lang);

// Entry of the child process that builds one report (see build-report.ts); imported in-process, it only exports.
if (process.send && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.once('message', (job: ReportJob) => {
    buildReport(job).then(
      ({ file, findings }) => process.send!({ file, findings, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }, () => process.exit(0)),
      (e: Error) => process.send!({ error: e.message }, () => process.exit(1)),
    );
  });
}
