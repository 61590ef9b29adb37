// npm run bench:export: 1,000,000 findings seeded by bulk SQL in a dedicated database
// (BENCH_DATABASE_URL, default xsc_bench_export on the local PostgreSQL), then
//  - the findings CSV export (query stream + csv-stringify, the code behind GET /exports/findings.csv)
//    of all of them into a counting sink: rows/s and this process's peak RSS, next to a plain
//    `COPY (same query) TO STDOUT` by psql in the same run (the ceiling);
//  - the Word report of a site with 5,000 findings (summary from the statistics, findings streamed
//    by a cursor into the docx builder's child process, as a worker builds it), timed.
// BENCH_EXPORT_FINDINGS=50000 makes a quick, relative run (the report's site keeps its 5,000).
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { streamFindingsCsv } from '../src/reports/csv/stream-findings-csv.js';
import { findingsCsvSql } from '../src/reports/csv/findings-csv.sql.js';
import { buildReportFile } from '../src/reports/docx/build-report.js';
import { loadReportHeader } from '../src/reports/report-data.js';
import { organizationReader, SiteSummaryService } from '../src/reports/site-summary.js';
import type { SqlPool } from '../src/db/sql-pool.js';
import { StatsQueryService } from '../src/stats/stats-query.service.js';
import { AGGREGATES, replaceSitesSql } from '../src/stats/aggregates.js';
import { UPDATE_SCORES_SQL } from '../src/sites/score.js';
import { recreateDatabase } from './bench-db.js';

/** BENCH_EXPORT_FINDINGS lowers the total for a quick, relative run (the report site keeps its 5,000). */
const FINDINGS = Number(process.env.BENCH_EXPORT_FINDINGS ?? 1_000_000);
const REPORT_SITE_FINDINGS = 5000;
const SITES = 20;

const dbUrl = new URL(process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/xsc_bench_export');

const freshDatabase = () => recreateDatabase(dbUrl.href);

/** One organisation, 20 sites, 50 library entries; site 1 gets 5,000 findings, the rest share the remainder. */
async function seed(pool: pg.Pool): Promise<number> {
  await pool.query(`INSERT INTO "Organization" (name, "updatedAt") VALUES ('某市大数据局', now())`);
  await pool.query(`INSERT INTO "Site" ("organizationId", url, domain, name, "updatedAt", "securityScore", "riskLevel")
    SELECT 1, 'https://www' || g || '.example.gov.cn', 'example.gov.cn', '门户网站 ' || g, now(), 60, 'HIGH' FROM generate_series(1, ${SITES}) g`);
  await pool.query(`INSERT INTO "VulnEntry" (key, name, level, kind, description, solution, "references", "updatedAt")
    SELECT 'name:entry-' || g, (ARRAY['SQL 注入', '跨站脚本', '目录遍历', '信息泄露', '弱口令'])[1 + g % 5] || ' ' || g,
           (ARRAY['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO']::"VulnLevel"[])[1 + g % 5], 'injection',
           '攻击者可以构造恶意输入读取或篡改数据。', '使用参数化查询，严格校验输入。', ARRAY['https://owasp.org/'], now()
    FROM generate_series(1, 50) g`);
  const started = Date.now();
  await pool.query(`INSERT INTO "Finding" ("organizationId", "siteId", "entryId", scanner, url, location, parameter, evidence, level, status,
                                           fingerprint, "firstSeen", "lastSeen")
    SELECT 1, CASE WHEN g <= ${REPORT_SITE_FINDINGS} THEN 1 ELSE 2 + g % ${SITES - 1} END, 1 + g % 50, 'zap',
           'https://www.example.gov.cn/page.php?id=' || g, 'https://www.example.gov.cn/page.php', 'id',
           'GET /page.php?id=' || g || E'\\' HTTP/1.1\\nHost: www.example.gov.cn\\n\\nYou have an error in your SQL syntax; check the manual near ''' || g || '''',
           (ARRAY['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO']::"VulnLevel"[])[1 + g % 5],
           (ARRAY['OPEN', 'OPEN', 'FIXED', 'IGNORED']::"FindingStatus"[])[1 + g % 4],
           md5(g::text) || md5('x' || g), now() - (g % 1000 || ' hours')::interval, now()
    FROM generate_series(1, ${FINDINGS}) g`);
  const seconds = (Date.now() - started) / 1000;
  // What the stats worker's drain does with the sites the triggers marked dirty.
  const sites = Array.from({ length: SITES }, (_, i) => i + 1);
  for (const a of AGGREGATES) await pool.query(replaceSitesSql(a), [sites]);
  await pool.query(UPDATE_SCORES_SQL, [sites]);
  await pool.query('DELETE FROM "StatDirtySite"');
  await pool.query('VACUUM ANALYZE');
  return seconds;
}

async function main() {
  console.log(`bench:export on ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (shared machine)`);
  await freshDatabase();
  const pool = new pg.Pool({ connectionString: dbUrl.href, max: 2 });
  console.log(`seeded ${FINDINGS.toLocaleString('en')} findings by INSERT ... SELECT in ${(await seed(pool)).toFixed(1)} s`);

  // Ceiling: the same query, COPY'd to stdout by psql (server-side formatting, no JS at all).
  const { text, values } = findingsCsvSql(null, {}, 'zh');
  const literal = (v: unknown) => (Array.isArray(v) ? `ARRAY[${v.map((s) => pg.escapeLiteral(String(s))).join(',')}]` : pg.escapeLiteral(String(v)));
  const inlined = text.replace(/\$(\d+)/g, (_, i: string) => literal(values[Number(i) - 1]));
  let started = Date.now();
  execFileSync('psql', [dbUrl.href, '-q', '-c', `\\copy (${inlined.replace(/\s+/g, ' ')}) TO '/dev/null' (FORMAT csv)`]);
  const copySeconds = (Date.now() - started) / 1000;

  let rss = process.memoryUsage().rss;
  const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 50);
  let bytes = 0;
  started = Date.now();
  await pipeline(
    await streamFindingsCsv(pool, null, {}, 'zh'),
    new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done();
      },
    }),
  );
  const exportSeconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const rows = FINDINGS;
  console.log(`plain COPY (psql, same query):   ${copySeconds.toFixed(2)} s  (${Math.round(rows / copySeconds).toLocaleString('en')} rows/s)`);
  console.log(
    `CSV export (rows streamed through csv-stringify): ${exportSeconds.toFixed(2)} s  (${Math.round(rows / exportSeconds).toLocaleString('en')} rows/s, ` +
      `${(bytes / 1e6).toFixed(0)} MB of CSV), peak RSS ${(Math.max(rss, process.resourceUsage().maxRSS * 1024) / 2 ** 20).toFixed(0)} MB`,
  );

  // The statistics read through a plain pool, as SqlPool does in the app.
  const sql = { pool, rows: async (text: string, values?: unknown[]) => (await pool.query(text, values)).rows } as unknown as SqlPool;
  const summaries = new SiteSummaryService(new StatsQueryService(sql), sql);
  started = Date.now();
  const selection = { siteId: 1, filter: {} };
  const header = await loadReportHeader(pool, selection, await summaries.summary(organizationReader(1), 1));
  const loaded = Date.now();
  const { file: docx, findings, peakRssMb } = await buildReportFile({ header, selection, lang: 'zh', databaseUrl: dbUrl.href }, { timeoutMs: 600_000 });
  const built = Date.now();
  console.log(
    `Word report, site with ${findings.toLocaleString('en')} findings: ${((built - started) / 1000).toFixed(2)} s ` +
      `(summary ${((loaded - started) / 1000).toFixed(2)} s, findings streamed + docx ${((built - loaded) / 1000).toFixed(2)} s, ${(docx.length / 1e6).toFixed(1)} MB), ` +
      `builder process peak RSS ${peakRssMb ?? '?'} MB`,
  );
  await pool.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
