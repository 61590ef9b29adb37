// Flow-log benchmark (npm run bench:flows [-- --records N --hours H]): N flow records (default
// 2,000,000) on 1,000 sites, starting within the last H hours (default 1: a live stream, whose
// records a collector exports minutes after they start; 20 gives a backfill, each request
// touching 20 hours of aggregate rows), pushed to a separate API process with an API key, first through the bulk
// endpoint (NDJSON bodies of 100,000 records, gzip), then through syncFlow (10,000 per call),
// each timed from the first request to the last answer (an answer means the records and their
// hourly aggregates are committed); the API's peak RSS; a server-side COPY of the same rows for
// comparison; then aggregate queries over 30 days of hourly rows for 1,000 sites (p50/p95).
// Request bodies are built before each round's clock starts.
// Uses its own database (BENCH_DATABASE_URL, default xsc_bench_flows, dropped and re-created).
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { gzipSync } from 'node:zlib';
import { JwtService } from '@nestjs/jwt';
import pg from 'pg';
import { newApiKey } from '../src/common/auth/api-key-secret.js';
import { recreateDatabase } from './bench-db.js';
import { startXsc, waitHealthy } from './bench-procs.js';

const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/xsc_bench_flows';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 3931);
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-1234';
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RECORDS = arg('records', 2_000_000);
const SITES = 1000;
const BULK_RECORDS = 100_000;
const SYNC_RECORDS = 10_000;
const PARALLEL = arg('parallel', 2);
const HOURS = arg('hours', 1);
const HOUR = 3_600_000;

const SYNC = 'mutation($k: String!, $r: [FlowRecord!]!) { syncFlow(chunkKey: $k, records: $r) { accepted rejected } }';
const AGG = `query($from: DateTime!, $to: DateTime!, $groupBy: FlowDimension!, $siteId: ID, $limit: Int) {
  flowAggregates(from: $from, to: $to, groupBy: $groupBy, siteId: $siteId, limit: $limit) { key bytes connections } }`;


/** An organisation with 1,000 sites on 10.0.x.y, a sync:flows key and a USER token. */
async function seedOrg(db: pg.Pool, name: string) {
  const org = (await db.query<{ id: number }>(`INSERT INTO "Organization" (name, "updatedAt") VALUES ($1, now()) RETURNING id`, [name])).rows[0].id;
  const sites = await db.query<{ id: number }>(
    `INSERT INTO "Site" ("organizationId", url, domain, name, ip, "updatedAt")
     SELECT $1, 'https://' || $2 || g || '.bench.test', $2 || g || '.bench.test', 'site ' || g, '10.0.' || (g / 256) || '.' || (g % 256), now()
     FROM generate_series(1, $3) g RETURNING id`,
    [org, name, SITES],
  );
  const { key, prefix, secretHash } = newApiKey();
  await db.query(`INSERT INTO "ApiKey" (name, prefix, "secretHash", scopes, "organizationId") VALUES ($1, $2, $3, $4, $5)`, [name, prefix, secretHash, ['sync:flows'], org]);
  const user = (await db.query<{ id: number }>(
    `INSERT INTO "User" (username, "passwordHash", role, "organizationId", "updatedAt") VALUES ($1, 'x', 'USER', $2, now()) RETURNING id`,
    [`bench-${name}`, org],
  )).rows[0].id;
  const token = new JwtService({ secret: JWT_SECRET }).sign({ sub: user, role: 'USER', sid: randomUUID() }, { expiresIn: 3600 });
  return { org, key, token, siteIds: sites.rows.map((s) => s.id) };
}

/** Deterministic synthetic traffic starting within the last HOURS hours: 1,000 sites as destinations, 50,000 sources. */
function* records(count: number, seed: number) {
  let s = seed;
  const rnd = (n: number) => (s = (s * 16807) % 2147483647) % n;
  const SPREAD = HOURS * HOUR;
  const base = Date.now() - SPREAD;
  for (let i = 0; i < count; i++) {
    const site = 1 + rnd(SITES);
    const start = base + rnd(SPREAD);
    const src = rnd(50_000);
    yield {
      start: new Date(start).toISOString(), end: new Date(start + rnd(60_000)).toISOString(),
      srcAddr: `172.${16 + (src >> 16)}.${(src >> 8) & 255}.${src & 255}`, srcPort: 1024 + rnd(60_000),
      dstAddr: `10.0.${site >> 8}.${site & 255}`, dstPort: [443, 80, 22, 3389, 8080][rnd(5)],
      protocol: rnd(10) ? 6 : 17, bytes: rnd(200_000), packets: 1 + rnd(200), action: rnd(10) ? 'ALLOW' : 'DENY',
    };
  }
}

// V8 heap cap of the API (MB; 0 = Node's default, a quarter of RAM, so the RSS then mostly
// measures how lazily V8 collects garbage). Workers get 192 MB, as `npm run start:worker` sets.
const API_HEAP_MB = Number(process.env.BENCH_API_HEAP_MB ?? 192);

function start(role: 'api' | 'worker', prefix: string): ChildProcess {
  const heapMb = role === 'api' ? API_HEAP_MB : 192;
  const heap = heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : [];
  // BENCH_API_ARGS: extra node flags for the API, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const extra = role === 'api' ? (process.env.BENCH_API_ARGS ?? '').split(' ').filter(Boolean) : [];
  return startXsc(role, { JWT_SECRET, DATABASE_URL: DB_URL, REDIS_URL, QUEUE_PREFIX: prefix, PORT: String(PORT), LOG_LEVEL: 'warn' }, [...heap, ...extra]);
}

/** CPU seconds (user + system) a process has used, from its /proc stat line. */
const statCpu = (stat: string) => {
  const f = stat.split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const cpuSeconds = (p: ChildProcess) => statCpu(readFileSync(`/proc/${p.pid}/stat`, 'utf8'));

/** CPU seconds of every PostgreSQL process, by pid (backends, WAL writer, checkpointer...). */
const postgresCpu = () => {
  const byPid = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.includes('(postgres)')) byPid.set(pid, statCpu(stat));
    } catch {
      // the process ended meanwhile
    }
  }
  return byPid;
};

/** Runs a round, and reports the CPU the API and PostgreSQL spent on it, per record. */
async function measured(api: ChildProcess, round: () => Promise<number>): Promise<{ ms: number; cpu: string }> {
  const [api0, pg0] = [cpuSeconds(api), postgresCpu()];
  const ms = await round();
  const apiCpu = cpuSeconds(api) - api0;
  let pgCpu = 0;
  for (const [pid, s] of postgresCpu()) pgCpu += s - (pg0.get(pid) ?? 0);
  const perRecord = (s: number) => ((s / RECORDS) * 1e6).toFixed(1);
  const cores = availableParallelism();
  return {
    ms,
    cpu: `CPU: API ${apiCpu.toFixed(1)} s, PostgreSQL ${pgCpu.toFixed(1)} s, of ${((cores * ms) / 1000).toFixed(1)} s on ${cores} cores ` +
      `(${perRecord(apiCpu)} + ${perRecord(pgCpu)} µs a record; ${cores} cores give ${(cores * 10).toFixed(1)} µs a record at 100,000 records/s)`,
  };
}

const peakRss = (p: ChildProcess) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

/** Sends the bodies `PARALLEL` at a time; returns the wall time from the first request to the last answer. */
async function send(bodies: (string | Buffer)[], request: (body: string | Buffer, i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      await request(bodies[i], i);
    }
  };
  console.log(`  sending ${bodies.length} requests`);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return performance.now() - t0;
}

/** The round's records cut into request bodies, built before the clock starts. */
function bodies<T>(seed: number, perRequest: number, build: (records: object[], i: number) => T): T[] {
  const out: T[] = [];
  const gen = records(RECORDS, seed);
  for (let i = 0; i * perRequest < RECORDS; i++) {
    const batch: object[] = [];
    for (let r = gen.next(); ; r = gen.next()) {
      if (r.done) break;
      batch.push(r.value);
      if (batch.length === perRequest) break;
    }
    out.push(build(batch, i));
  }
  return out;
}

async function bulkRound(key: string, seed: number): Promise<number> {
  const gz = bodies(seed, BULK_RECORDS, (batch) => gzipSync(batch.map((r) => JSON.stringify(r)).join('\n') + '\n', { level: 1 }));
  return send(gz, async (body, i) => {
    const res = await fetch(`http://127.0.0.1:${PORT}/ingest/flows?chunkKey=bulk-${seed}-${i}`, {
      method: 'POST', headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' }, body,
    });
    const json = (await res.json()) as { accepted?: number };
    if (res.status !== 201 || json.accepted === undefined) throw new Error(`bulk push failed: ${res.status} ${JSON.stringify(json)}`);
  });
}

async function syncRound(key: string, seed: number): Promise<number> {
  const json = bodies(seed, SYNC_RECORDS, (batch, i) => JSON.stringify({ query: SYNC, variables: { k: `sync-${seed}-${i}`, r: batch } }));
  return send(json, async (body) => {
    const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
      method: 'POST', headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/json' }, body,
    });
    const answer = (await res.json()) as { data?: unknown; errors?: unknown };
    if (!answer.data) throw new Error(`syncFlow failed: ${JSON.stringify(answer.errors)}`);
  });
}

async function report(db: pg.Pool, name: string, org: number, ms: number) {
  const stored = (await db.query('SELECT count(*)::int AS n FROM flows.record WHERE organization_id = $1', [org])).rows[0].n;
  const counted = (await db.query('SELECT sum(connections)::int AS n FROM flows.hourly WHERE organization_id = $1', [org])).rows[0].n;
  if (stored !== RECORDS || counted !== RECORDS) throw new Error(`${name}: ${stored} stored, ${counted} in the hourly aggregates, ${RECORDS} sent`);
  console.log(`${name}: ${RECORDS} records in ${(ms / 1000).toFixed(2)} s = ${Math.round(RECORDS / (ms / 1000))} records/s ` +
    'end to end (every answer given after its records and hourly aggregates were committed)');
}

/** The same rows COPYed server-side (from a file on the server) into a plain table with the same index. */
async function serverCopy(db: pg.Pool, org: number) {
  const file = `/tmp/xsc-bench-flows-${process.pid}.copy`;
  await db.query(`COPY (SELECT * FROM flows.record WHERE organization_id = ${org}) TO '${file}'`);
  await db.query('CREATE TABLE bench_copy (LIKE flows.record INCLUDING DEFAULTS)');
  await db.query('CREATE INDEX ON bench_copy (organization_id, time_start, id)');
  const t0 = performance.now();
  await db.query(`COPY bench_copy FROM '${file}'`);
  const ms = performance.now() - t0;
  await db.query('DROP TABLE bench_copy');
  await db.query(`COPY (SELECT 1) TO PROGRAM 'rm -f ${file}'`);
  console.log(`server-side COPY of the same ${RECORDS} rows into a plain indexed table: ${(ms / 1000).toFixed(2)} s = ${Math.round(RECORDS / (ms / 1000))} rows/s`);
}

/** 30 days of hourly rows for 1,000 sites, two ports each, written in SQL (the aggregates the queries read). */
async function seedHourly(db: pg.Pool, org: number) {
  const to = Math.floor(Date.now() / HOUR) * HOUR;
  const from = to - 30 * 24 * HOUR;
  await db.query(
    `INSERT INTO flows.hourly (organization_id, hour, site_id, dst_port, protocol, action, bytes, packets, connections, distinct_sources)
     SELECT $1, h, s.id, p, 6, (CASE WHEN (s.id + p) % 7 = 0 THEN 'DENY' ELSE 'ALLOW' END)::flows.action,
            (random() * 1e7)::bigint, (random() * 1e4)::bigint, (random() * 1e3)::bigint + 1, (random() * 100)::bigint + 1
     FROM generate_series($2::timestamptz, $3::timestamptz - interval '1 hour', interval '1 hour') h
     CROSS JOIN (SELECT id FROM "Site" WHERE "organizationId" = $1) s
     CROSS JOIN (VALUES (443), (80)) ports(p)
     ORDER BY h, s.id, p`,
    [org, new Date(from), new Date(to)],
  );
  // The rollups the ingest path keeps next to flows.hourly, derived the same way. Every table is
  // written in time order, as the ingest writes it (an hour's rows come together, in key order,
  // and later chunks update them in place): not in the order a hash aggregate happens to emit.
  await db.query(`INSERT INTO flows.daily (organization_id, day, site_id, dst_port, protocol, action, bytes, packets, connections)
    SELECT organization_id, date_trunc('day', hour, 'UTC'), site_id, dst_port, protocol, action, sum(bytes), sum(packets), sum(connections)
    FROM flows.hourly WHERE organization_id = $1 GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 2, 3, 4, 5, 6`, [org]);
  await db.query(`INSERT INTO flows.hourly_total (organization_id, hour, protocol, action, bytes, packets, connections)
    SELECT organization_id, hour, protocol, action, sum(bytes), sum(packets), sum(connections)
    FROM flows.hourly WHERE organization_id = $1 GROUP BY 1, 2, 3, 4 ORDER BY 2, 3, 4`, [org]);
  for (const [table, time, keys, from] of [
    ['hourly_port', 'hour', 'dst_port, protocol, action', 'hourly'], ['daily_port', 'day', 'dst_port, protocol, action', 'daily'],
    ['hourly_site', 'hour', 'site_id', 'hourly'], ['daily_site', 'day', 'site_id', 'daily'],
  ]) {
    await db.query(`INSERT INTO flows.${table} (organization_id, ${time}, ${keys}, bytes, packets, connections)
      SELECT organization_id, ${time}, ${keys}, sum(bytes), sum(packets), sum(connections) FROM flows.${from}
      WHERE organization_id = $1 GROUP BY organization_id, ${time}, ${keys} ORDER BY ${time}, ${keys}`, [org]);
  }
  await db.query('ANALYZE flows.hourly; ANALYZE flows.daily; ANALYZE flows.hourly_total; ANALYZE flows.hourly_port; ANALYZE flows.daily_port; ANALYZE flows.hourly_site; ANALYZE flows.daily_site');
  const n = (await db.query('SELECT count(*)::int AS n FROM flows.hourly WHERE organization_id = $1', [org])).rows[0].n;
  return { from, to, rows: n };
}

async function queries(token: string, siteId: number, range: { from: number; to: number; rows: number }) {
  const iso = (ms: number) => new Date(ms).toISOString();
  const mixes = [
    ...['HOUR', 'DAY', 'SITE', 'PORT', 'PROTOCOL', 'ACTION'].map((groupBy) => ({ from: iso(range.from), to: iso(range.to), groupBy, limit: 1000 })),
    ...['HOUR', 'SITE', 'PORT'].map((groupBy) => ({ from: iso(range.to - 24 * HOUR), to: iso(range.to), groupBy, limit: 100 })),
    { from: iso(range.from), to: iso(range.to), groupBy: 'DAY', siteId: String(siteId) },
  ];
  const times: number[] = [];
  const byMix = mixes.map((): number[] => []);
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: AGG, variables: mixes[i % mixes.length] }),
    });
    const json = (await res.json()) as { data?: unknown; errors?: unknown };
    if (!json.data) throw new Error(`flowAggregates failed: ${JSON.stringify(json.errors)}`);
    const ms = performance.now() - t0;
    if (i >= 20) { // the first round warms up
      times.push(ms);
      byMix[i % mixes.length].push(ms);
    }
  }
  const p = (list: number[], q: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))].toFixed(1);
  console.log(`flowAggregates over ${range.rows} hourly rows (30 days x 1,000 sites x 2 ports; 10 mixes: 6 dimensions over 30 days, ` +
    `3 over 24 h, one site by day): p50 ${p(times, 0.5)} ms, p95 ${p(times, 0.95)} ms, p99 ${p(times, 0.99)} ms over ${times.length} requests`);
  const median = (m: number) => Number(p(byMix[m], 0.5));
  const slowest = mixes.map((_, m) => m).sort((a, b) => median(b) - median(a)).slice(0, 3);
  console.log('  slowest mixes (median): ' + slowest.map((m) => {
    const mix: { groupBy: string; from: string; to: string; siteId?: string } = mixes[m];
    return `${mix.groupBy} over ${Math.round((Date.parse(mix.to) - Date.parse(mix.from)) / HOUR)} h${mix.siteId ? ' of one site' : ''} ${p(byMix[m], 0.5)} ms`;
  }).join(', '));
}

async function main() {
  await recreateDatabase(DB_URL);
  const db = new pg.Pool({ connectionString: DB_URL, max: 2 });
  const settings = await db.query<{ name: string; value: string }>(
    `SELECT name, current_setting(name) AS value FROM pg_settings WHERE name IN ('shared_buffers', 'max_wal_size', 'wal_buffers') ORDER BY name`,
  );
  console.log(`xsc flow benchmark: ${RECORDS} records per round starting within the last ${HOURS} h, ${SITES} sites, ${PARALLEL} requests in flight, ` +
    `API heap cap ${API_HEAP_MB || 'none'} MB (load average at start ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}; ` +
    `PostgreSQL ${settings.rows.map((r) => `${r.name} ${r.value}`).join(', ')})`);
  const bulkOrg = await seedOrg(db, 'bulk');
  const syncOrg = await seedOrg(db, 'sync');
  const aggOrg = await seedOrg(db, 'agg');
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const worker = start('worker', prefix); // makes the day partitions
  const api = start('api', prefix);
  try {
    await waitHealthy(PORT);
    await new Promise((r) => setTimeout(r, 2000));
    const bulk = await measured(api, () => bulkRound(bulkOrg.key, 11));
    await report(db, `bulk POST /ingest/flows (gzip NDJSON, ${BULK_RECORDS} per request)`, bulkOrg.org, bulk.ms);
    console.log(`  ${bulk.cpu}; API peak RSS so far ${peakRss(api)} MB`);
    const sync = await measured(api, () => syncRound(syncOrg.key, 29));
    await report(db, `syncFlow (${SYNC_RECORDS} per call)`, syncOrg.org, sync.ms);
    console.log(`  ${sync.cpu}; API peak RSS so far ${peakRss(api)} MB`);
    await serverCopy(db, bulkOrg.org);
    await queries(aggOrg.token, aggOrg.siteIds[0], await seedHourly(db, aggOrg.org));
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
