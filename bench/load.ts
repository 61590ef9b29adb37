// npm run bench:load: mixed traffic on loopback against a real API process and a worker process.
// Dashboard reads (site list, findings list, statistics) by USERs of 10 organisations, and a
// scanner pushing syncVulns chunks at the same time, for BENCH_LOAD_SECONDS (60) with
// BENCH_LOAD_CLIENTS (8) readers in flight; prints throughput, errors and p50/p95/p99 per
// operation, and, first, the rate of a trivial query alone at the same concurrency (the ceiling).
// Raise BENCH_LOAD_CLIENTS until errors appear or p99 grows out of bounds to find the highest
// rate the machine sustains. Own database: BENCH_LOAD_DATABASE_URL (default xsc_bench_load).
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { JwtService } from '@nestjs/jwt';
import pg from 'pg';
import { newApiKey } from '../src/common/auth/api-key-secret.js';
import { recreateDatabase } from './bench-db.js';
import { seedFindings } from './seed-findings.js';
import { startXsc, waitHealthy } from './bench-procs.js';

const DB_URL = process.env.BENCH_LOAD_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/xsc_bench_load';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 3919);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const CLIENTS = Number(process.env.BENCH_LOAD_CLIENTS ?? 8);
const CEILING_SECONDS = 10;
const CHUNK = 500;
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-1234';
const ENDPOINT = `http://127.0.0.1:${PORT}/graphql`;

const READS = {
  'sites (first 20, totalCount)': '{ sites(first: 20) { totalCount edges { node { id name securityScore riskLevel } } } }',
  'vulns (first 20, totalCount)': '{ vulns(first: 20) { totalCount edges { node { id level status url } } } }',
  'vulnTotals': '{ vulnTotals { level status count } }',
  'vulnLevelStat': '{ vulnLevelStat { level count } }',
  'riskiestSites (top 10)': '{ riskiestSites(first: 10) { siteId securityScore } }',
};
const TRIVIAL = '{ me { id } }';
const SYNC = 'mutation($i: SyncVulnsInput!, $f: [SyncVulnRecordInput!]!) { syncVulns(input: $i, findings: $f) { id } }';

function start(role: 'api' | 'worker', prefix: string): ChildProcess {
  return startXsc(role, { JWT_SECRET, DATABASE_URL: DB_URL, REDIS_URL, QUEUE_PREFIX: prefix, PORT: String(PORT), LOG_LEVEL: 'warn',
    STATS_RECONCILE_CRON: '', PROBE_SCHEDULE_CRON: '' });
}

class Samples {
  readonly times: number[] = [];
  errors = 0;
  firstError?: string;
  add(ms: number) {
    this.times.push(ms);
  }
  fail(e: string) {
    this.errors++;
    this.firstError ??= e.slice(0, 300);
  }
  pct(p: number) {
    const s = [...this.times].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
  }
}

async function post(auth: string, query: string, variables?: unknown): Promise<void> {
  const res = await fetch(ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
  if (res.status !== 200 || body.errors) throw new Error(`${res.status} ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
}

/** `clients` loops calling `pick()` until `seconds` have passed; samples per operation name. */
async function drive(seconds: number, clients: number, pick: () => [string, () => Promise<void>], samples: Map<string, Samples>) {
  const end = performance.now() + seconds * 1000;
  const client = async () => {
    while (performance.now() < end) {
      const [name, run] = pick();
      const s = samples.get(name) ?? samples.set(name, new Samples()).get(name)!;
      const t0 = performance.now();
      try {
        await run();
        s.add(performance.now() - t0);
      } catch (e) {
        s.fail((e as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
}

const f2 = (n: number) => n.toFixed(2).padStart(9);

function report(title: string, seconds: number, samples: Map<string, Samples>) {
  console.log(`\n${title}`);
  console.log(`${'operation'.padEnd(34)}${'req/s'.padStart(9)}${'errors'.padStart(8)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}`);
  let total = 0;
  for (const [name, s] of samples) {
    total += s.times.length;
    console.log(`${name.padEnd(34)}${f2(s.times.length / seconds)}${String(s.errors).padStart(8)}${f2(s.pct(50))}${f2(s.pct(95))}${f2(s.pct(99))}`);
    if (s.firstError) console.log(`  first error: ${s.firstError}`);
  }
  console.log(`${'all'.padEnd(34)}${f2(total / seconds)}`);
}

async function main(): Promise<void> {
  console.log(`xsc load benchmark: ${CLIENTS} clients, ${SECONDS} s of mixed traffic; ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await recreateDatabase(DB_URL);
  const db = new pg.Pool({ connectionString: DB_URL, max: 2 });
  const t0 = Date.now();
  await seedFindings((sql) => db.query(sql), { orgs: 10, sitesPerOrg: 50, findingsPerSite: 400, entries: 300 });
  const users = (await db.query<{ id: number; role: 'USER' | 'ADMIN'; organizationId: number | null }>(
    `SELECT id, role, "organizationId" FROM "User" WHERE username LIKE 'bench-%' ORDER BY id`,
  )).rows;
  const org = users.find((u) => u.role === 'USER')!.organizationId!;
  const { key, prefix: keyPrefix, secretHash } = newApiKey();
  await db.query(`INSERT INTO "ApiKey" (name, prefix, "secretHash", scopes, "organizationId") VALUES ('bench', $1, $2, $3, $4)`, [keyPrefix, secretHash, ['sync:vulns'], org]);
  const sites = (await db.query<{ id: number; url: string }>(`SELECT id, url FROM "Site" WHERE "organizationId" = $1 ORDER BY id`, [org])).rows;
  const task = (await db.query<{ id: number }>(`INSERT INTO "Task" ("organizationId", kind, name, "updatedAt") VALUES ($1, 'VULN_SCAN', 'load', now()) RETURNING id`, [org])).rows[0].id;
  await db.query(`INSERT INTO "TaskSite" ("taskId", "siteId") SELECT $1, unnest($2::int[])`, [task, sites.map((s) => s.id)]);
  console.log(`seeded ${(await db.query('SELECT count(*)::int AS n FROM "Finding"')).rows[0].n} findings over 500 sites of 10 organisations in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const queue = `bench-load-${randomUUID().slice(0, 8)}`;
  const api = start('api', queue);
  const worker = start('worker', queue);
  try {
    await waitHealthy(PORT);
    // The worker computes the seeded statistics first; measuring starts once they are current.
    for (let i = 0; (await db.query('SELECT count(*)::int AS n FROM "StatDirtySite"')).rows[0].n > 0; i++) {
      if (i > 600) throw new Error('statistics did not catch up');
      await new Promise((r) => setTimeout(r, 200));
    }
    const jwt = new JwtService({ secret: JWT_SECRET });
    const bearer = users.filter((u) => u.role === 'USER').map((u) => `Bearer ${jwt.sign({ sub: u.id, role: u.role, sid: randomUUID() }, { expiresIn: 3600 })}`);
    let turn = 0;
    const someUser = () => bearer[turn++ % bearer.length];

    const ceiling = new Map<string, Samples>();
    await drive(CEILING_SECONDS, CLIENTS, () => ['me { id } (trivial)', () => post(someUser(), TRIVIAL)], ceiling);
    report(`ceiling: a trivial query alone, ${CLIENTS} clients, ${CEILING_SECONDS} s`, CEILING_SECONDS, ceiling);

    // One scanner pushing 500-finding chunks back to back, while the readers run.
    let seq = 0;
    const pushed: string[] = [];
    const ingest = new Samples();
    const end = performance.now() + SECONDS * 1000;
    const scanner = (async () => {
      while (performance.now() < end) {
        seq++;
        const findings = Array.from({ length: CHUNK }, (_, i) => {
          const site = sites[(seq * CHUNK + i) % sites.length];
          return { siteId: String(site.id), checkId: `load-${i % 50}`, name: `Load check ${i % 50}`, level: 'medium', url: `${site.url}/load/${seq}/${i}`, evidence: 'load' };
        });
        const t1 = performance.now();
        try {
          const res = await fetch(ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `ApiKey ${key}` },
            body: JSON.stringify({ query: SYNC, variables: { i: { taskId: task, seq, idempotencyKey: `load-${seq}`, scanner: 'load' }, f: findings } }) });
          const body = (await res.json()) as { data?: { syncVulns: { id: string } }; errors?: unknown };
          if (!body.data) throw new Error(JSON.stringify(body.errors).slice(0, 300));
          pushed.push(body.data.syncVulns.id);
          ingest.add(performance.now() - t1);
        } catch (e) {
          ingest.fail((e as Error).message);
        }
      }
    })();
    const names = Object.keys(READS) as (keyof typeof READS)[];
    const mixed = new Map<string, Samples>();
    await drive(SECONDS, CLIENTS, () => {
      const name = names[Math.floor(Math.random() * names.length)];
      return [name, () => post(someUser(), READS[name])];
    }, mixed);
    await scanner;
    mixed.set(`syncVulns (${CHUNK} findings)`, ingest);
    report(`mixed: ${CLIENTS} reading clients + 1 scanner, ${SECONDS} s`, SECONDS, mixed);

    const applied = Date.now();
    for (;;) {
      const r = (await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM "IngestBatch" WHERE id = ANY($1::uuid[]) GROUP BY 1`, [pushed])).rows;
      if (r.some((x) => x.status === 'FAILED')) throw new Error('an ingest batch FAILED');
      if ((r.find((x) => x.status === 'DONE')?.n ?? 0) === pushed.length) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    console.log(`\ningested ${pushed.length * CHUNK} findings in ${pushed.length} batches during the run (${Math.round((pushed.length * CHUNK) / SECONDS)} findings/s); ` +
      `the last was applied ${((Date.now() - applied) / 1000).toFixed(1)} s after the run ended`);
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
    await db.end();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
