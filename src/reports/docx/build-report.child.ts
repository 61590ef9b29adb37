import type { ReportLang } from '../labels.js';
import type { ReportData } from '../report-data.js';
import { buildSiteReport } from './site-report.docx.js';

// Entry of the child process that builds one report (see build-report.ts).
process.once('message', (job: { data: ReportData; lang: ReportLang }) => {
  buildSiteReport(job.data, job.lang).then(
    (file) => process.send!(file, () => process.exit(0)),
    (e: Error) => process.send!({ error: e.message }, () => process.exit(1)),
  );
});
