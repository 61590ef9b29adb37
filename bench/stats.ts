// npm run bench:stats: 1,000,000 findings over 1,000 sites in 10 organisations (bulk SQL) in a
// dedicated database (BENCH_STATS_DATABASE_URL, default xsc_bench_stats on the local PostgreSQL);
// the aggregates computed by the stats writer (timed); then every statistics query through
// GraphQL with USER tokens (rotating organisations) and an ADMIN token (everything): p50/p95 over
// REQUESTS requests, printed beside the time of the same numbers by GROUP BY over the source rows.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { AccessTokenService } from '../src/common/auth/access-token.service.js';
import { createApp } from '../src/boot.js';
import { loadEnv } from '../src/config/env.schema.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { StatsWriterService } from '../src/stats/stats-writer.service.js';
import { recreateDatabase } from './bench-db.js';
import { seedFindings } from './seed-findings.js';

const ORGS = 10;
const SITES_PER_ORG = 100;
const FINDINGS_PER_SITE = 1000;
const ENTRIES = 300;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARMUP = 30;
const GROUP_BY_RUNS = 5;

const dbUrl = new URL(process.env.BENCH_STATS_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/xsc_bench_stats');

const freshDatabase = () => recreateDatabase(dbUrl.href);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (n: number) => `${n.toFixed(2)} ms`.padStart(11);

const DAY = 86_400_000;
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
const range = { from: new Date(today.getTime() - 29 * DAY).toISOString(), to: new Date(today.getTime() + DAY).toISOString() };

/** Each statistic: its GraphQL query, and the same numbers by GROUP BY over the source ($1 = organisation or null). */
const CASES: { name: string; query: string; vars?: Record<string, unknown>; groupBy: string }[] = [
  {
    name: 'vulnTotals',
    query: '{ vulnTotals { level status count } }',
    groupBy: `SELECT level, status, count(*) FROM "Finding" WHERE "trashedAt" IS NULL AND ($1::int IS NULL OR "organizationId" = $1) GROUP BY 1, 2`,
  },
  {
    name: 'vulnLevelStat',
    query: '{ vulnLevelStat { level count } }',
    groupBy: `SELECT level, count(*) FROM "Finding" WHERE "trashedAt" IS NULL AND status = 'OPEN' AND ($1::int IS NULL OR "organizationId" = $1) GROUP BY 1`,
  },
  {
    name: 'vulnAreaStat (provinces)',
    query: '{ vulnAreaStat { areaCode areaName count byLevel { level count } } }',
    groupBy: `SELECT COALESCE(a."parentCode", a.code), f.level, count(*) FROM "Finding" f JOIN "Site" s ON s.id = f."siteId" LEFT JOIN "Area" a ON a.code = s."areaCode"
              WHERE f."trashedAt" IS NULL AND f.status = 'OPEN' AND ($1::int IS NULL OR f."organizationId" = $1) GROUP BY 1, 2`,
  },
  {
    name: 'vulnKindStat',
    query: '{ vulnKindStat { kind count } }',
    groupBy: `SELECT e.kind, count(*) FROM "Finding" f JOIN "VulnEntry" e ON e.id = f."entryId"
              WHERE f."trashedAt" IS NULL AND f.status = 'OPEN' AND ($1::int IS NULL OR f."organizationId" = $1) GROUP BY 1`,
  },
  {
    name: 'vulnNameStat (top 10)',
    query: '{ vulnNameStat(first: 10) { entryId name count } }',
    groupBy: `SELECT "entryId", count(*) FROM "Finding" WHERE "trashedAt" IS NULL AND status = 'OPEN' AND ($1::int IS NULL OR "organizationId" = $1)
              GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
  },
  {
    name: 'riskiestSites (top 10)',
    query: '{ riskiestSites(first: 10) { siteId name securityScore riskLevel open { level count } } }',
    groupBy: `SELECT "siteId", level, count(*) FROM "Finding" WHERE "trashedAt" IS NULL AND status = 'OPEN' AND ($1::int IS NULL OR "organizationId" = $1) GROUP BY 1, 2`,
  },
  {
    name: 'siteRiskDistribution',
    query: '{ siteRiskDistribution { riskLevel siteCount } }',
    groupBy: `SELECT "siteId", level, count(*) FROM "Finding" WHERE "trashedAt" IS NULL AND status = 'OPEN' AND ($1::int IS NULL OR "organizationId" = $1) GROUP BY 1, 2`,
  },
  {
    name: 'vulnTimeline (30 days by day + previous 30)',
    query: `query($from: DateTime!, $to: DateTime!) { vulnTimeline(from: $from, to: $to) {
      current { buckets { start levels { level opened fixed openAtEnd } } totals { level opened fixed openAtEnd meanTimeToFixHours } }
      previous { buckets { start levels { level opened fixed openAtEnd } } totals { level opened fixed openAtEnd meanTimeToFixHours } } } }`,
    vars: range,
    groupBy: `SELECT d, level, sum(o), sum(x) FROM (
                SELECT "firstSeen"::date d, level, 1 o, 0 x FROM "Finding" WHERE "trashedAt" IS NULL AND ($1::int IS NULL OR "organizationId" = $1)
                  AND "firstSeen" >= now() - interval '60 days'
                UNION ALL
                SELECT h."createdAt"::date, f.level, 0, 1 FROM "FindingHistory" h JOIN "Finding" f ON f.id = h."findingId"
                WHERE f."trashedAt" IS NULL AND ($1::int IS NULL OR f."organizationId" = $1) AND h."createdAt" >= now() - interval '60 days') e
              GROUP BY 1, 2`,
  },
  {
    name: 'relatedDomainStat',
    query: '{ relatedDomainStat(first: 10) { total probe scanner sites { siteId count } organizations { organizationId count } } }',
    groupBy: `SELECT s."organizationId", d."siteId", count(*) FROM "RelatedDomain" d JOIN "Site" s ON s.id = d."siteId"
              WHERE ($1::int IS NULL OR s."organizationId" = $1) GROUP BY 1, 2`,
  },
];

async function main(): Promise<void> {
  const t0 = Date.now();
  const reuse = process.env.BENCH_REUSE === '1';
  if (!reuse) await freshDatabase();
  const env = loadEnv({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl.href,
    PROCESS_ROLE: 'api', // no worker: the aggregates are computed below, in this process, and timed
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `xsc-bench-${process.pid}`,
    ADMIN_USERNAME: '',
    ADMIN_PASSWORD: '',
  });
  const app = await createApp(env);
  await app.listen(0, '127.0.0.1');
  const endpoint = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/graphql`;
  const prisma = app.get(PrismaService);
  if (!reuse) {
    let s = Date.now();
    await seedFindings((sql) => prisma.$executeRawUnsafe(sql), { orgs: ORGS, sitesPerOrg: SITES_PER_ORG, findingsPerSite: FINDINGS_PER_SITE, entries: ENTRIES });
    console.log(`seeded ${await prisma.finding.count()} findings, ${await prisma.findingHistory.count()} history rows, ` +
      `${await prisma.site.count()} sites, ${ORGS} organisations in ${((Date.now() - s) / 1000).toFixed(1)} s`);
    s = Date.now();
    const writer = app.get(StatsWriterService);
    let sites = 0;
    for (let n; (n = await writer.drain(600_000)); ) sites += n;
    console.log(`aggregates computed from scratch for ${sites} sites in ${((Date.now() - s) / 1000).toFixed(1)} s`);
    await prisma.$executeRawUnsafe('VACUUM ANALYZE');
    const r = await writer.reconcile();
    console.log(`reconcile of everything: ${(r.durationMs / 1000).toFixed(1)} s, repaired ${r.sitesRepaired} sites / ${r.rollupRowsRepaired} rollup rows (0 expected)`);
  }
  const users = await prisma.user.findMany({ where: { username: { startsWith: 'bench-' } }, orderBy: { id: 'asc' } });
  const sign = (u: (typeof users)[number]) => app.get(AccessTokenService).sign({ id: u.id, role: u.role }, randomUUID());
  const userTokens = users.filter((u) => u.role === 'USER').map((u) => ({ token: sign(u), org: u.organizationId! }));
  const adminToken = sign(users.find((u) => u.role === 'ADMIN')!);

  const gql = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    return body.data!;
  };
  const timeGql = async (tokenOf: (i: number) => string, c: (typeof CASES)[number]) => {
    const times: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const started = performance.now();
      await gql(tokenOf(i), c.query, c.vars);
      if (i >= WARMUP) times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b);
  };
  const timeGroupBy = async (sql: string, org: number | null) => {
    const times: number[] = [];
    for (let i = 0; i < GROUP_BY_RUNS; i++) {
      const started = performance.now();
      await prisma.$queryRawUnsafe(sql, org);
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[Math.floor(GROUP_BY_RUNS / 2)];
  };

  console.log(`machine: ${cpus().length} CPUs shared with other engineers' work, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} before measuring`);
  console.log(`${REQUESTS} GraphQL requests per statistic and token (after ${WARMUP} warm-up), one at a time; GROUP BY = median of ${GROUP_BY_RUNS} runs of the`);
  console.log('same numbers computed over the source tables (organisation of the USER, or everything for the ADMIN)');
  console.log(`${'statistic'.padEnd(46)}${'USER p50'.padStart(11)}${'USER p95'.padStart(11)}${'GROUP BY'.padStart(11)}${'ADMIN p50'.padStart(11)}${'ADMIN p95'.padStart(11)}${'GROUP BY'.padStart(11)}`);
  // The cost of any authenticated GraphQL request on this machine now: `me` (token check, one row by key).
  const floor: (typeof CASES)[number] = { name: 'floor: { me { id } } (not a statistic)', query: '{ me { id } }', groupBy: '' };
  // One warm-up pass over every query first, so the first rows are not measured on cold code paths.
  for (const c of [floor, ...CASES]) for (let i = 0; i < WARMUP; i++) await gql(userTokens[i % userTokens.length].token, c.query, c.vars);
  const fu = await timeGql((i) => userTokens[i % userTokens.length].token, floor);
  const fa = await timeGql(() => adminToken, floor);
  console.log(`${floor.name.padEnd(46)}${ms(pct(fu, 50))}${ms(pct(fu, 95))}${''.padStart(11)}${ms(pct(fa, 50))}${ms(pct(fa, 95))}`);
  let worst = 0;
  for (const c of CASES) {
    const user = await timeGql((i) => userTokens[i % userTokens.length].token, c);
    const admin = await timeGql(() => adminToken, c);
    const gbUser = await timeGroupBy(c.groupBy, userTokens[0].org);
    const gbAll = await timeGroupBy(c.groupBy, null);
    worst = Math.max(worst, pct(user, 95), pct(admin, 95));
    console.log(`${c.name.padEnd(46)}${ms(pct(user, 50))}${ms(pct(user, 95))}${ms(gbUser)}${ms(pct(admin, 50))}${ms(pct(admin, 95))}${ms(gbAll)}`);
  }
  console.log(`worst p95 ${ms(worst).trim()} (target < 10 ms); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} after measuring`);
  await app.close();
  console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
