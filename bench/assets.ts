// Assets benchmark (npm run bench:assets [-- --hosts 10000 --ports 20 --stat-assets 100000
// --stat-ports-per-asset 20 --samples 300]):
//  1. a synthetic Nmap XML of N hosts x M ports uploaded to POST /ingest/files of an API process
//     and imported by a separate worker process, timed from upload to batch DONE, with the
//     worker's peak RSS; then the same file again (every host and port re-seen); next to it, the
//     same rows written server-side by one INSERT ... SELECT / ON CONFLICT (the ceiling);
//  2. asset statistics of an organisation seeded by SQL (100,000 assets, 2,000,000 ports): the
//     rebuild time (the statistics' lag), then p50/p95 of the assetStats GraphQL query, next to
//     the same statement sent straight to PostgreSQL.
// Uses its own database (BENCH_DATABASE_URL, default xsc_bench_assets, dropped and re-created).
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, openAsBlob, readFileSync, statSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { newApiKey } from '../src/common/auth/api-key-secret.js';
import { assetStatsSql, LIST_KINDS } from '../src/assets/asset-stats.service.js';
import { hashPassword } from '../src/common/auth/password-hasher.js';
import { recreateDatabase } from './bench-db.js';
import { startXsc, waitHealthy } from './bench-procs.js';

const { values: flags } = parseArgs({
  options: {
    hosts: { type: 'string', default: '10000' },
    ports: { type: 'string', default: '20' },
    'stat-assets': { type: 'string', default: '100000' },
    'stat-ports-per-asset': { type: 'string', default: '20' },
    samples: { type: 'string', default: '300' },
  },
});
const HOSTS = Number(flags.hosts);
const PORTS = Number(flags.ports);
const STAT_ASSETS = Number(flags['stat-assets']);
const STAT_PORTS = Number(flags['stat-ports-per-asset']);
const SAMPLES = Number(flags.samples);
const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/xsc_bench_assets';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 3918);
const SERVICES = ['ssh', 'http', 'https', 'mysql', 'redis', 'rdp', 'smtp', 'dns', 'ftp', 'postgresql'];


/** Port j of host i: 20 well-known ports first, then spread over 1-10000 (the scanned range). */
const portOf = (i: number, j: number) => (j < 10 ? [22, 80, 443, 3306, 6379, 3389, 25, 53, 21, 5432][j] : 1024 + ((i * 37 + j * 101) % 8900));

async function writeNmap(file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('<?xml version="1.0"?>\n<nmaprun scanner="nmap" args="nmap -sV -O" version="7.94">\n');
  await write('<scaninfo type="syn" protocol="tcp" numservices="10000" services="1-10000"/>\n');
  for (let i = 0; i < HOSTS; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    let ports = '';
    const seen = new Set<number>();
    for (let j = 0; j < PORTS; j++) {
      const p = portOf(i, j);
      if (seen.has(p)) continue;
      seen.add(p);
      const svc = SERVICES[(i + j) % SERVICES.length];
      ports += `<port protocol="tcp" portid="${p}"><state state="open" reason="syn-ack"/><service name="${svc}" product="Product ${j}" version="${i % 7}.${j}" method="probed" conf="10"><cpe>cpe:/a:vendor:product${j}:${i % 7}</cpe></service></port>`;
    }
    await write(
      `<host><status state="up"/><address addr="${ip}" addrtype="ipv4"/><hostnames><hostname name="h${i}.bench.test" type="user"/></hostnames>` +
        `<ports>${ports}</ports><os><osmatch name="${i % 3 ? 'Linux 5.x' : 'Windows Server 2019'}" accuracy="9${i % 10}">` +
        `<osclass osfamily="${i % 3 ? 'Linux' : 'Windows'}"/></osmatch></os></host>\n`,
    );
  }
  await write('</nmaprun>\n');
  out.end();
  await once(out, 'finish');
}

function start(role: 'api' | 'worker', prefix: string): ChildProcess {
  const heap = role === 'worker' ? ['--max-old-space-size=192'] : []; // as `npm run start:worker`
  return startXsc(role, { JWT_SECRET: 'bench-secret-bench-secret-bench-secret-1234', DATABASE_URL: DB_URL, REDIS_URL, QUEUE_PREFIX: prefix,
    PORT: String(PORT), LOG_LEVEL: 'warn', INGEST_MAX_FILE_MB: '500' }, heap);
}

const peakRss = (p: ChildProcess) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

async function importRound(db: pg.Pool, org: number, name: string, file: string, key: string, taskId: number) {
  const t0 = performance.now();
  const form = new FormData();
  form.append('file', await openAsBlob(file), 'scan.xml');
  const res = await fetch(`http://127.0.0.1:${PORT}/ingest/files?taskId=${taskId}&format=NMAP`, { method: 'POST', headers: { authorization: `ApiKey ${key}` }, body: form });
  const batch = (await res.json()) as { id: string };
  if (res.status !== 202) throw new Error(`upload failed: ${res.status} ${JSON.stringify(batch)}`);
  const storedMs = performance.now() - t0;
  for (;;) {
    const b = (await db.query('SELECT status, error, received, created, updated, rejected FROM "IngestBatch" WHERE id = $1', [batch.id])).rows[0];
    if (b.status === 'FAILED') throw new Error(`batch FAILED: ${b.error}`);
    if (b.status === 'DONE') {
      const s = (performance.now() - t0) / 1000;
      // After an import the worker rebuilds the organisation's statistics (once the import has been
      // quiet a while) and relays an event per exposure opened: the next round starts once both are
      // done, so it does not pay for this round's follow-up work.
      const current = await statisticsCurrent(db, org);
      const relayed = await eventsRelayed(db, org);
      console.log(`${name}: ${b.received} ports of ${HOSTS} hosts DONE after ${s.toFixed(2)} s (stored after ${(storedMs / 1000).toFixed(2)} s; ` +
        `created ${b.created}, updated ${b.updated}, rejected ${b.rejected}) = ${Math.round(b.received / s)} ports/s; ` +
        `statistics current ${((current - t0) / 1000).toFixed(2)} s and exposure events relayed ${((relayed - t0) / 1000).toFixed(2)} s after the upload began`);
      return s;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function serverSide(db: pg.Pool) {
  await db.query('CREATE TABLE bench_ports (LIKE "ServicePort" INCLUDING DEFAULTS INCLUDING INDEXES)');
  const t0 = performance.now();
  const n = (await db.query('INSERT INTO bench_ports SELECT * FROM "ServicePort"')).rowCount ?? 0;
  const insertS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await db.query(`INSERT INTO bench_ports SELECT * FROM "ServicePort" ON CONFLICT ("assetId", protocol, port) DO UPDATE SET "lastSeen" = EXCLUDED."lastSeen", "lastTaskId" = EXCLUDED."lastTaskId"`);
  const conflictS = (performance.now() - t1) / 1000;
  await db.query('DROP TABLE bench_ports');
  console.log(`ceiling, server-side: INSERT ... SELECT of the ${n} ports ${insertS.toFixed(2)} s; ON CONFLICT DO UPDATE of them all ${conflictS.toFixed(2)} s`);
}

async function seedStatistics(db: pg.Pool, org: number) {
  const t0 = performance.now();
  await db.query(
    `INSERT INTO "Asset" ("organizationId", ip, hostnames, "osName", "osFamily", liveness, "updatedAt")
     SELECT $1, '100.64.0.0'::inet + g, ARRAY['a' || g || '.stats.test'], 'OS ' || (g % 7), (ARRAY['Linux', 'Windows', 'BSD', NULL])[1 + g % 4],
       (ARRAY['UP', 'UP', 'UP', 'DOWN', 'UNKNOWN'])[1 + g % 5]::"AssetLiveness", now()
     FROM generate_series(1, $2) g`,
    [org, STAT_ASSETS],
  );
  await db.query(
    `INSERT INTO "ServicePort" ("organizationId", "assetId", port, protocol, state, service, scanner)
     SELECT $1, a.id, 1 + ((a.id * 31 + j * 977) % 65000), 'TCP', (ARRAY['OPEN', 'OPEN', 'OPEN', 'CLOSED', 'FILTERED'])[1 + (a.id + j) % 5]::"PortState",
       (ARRAY['ssh', 'http', 'https', 'mysql', 'redis', 'rdp', 'smtp', 'dns', 'ftp', NULL])[1 + (a.id + j) % 10], 'bench'
     FROM "Asset" a CROSS JOIN generate_series(1, $2) j WHERE a."organizationId" = $1
     ON CONFLICT DO NOTHING`,
    [org, STAT_PORTS],
  );
  await db.query('VACUUM ANALYZE'); // a steady state: autovacuum of the 2,000,000 new rows would otherwise run during the timing
  const ports = (await db.query('SELECT count(*)::int AS n FROM "ServicePort" WHERE "organizationId" = $1', [org])).rows[0].n;
  console.log(`statistics data: ${STAT_ASSETS} assets and ${ports} ports seeded by SQL in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** When the organisation's statistics have no pending change left (performance.now()). */
async function statisticsCurrent(db: pg.Pool, org: number): Promise<number> {
  for (;;) {
    const r = await db.query('SELECT count(*)::int AS n FROM "AssetStatDirty" WHERE "organizationId" = $1', [org]);
    if (r.rows[0].n === 0) return performance.now();
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** When every exposure of the organisation has had its event queued (performance.now()). */
async function eventsRelayed(db: pg.Pool, org: number): Promise<number> {
  for (;;) {
    const r = await db.query('SELECT count(*)::int AS n FROM "Exposure" WHERE "organizationId" = $1 AND "eventQueuedAt" IS NULL', [org]);
    if (r.rows[0].n === 0) return performance.now();
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function waitRebuilt(db: pg.Pool, org: number) {
  const t0 = performance.now();
  await statisticsCurrent(db, org);
  console.log(`statistics rebuilt by the worker ${((performance.now() - t0) / 1000).toFixed(2)} s after the seed committed (the lag at this size)`);
}

const STATS = `query($org: ID) { assetStats(organizationId: $org, top: 10) { liveness { key count } osFamilies { key count }
  topPorts { key count } topServices { key count } exposuresByRisk { key count } vulnsByLevel { key count } vulnsByKind { key count }
  riskiestAssets { assetId ip score } pendingSince } }`;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function timeStatistics(db: pg.Pool, org: number, token: string) {
  const timeQuery = async (query: string, variables: Record<string, unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < SAMPLES + 20; i++) {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const json = (await res.json()) as { data?: unknown; errors?: unknown };
      if (!json.data) throw new Error(JSON.stringify(json.errors));
      if (i >= 20) times.push(performance.now() - t0); // the first 20 warm up
    }
    return times;
  };
  const api = await timeQuery(STATS, { org: String(org) });
  // The floor of any authenticated GraphQL request on this machine, in the same run.
  const floor = await timeQuery('{ me { id } }', {});
  const sql: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    await db.query(assetStatsSql(org), [org, 10, LIST_KINDS]);
    sql.push(performance.now() - t0);
  }
  const f = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms, p95 ${percentile(xs, 95).toFixed(2)} ms`;
  console.log(`assetStats over GraphQL (${SAMPLES} requests): ${f(api)}; the same statement straight to PostgreSQL: ${f(sql)}; a trivial query ({ me { id } }) over GraphQL: ${f(floor)}`);
}

async function main() {
  console.log(`xsc assets benchmark: Nmap XML of ${HOSTS} hosts x ${PORTS} ports; statistics over ${STAT_ASSETS} assets x ${STAT_PORTS} ports`);
  await recreateDatabase(DB_URL);
  const db = new pg.Pool({ connectionString: DB_URL, max: 2 });
  const org = (await db.query<{ id: number }>(`INSERT INTO "Organization" (name, "updatedAt") VALUES ('bench', now()) RETURNING id`)).rows[0].id;
  const { key, prefix: keyPrefix, secretHash } = newApiKey();
  await db.query(`INSERT INTO "ApiKey" (name, prefix, "secretHash", scopes, "organizationId") VALUES ('bench', $1, $2, $3, $4)`, [keyPrefix, secretHash, ['sync:vulns'], org]);
  const newTask = async () =>
    (await db.query<{ id: number }>(`INSERT INTO "Task" ("organizationId", kind, name, "updatedAt") VALUES ($1, 'VULN_SCAN', 'bench', now()) RETURNING id`, [org])).rows[0].id;
  const file = path.join(os.tmpdir(), `xsc-bench-assets-${process.pid}.xml`);
  await writeNmap(file);
  console.log(`file: ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`);
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const api = start('api', prefix);
  const worker = start('worker', prefix);
  try {
    await waitHealthy(PORT);
    await new Promise((r) => setTimeout(r, 2000)); // the worker boots too
    const first = await importRound(db, org, 'first import (all new)', file, key, await newTask());
    const again = await importRound(db, org, 'same file again (all re-seen)', file, key, await newTask());
    console.log(`worker peak RSS over both imports: ${peakRss(worker)} MB (ceiling 300 MB); second/first time ${(again / first).toFixed(2)}`);
    await serverSide(db);

    const statsOrg = (await db.query<{ id: number }>(`INSERT INTO "Organization" (name, "updatedAt") VALUES ('bench-stats', now()) RETURNING id`)).rows[0].id;
    await seedStatistics(db, statsOrg);
    await waitRebuilt(db, statsOrg);
    const password = `bench-${randomUUID()}`;
    await db.query(`INSERT INTO "User" (username, "passwordHash", role, "updatedAt") VALUES ('bench-admin', $1, 'ADMIN', now())`, [await hashPassword(password)]);
    const login = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }', variables: { i: { username: 'bench-admin', password } } }),
    });
    const token = ((await login.json()) as { data: { login: { accessToken: string } } }).data.login.accessToken;
    await timeStatistics(db, statsOrg, token);
  } finally {
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
    unlinkSync(file);
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
