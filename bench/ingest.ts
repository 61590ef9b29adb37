// Ingestion benchmark (npm run bench:ingest): 100,000 findings across 1,000 sites pushed through
// the real GraphQL API with an API key (20 chunks of 5,000) to a separate API process and worker
// process, timed from the first request to the last batch DONE; then the same 100,000 again (all
// duplicates); then a server-side INSERT ... ON CONFLICT of the same rows for comparison.
// Uses its own database (BENCH_DATABASE_URL, default xsc_bench_ingest, dropped and re-created).
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, openAsBlob, readFileSync, statSync, unlinkSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { newApiKey } from '../src/common/auth/api-key-secret.js';
import { writeZapReport } from './synthetic-zap.js';
import { recreateDatabase } from './bench-db.js';
import { startXsc, waitHealthy } from './bench-procs.js';

const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/xsc_bench_ingest';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 3917);
const SITES = 1000;
const FINDINGS = 100_000;
const CHUNK = 5000;
const PARALLEL = 4;
const CHECKS = 200;

const SYNC = 'mutation($i: SyncVulnsInput!, $f: [SyncVulnRecordInput!]!) { syncVulns(input: $i, findings: $f) { id } }';


async function seed(db: pg.Pool) {
  const org = (await db.query<{ id: number }>(`INSERT INTO "Organization" (name, "updatedAt") VALUES ('bench', now()) RETURNING id`)).rows[0].id;
  const sites = await db.query<{ id: number }>(
    `INSERT INTO "Site" ("organizationId", url, domain, name, "updatedAt")
     SELECT $1, 'https://s' || g || '.bench.test', 's' || g || '.bench.test', 'site ' || g, now() FROM generate_series(1, $2) g RETURNING id`,
    [org, SITES],
  );
  const { key, prefix, secretHash } = newApiKey();
  await db.query(`INSERT INTO "ApiKey" (name, prefix, "secretHash", scopes, "organizationId") VALUES ('bench', $1, $2, $3, $4)`, [
    prefix, secretHash, ['sync:vulns', 'tasks:claim'], org,
  ]);
  const newTask = async () => {
    const id = (await db.query<{ id: number }>(`INSERT INTO "Task" ("organizationId", kind, name, "updatedAt") VALUES ($1, 'VULN_SCAN', 'bench', now()) RETURNING id`, [org])).rows[0].id;
    await db.query(`INSERT INTO "TaskSite" ("taskId", "siteId") SELECT $1, unnest($2::int[])`, [id, sites.rows.map((s) => s.id)]);
    return id;
  };
  return { key, siteIds: sites.rows.map((s) => s.id), newTask };
}

function chunks(siteIds: number[], taskId: number, round: string): string[] {
  const bodies: string[] = [];
  for (let c = 0; c < FINDINGS / CHUNK; c++) {
    const findings = [];
    for (let i = c * CHUNK; i < (c + 1) * CHUNK; i++) {
      const site = siteIds[i % SITES];
      const check = (i * 7) % CHECKS;
      findings.push({
        siteId: String(site),
        checkId: `bench-${check}`,
        name: `Bench check ${check}`,
        level: ['critical', 'high', 'medium', 'low', 'info'][check % 5],
        kind: 'bench',
        url: `https://s${site}.bench.test/app/page${Math.floor(i / SITES)}?id=${i}&q=x`,
        parameter: 'id',
        evidence: `evidence for finding ${i}`,
        cwe: ['79'],
      });
    }
    bodies.push(JSON.stringify({ query: SYNC, variables: { i: { taskId, seq: c + 1, idempotencyKey: `${round}-${c}`, scanner: 'bench' }, f: findings } }));
  }
  return bodies;
}

function start(role: 'api' | 'worker', prefix: string): ChildProcess {
  const prof = process.env.BENCH_PROF === role ? ['--cpu-prof', '--cpu-prof-dir=/tmp/xsc-prof'] : [];
  // The worker's V8 heap cap (MB), as `npm run start:worker` sets it; 0 = Node's default (a quarter
  // of RAM, so the RSS then mostly measures how lazily V8 collects garbage).
  const heapMb = Number(process.env.BENCH_WORKER_HEAP_MB ?? 192);
  const heap = role === 'worker' && heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : [];
  return startXsc(role, { JWT_SECRET: 'bench-secret-bench-secret-bench-secret-1234', DATABASE_URL: DB_URL, REDIS_URL, QUEUE_PREFIX: prefix,
    PORT: String(PORT), LOG_LEVEL: 'warn', INGEST_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? '2' }, [...prof, ...heap]);
}

async function push(bodies: string[], key: string): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `ApiKey ${key}` },
        body,
      });
      const json = (await res.json()) as { data?: { syncVulns: { id: string } }; errors?: unknown };
      if (!json.data) throw new Error(`push failed: ${JSON.stringify(json.errors)}`);
      ids.push(json.data.syncVulns.id);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return ids;
}

async function waitDone(db: pg.Pool, ids: string[]) {
  for (;;) {
    const r = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM "IngestBatch" WHERE id = ANY($1::uuid[]) GROUP BY status`, [ids]);
    const done = r.rows.find((x) => x.status === 'DONE')?.n ?? 0;
    if (r.rows.some((x) => x.status === 'FAILED')) throw new Error('a batch FAILED');
    if (done === ids.length) return;
    await new Promise((res) => setTimeout(res, 10));
  }
}

async function round(db: pg.Pool, name: string, bodies: string[], key: string) {
  const t0 = performance.now();
  const ids = await push(bodies, key);
  const pushedMs = performance.now() - t0;
  await waitDone(db, ids);
  const ms = performance.now() - t0;
  const sums = (await db.query(`SELECT sum(created)::int AS created, sum(updated)::int AS updated, sum(rejected)::int AS rejected FROM "IngestBatch" WHERE id = ANY($1::uuid[])`, [ids])).rows[0];
  console.log(`${name}: ${FINDINGS} findings in ${(ms / 1000).toFixed(2)} s = ${Math.round(FINDINGS / (ms / 1000))} findings/s ` +
    `(all requests answered after ${(pushedMs / 1000).toFixed(2)} s; created ${sums.created}, updated ${sums.updated}, rejected ${sums.rejected})`);
  return FINDINGS / (ms / 1000);
}

async function serverSide(db: pg.Pool) {
  await db.query(`CREATE TABLE bench_copy (LIKE "Finding" INCLUDING DEFAULTS INCLUDING INDEXES)`);
  const t0 = performance.now();
  await db.query(`INSERT INTO bench_copy SELECT * FROM "Finding"`);
  const insertMs = performance.now() - t0;
  const t1 = performance.now();
  await db.query(`INSERT INTO bench_copy SELECT * FROM "Finding" ON CONFLICT (fingerprint) DO UPDATE SET "lastSeen" = EXCLUDED."lastSeen", "lastTaskId" = EXCLUDED."lastTaskId", evidence = EXCLUDED.evidence`);
  const conflictMs = performance.now() - t1;
  await db.query('DROP TABLE bench_copy');
  const rate = (ms: number) => Math.round(FINDINGS / (ms / 1000));
  console.log(`server-side INSERT ... SELECT (all new): ${(insertMs / 1000).toFixed(2)} s = ${rate(insertMs)} rows/s`);
  console.log(`server-side INSERT ... ON CONFLICT DO UPDATE (all conflicts): ${(conflictMs / 1000).toFixed(2)} s = ${rate(conflictMs)} rows/s`);
  return { insert: FINDINGS / (insertMs / 1000), conflict: FINDINGS / (conflictMs / 1000) };
}

/** A synthetic ~100 MB Nuclei JSONL file on the bench sites (large request/response bodies, as real ones have). */
async function writeNucleiFile(file: string, siteIds: number[], targetBytes: number): Promise<number> {
  const out = createWriteStream(file);
  const body = 'x'.repeat(1500);
  let bytes = 0;
  let n = 0;
  while (bytes < targetBytes) {
    const site = siteIds[n % siteIds.length];
    const line = JSON.stringify({
      'template-id': `bench-tpl-${n % 300}`,
      info: { name: `Bench template ${n % 300}`, severity: ['critical', 'high', 'medium', 'low', 'info'][n % 5], tags: ['bench'] },
      type: 'http',
      host: `https://s${site}.bench.test`,
      'matched-at': `https://s${site}.bench.test/file/${n}?id=1`,
      'matcher-name': `m${n % 7}`,
      'extracted-results': [`token-${n}`],
      request: `GET /file/${n}?id=1 HTTP/1.1\r\nHost: s${site}.bench.test\r\n\r\n`,
      response: `HTTP/1.1 200 OK\r\n\r\n${body}`,
      timestamp: new Date().toISOString(),
    }) + '\n';
    bytes += Buffer.byteLength(line);
    n++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}

/** A synthetic ~100 MB ZAP XML report on the bench sites. */
const writeZapFile = (file: string, siteIds: number[], targetBytes: number) =>
  writeZapReport(file, targetBytes, siteIds.map((id) => `s${id}.bench.test`));

const FILE_FORMATS = {
  NUCLEI: { ext: 'jsonl', write: writeNucleiFile, unit: 'lines' },
  ZAP: { ext: 'xml', write: writeZapFile, unit: 'instances' },
} as const;

async function fileRound(db: pg.Pool, siteIds: number[], taskId: number, key: string, prefix: string, format: keyof typeof FILE_FORMATS) {
  const { ext, write, unit } = FILE_FORMATS[format];
  const file = path.join(os.tmpdir(), `xsc-bench-${process.pid}.${ext}`);
  const lines = await write(file, siteIds, 100 * 1024 * 1024);
  const mb = statSync(file).size / 1024 / 1024;
  const worker = start('worker', prefix); // a fresh worker, so its peak memory is this import's alone
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const t0 = performance.now();
    const form = new FormData();
    form.append('file', await openAsBlob(file), `scan.${ext}`);
    const res = await fetch(`http://127.0.0.1:${PORT}/ingest/files?taskId=${taskId}&format=${format}`, {
      method: 'POST', headers: { authorization: `ApiKey ${key}` }, body: form,
    });
    const batch = (await res.json()) as { id: string };
    if (res.status !== 202) throw new Error(`upload failed: ${res.status} ${JSON.stringify(batch)}`);
    const uploadedMs = performance.now() - t0;
    await waitDone(db, [batch.id]);
    const ms = performance.now() - t0;
    const b = (await db.query('SELECT received, created, updated, rejected FROM "IngestBatch" WHERE id = $1', [batch.id])).rows[0];
    console.log(`${format} file of ${mb.toFixed(0)} MB (${lines} ${unit}): stored in ${(uploadedMs / 1000).toFixed(2)} s, DONE after ${(ms / 1000).toFixed(2)} s ` +
      `(received ${b.received}, created ${b.created}, updated ${b.updated}, rejected ${b.rejected}); worker peak RSS ${peakRss(worker)} MB`);
  } finally {
    worker.kill('SIGTERM');
    unlinkSync(file);
  }
}

const peakRss = (p: ChildProcess) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

async function main() {
  console.log(`xsc ingest benchmark: ${FINDINGS} findings, ${SITES} sites, ${FINDINGS / CHUNK} chunks of ${CHUNK}, ${PARALLEL} requests in flight`);
  await recreateDatabase(DB_URL);
  const db = new pg.Pool({ connectionString: DB_URL, max: 2 });
  const { key, siteIds, newTask } = await seed(db);
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const api = start('api', prefix);
  const worker = start('worker', prefix);
  try {
    await waitHealthy(PORT);
    await new Promise((r) => setTimeout(r, 1000)); // the worker boots too
    // Warm-up (not timed): 2 chunks on the same sites under other URLs, so both processes have
    // compiled their hot paths; the library entries they create are reused by the timed rounds.
    const warm = chunks(siteIds, await newTask(), 'warm').slice(0, 2).map((b) => b.replaceAll('/app/', '/warm/'));
    await waitDone(db, await push(warm, key));
    await db.query('ANALYZE');
    const first = await round(db, 'new findings', chunks(siteIds, await newTask(), 'r1'), key);
    const again = await round(db, 'same findings again (all duplicates)', chunks(siteIds, await newTask(), 'r2'), key);
    const total = (await db.query('SELECT count(*)::int AS n FROM "Finding"')).rows[0].n;
    console.log(`findings stored: ${total} (10000 of them from the warm-up)`);
    await db.query(`DELETE FROM "Finding" WHERE url LIKE '%/warm/%'`);
    const server = await serverSide(db);
    console.log(`ratio API / server-side: new ${(first / server.insert).toFixed(2)}, duplicates ${(again / server.conflict).toFixed(2)}`);
    console.log(`peak RSS: api ${peakRss(api)} MB, worker ${peakRss(worker)} MB`);
    worker.kill('SIGTERM');
    await fileRound(db, siteIds, await newTask(), key, prefix, 'NUCLEI');
    await fileRound(db, siteIds, await newTask(), key, prefix, 'ZAP');
  } finally {
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
    await db.end();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
