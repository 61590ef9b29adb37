import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReportFile, type ReportJob } from './build-report.js';

// The compiled builder (npm test builds before jest runs): the timeout applies to the forked process.
const ENTRY = path.resolve(fileURLToPath(import.meta.url), '../../../../dist/reports/docx/build-report.child.js');

describe('buildReportFile', () => {
  it('kills a builder that outlives REPORT_BUILD_TIMEOUT_MS and fails with REPORT_TIMEOUT', async () => {
    const job = { header: {}, selection: { siteId: 1, filter: {} }, lang: 'zh', databaseUrl: 'postgresql://127.0.0.1:1/none' } as unknown as ReportJob;
    // 20 ms: less than the child needs to load its modules, so it is still running when the time is up.
    await expect(buildReportFile(job, { timeoutMs: 20, entry: ENTRY })).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      reasonCode: 'REPORT_TIMEOUT',
      details: { timeoutMs: 20 },
    });
  });
});
