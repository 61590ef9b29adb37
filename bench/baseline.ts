// Baseline benchmark (npm run bench:baseline): RESULTS results of ITEMS items each (default
// 10,000 x 200 = 2,000,000 items) pushed through syncBaselineResults (GraphQL, API key; PER_CALL
// results per call, default as many as BASELINE_SYNC_MAX_ITEMS allows: 50 x 200 = 10,000 items;
// BENCH_PER_CALL=1 sends them one by one through syncBaseline) to a separate API process and worker process, timed from the first request to the last batch DONE; then the
// pass-rate and most-failed queries (precomputed BaselineStat, BaselineFailStat) through GraphQL, p50/p95,
// next to the floor of any authenticated request; next to ceilings measured
// in the same run: a server-side INSERT ... SELECT of the same number of item rows, and the
// GROUP BY over the source rows that the precomputed statistics replace.
// Sizes: BENCH_RESULTS, BENCH_ITEMS (flags for a shared machine). Own database: BENCH_DATABASE_URL.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { JwtService } from '@nestjs/jwt';
import pg from 'pg';
import { newApiKey } from '../src/common/auth/api-key-secret.js';
import { recreateDatabase } from './bench-db.js';
import { startXsc, waitHealthy } from './bench-procs.js';

const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/xsc_bench_baseline';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 3951);
const RESULTS = Number(process.env.BENCH_RESULTS ?? 10_000);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 200);
const ORGS = 10;
const SITES_PER_ORG = 100;
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 8);
const QUERY_RUNS = 200;
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-1234';
const STATUSES = ['PASS', 'PASS', 'PASS', 'FAIL', 'PASS', 'ERROR', 'PASS', 'NOT_APPLICABLE', 'FAIL', 'MANUAL', 'PASS'];

const PER_CALL = Number(process.env.BENCH_PER_CALL ?? Math.max(1, Math.floor(10_000 / ITEMS)));
const SYNC = 'mutation($i: SyncBaselineInput!, $items: [SyncBaselineItemInput!]!) { syncBaseline(input: $i, items: $items) { id } }';
const SYNC_MANY = 'mutation($r: [SyncBaselineResultInput!]!) { syncBaselineResults(results: $r) { error { code message } batch { id } } }';
const PASS_RATES = 'query($by: BaselineGroupBy!) { baselinePassRates(by: $by) { key results passRate } }';


interface Org {
  key: string;
  siteIds: number[];
  taskIds: number[];
}

/** ORGS organisations of SITES_PER_ORG sites; enough BASELINE tasks for RESULTS results; one script of ITEMS checks. */
async function seed(db: pg.Pool) {
  const script = (await db.query<{ id: number }>(
    `INSERT INTO "BaselineScript" (name, target, "updatedAt") VALUES ('bench script', 'linux', now()) RETURNING id`,
  )).rows[0].id;
  await db.query(
    `WITH v AS (INSERT INTO "BaselineScriptVersion" ("scriptId", version) VALUES ($1, 1) RETURNING id)
     INSERT INTO "BaselineCheck" ("versionId", "checkId", position, title, level, expected)
     SELECT v.id, 'chk-' || g, g, 'Bench check ' || g, (ARRAY['CRITICAL','HIGH','MEDIUM','LOW','INFO'])[1 + g % 5]::"VulnLevel", 'on'
     FROM v, generate_series(1, $2) g`,
    [script, ITEMS],
  );
  const rounds = Math.ceil(RESULTS / (ORGS * SITES_PER_ORG));
  const orgs: Org[] = [];
  for (let o = 0; o < ORGS; o++) {
    const org = (await db.query<{ id: number }>(`INSERT INTO "Organization" (name, "updatedAt") VALUES ($1, now()) RETURNING id`, [`bench ${o}`])).rows[0].id;
    const sites = await db.query<{ id: number }>(
      `INSERT INTO "Site" ("organizationId", url, domain, name, "areaCode", "updatedAt")
       SELECT $1::int, 'https://o' || $1::int || 's' || g || '.bench.test', 'bench.test', 'site ' || g,
         (SELECT code FROM "Area" WHERE level = 'CITY' ORDER BY code OFFSET (g % 20) LIMIT 1), now()
       FROM generate_series(1, $2) g RETURNING id`,
      [org, SITES_PER_ORG],
    );
    const { key, prefix, secretHash } = newApiKey();
    await db.query(`INSERT INTO "ApiKey" (name, prefix, "secretHash", scopes, "organizationId") VALUES ('bench', $1, $2, $3, $4)`, [prefix, secretHash, ['sync:baseline'], org]);
    const taskIds = [];
    for (let r = 0; r < rounds; r++) {
      const id = (await db.query<{ id: number }>(`INSERT INTO "Task" ("organizationId", kind, name, "updatedAt") VALUES ($1, 'BASELINE', 'bench', now()) RETURNING id`, [org])).rows[0].id;
      await db.query(`INSERT INTO "TaskSite" ("taskId", "siteId") SELECT $1, unnest($2::int[])`, [id, sites.rows.map((s) => s.id)]);
      taskIds.push(id);
    }
    orgs.push({ key, siteIds: sites.rows.map((s) => s.id), taskIds });
  }
  const admin = (await db.query<{ id: number }>(`INSERT INTO "User" (username, role, "updatedAt") VALUES ('bench-admin', 'ADMIN', now()) RETURNING id`)).rows[0].id;
  const token = new JwtService({ secret: JWT_SECRET, signOptions: { algorithm: 'HS256' } }).sign({ sub: admin, role: 'ADMIN', sid: randomUUID() }, { expiresIn: 3600 });
  return { script, orgs, token };
}

/** The n-th result: organisation, task round and site follow from n; statuses vary per site and round. */
function result(n: number, orgs: Org[], script: number, tag: string) {
  const org = orgs[n % ORGS];
  const site = org.siteIds[Math.floor(n / ORGS) % SITES_PER_ORG];
  const round = Math.floor(n / (ORGS * SITES_PER_ORG));
  const items = Array.from({ length: ITEMS }, (_, i) => ({ checkId: `chk-${i + 1}`, status: STATUSES[(i * 7 + site + round * 3) % STATUSES.length], actual: `v${i % 3}` }));
  return { key: org.key, i: { taskId: org.taskIds[round], siteId: site, scriptId: script, seq: 1, idempotencyKey: `${tag}-${n}` }, items };
}

/**
 * The requests: PER_CALL results of one organisation per call (what an agent holding one key
 * sends), or one result per syncBaseline call when PER_CALL is 1.
 */
function requests(orgs: Org[], script: number, tag: string): { key: string; body: string; many: boolean }[] {
  const byOrg = new Map<string, ReturnType<typeof result>[]>();
  for (let n = 0; n < RESULTS; n++) {
    const r = result(n, orgs, script, tag);
    byOrg.set(r.key, [...(byOrg.get(r.key) ?? []), r]);
  }
  const out: { key: string; body: string; many: boolean }[] = [];
  for (const [key, rs] of byOrg) {
    for (let i = 0; i < rs.length; i += PER_CALL) {
      const part = rs.slice(i, i + PER_CALL);
      out.push(PER_CALL === 1
        ? { key, many: false, body: JSON.stringify({ query: SYNC, variables: { i: part[0].i, items: part[0].items } }) }
        : { key, many: true, body: JSON.stringify({ query: SYNC_MANY, variables: { r: part.map((p) => ({ ...p.i, items: p.items })) } }) });
    }
  }
  return out;
}

function start(role: 'api' | 'worker', prefix: string): ChildProcess {
  const heap = role === 'worker' ? ['--max-old-space-size=192'] : [];
  const prof = process.env.BENCH_PROF === role ? ['--cpu-prof', '--cpu-prof-dir=/tmp/xsc-prof-baseline'] : [];
  return startXsc(role, { JWT_SECRET, DATABASE_URL: DB_URL, REDIS_URL, QUEUE_PREFIX: prefix, PORT: String(PORT), LOG_LEVEL: 'warn',
    INGEST_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? '4' }, [...prof, ...heap]);
}

async function gql(body: string, auth: string): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body });
  const json = (await res.json()) as { data?: any; errors?: unknown };
  if (!json.data) throw new Error(`request failed: ${JSON.stringify(json.errors)}`);
  return json.data;
}

async function push(reqs: { key: string; body: string; many: boolean }[]): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const client = async () => {
    while (next < reqs.length) {
      const { key, body: b, many } = reqs[next++];
      const data = await gql(b, `ApiKey ${key}`);
      if (!many) ids.push(data.syncBaseline.id);
      else {
        for (const o of data.syncBaselineResults) {
          if (o.error) throw new Error(`a result was refused: ${JSON.stringify(o.error)}`);
          ids.push(o.batch.id);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, client));
  return ids;
}

async function waitDone(db: pg.Pool, tag: string, count: number) {
  for (;;) {
    const r = await db.query<{ done: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE status = 'DONE')::int AS done, count(*) FILTER (WHERE status = 'FAILED')::int AS failed
       FROM "IngestBatch" WHERE "idempotencyKey" LIKE $1`,
      [`${tag}-%`],
    );
    if (r.rows[0].failed) throw new Error('a batch FAILED');
    if (r.rows[0].done === count) return;
    await new Promise((res) => setTimeout(res, 50));
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function timed(n: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50), p95: pct(ms, 95) };
}

const fmt = (x: { p50: number; p95: number }) => `p50 ${x.p50.toFixed(2)} ms, p95 ${x.p95.toFixed(2)} ms`;

async function main() {
  const total = RESULTS * ITEMS;
  console.log(`xsc baseline benchmark: ${RESULTS} results x ${ITEMS} items = ${total} items, ${ORGS} organisations x ${SITES_PER_ORG} sites, ${PER_CALL} results per call, ${PARALLEL} requests in flight; ` +
    `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs (figures scale with what else runs)`);
  await recreateDatabase(DB_URL);
  const db = new pg.Pool({ connectionString: DB_URL, max: 2 });
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const api = start('api', prefix);
  const worker = start('worker', prefix);
  try {
    await waitHealthy(PORT); // the API loads the areas the sites use
    const { script, orgs, token } = await seed(db);
    await new Promise((r) => setTimeout(r, 1000));
    const reqs = requests(orgs, script, 'r');
    const t0 = performance.now();
    const ids = await push(reqs);
    const answeredMs = performance.now() - t0;
    await waitDone(db, 'r', ids.length);
    const ms = performance.now() - t0;
    const stored = (await db.query('SELECT count(*)::int AS n FROM "BaselineResultItem"')).rows[0].n;
    console.log(`syncBaseline end to end: ${total} items in ${(ms / 1000).toFixed(2)} s = ${Math.round(total / (ms / 1000))} items/s ` +
      `(${Math.round(RESULTS / (ms / 1000))} results/s, ${reqs.length} calls; all requests answered after ${(answeredMs / 1000).toFixed(2)} s; ${stored} items stored)`);

    await db.query('ANALYZE');
    // The floor: what any authenticated GraphQL request costs here (HTTP, JWT and session check, user lookup).
    const me = JSON.stringify({ query: '{ me { id } }' });
    for (let i = 0; i < 20; i++) await gql(me, `Bearer ${token}`);
    console.log(`floor: { me { id } } through GraphQL (not a statistic): ${fmt(await timed(QUERY_RUNS, () => gql(me, `Bearer ${token}`)))}`);
    for (const by of ['SCRIPT', 'ORGANIZATION', 'AREA']) {
      const q = JSON.stringify({ query: PASS_RATES, variables: { by } });
      for (let i = 0; i < 20; i++) await gql(q, `Bearer ${token}`);
      console.log(`baselinePassRates(by: ${by}) through GraphQL: ${fmt(await timed(QUERY_RUNS, () => gql(q, `Bearer ${token}`)))}`);
    }
    const statSql = `SELECT "scriptId", sum("passWeight") * 100.0 / NULLIF(sum("scoredWeight"), 0) FROM "BaselineStat" GROUP BY 1`;
    console.log(`  server-side SQL on BaselineStat (by script): ${fmt(await timed(QUERY_RUNS, () => db.query(statSql)))}`);
    const sourceSql = `SELECT r."scriptId", sum(CASE WHEN i.status = 'PASS' THEN 1 ELSE 0 END) FROM "BaselineResult" r
      JOIN "BaselineResultItem" i ON i."resultId" = r.id WHERE r."isLatest" GROUP BY 1`;
    console.log(`  the GROUP BY over source rows it replaces: ${fmt(await timed(3, () => db.query(sourceSql)))}`);
    const top = JSON.stringify({ query: '{ baselineTopFailedChecks(limit: 10) { checkId title failingSites } }' });
    for (let i = 0; i < 20; i++) await gql(top, `Bearer ${token}`);
    console.log(`baselineTopFailedChecks (precomputed BaselineFailStat) through GraphQL: ${fmt(await timed(QUERY_RUNS, () => gql(top, `Bearer ${token}`)))}`);
    const topSource = `SELECT r."scriptId", i."checkId", count(*) FROM "BaselineResultItem" i JOIN "BaselineResult" r ON r.id = i."resultId" AND r."isLatest"
      WHERE i.status = 'FAIL' GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10`;
    console.log(`  the GROUP BY over source rows it replaces: ${fmt(await timed(3, () => db.query(topSource)))}`);

    // Ceiling: the same number of item rows written server-side into a copy of the table (same indexes).
    await db.query(`CREATE TABLE bench_items (LIKE "BaselineResultItem" INCLUDING DEFAULTS INCLUDING INDEXES)`);
    const t1 = performance.now();
    await db.query(`INSERT INTO bench_items SELECT * FROM "BaselineResultItem"`);
    const insertMs = performance.now() - t1;
    await db.query('DROP TABLE bench_items');
    console.log(`ceiling: server-side INSERT ... SELECT of ${stored} item rows: ${(insertMs / 1000).toFixed(2)} s = ${Math.round(stored / (insertMs / 1000))} items/s`);
  } finally {
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
    await db.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
