// Several processes against one PostgreSQL and one Redis, as README's "Several processes behind a
// load balancer" describes them: one API (PROCESS_ROLE=api, `node dist/main.js`) and two workers
// (`node dist/worker.js`), compared with one process doing everything (PROCESS_ROLE=all), then
// stopped with SIGTERM mid-work. Spawns dist/: run `npm run build` first (`npm test` does).
// test/ingest-faults.integration-spec.ts covers one worker killed or stopped mid-batch and
// restarted; here the other worker takes over, and the API drains an upload.
import http from 'node:http';
import pg from 'pg';
import { uniq } from '../helpers/factories.js';
import { freshDatabase, type FreshDatabase } from '../helpers/databases.js';
import { freePort, PROJECT_ROOT, runEntry, type RunningProcess } from '../helpers/processes.js';
import { readSample } from '../helpers/scan-samples.js';
import { startProbeServers, type ProbeServers } from '../sites/probe-servers.js';
import { ADMIN, newOrganisation, runScenario, snapshot, until, XscClient, type Organisation } from './multi-process-scenario.js';

const LONG = 240_000;
const CHUNKS = 6;
const PER_CHUNK = 3000;
const METRICS_TOKEN = `multi-metrics-${uniq()}-${uniq()}`;
const APP = `xsc-multi-${uniq()}`; // PGAPPNAME prefix: pg_stat_activity tells which process holds a connection

describe('one API and two workers on one PostgreSQL and one Redis', () => {
  let probes: ProbeServers;
  let singleDb: FreshDatabase;
  let multiDb: FreshDatabase;
  let db: pg.Client; // observes the several processes' database
  const procs: RunningProcess[] = [];
  let single: XscClient;
  let multi: XscClient;
  let api: RunningProcess;
  const workers: { name: string; proc: RunningProcess; metrics: string }[] = [];

  const env = (database: FreshDatabase, prefix: string, extra: Record<string, string>) => ({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL,
    QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-${prefix}`,
    JWT_SECRET: `multi-process-secret-${uniq()}-${uniq()}-${uniq()}`,
    PASSWORD_HASH_MEMORY_KIB: process.env.PASSWORD_HASH_MEMORY_KIB,
    PASSWORD_HASH_TIME_COST: process.env.PASSWORD_HASH_TIME_COST,
    PASSWORD_HASH_PARALLELISM: process.env.PASSWORD_HASH_PARALLELISM,
    PROBE_ALLOW_PRIVATE: 'true',
    PROBE_TIMEOUT_MS: '1500',
    PROBE_CONNECT_TIMEOUT_MS: '1000',
    PROBE_SCHEDULE_CRON: '',
    STATS_RECONCILE_CRON: '',
    INGEST_LOCK_MS: '3000', // a job let go of by a stopped worker is taken over soon
    ...extra,
  });
  const start = (entry: 'main' | 'worker', e: Record<string, string | undefined>) => {
    const p = runEntry(entry, e, PROJECT_ROOT);
    procs.push(p);
    return p;
  };
  const startApi = async (database: FreshDatabase, prefix: string, extra: Record<string, string>) => {
    const port = await freePort();
    const p = start('main', env(database, prefix, { PORT: String(port), ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...extra }));
    await p.waitFor(/xsc: listening on/);
    return { proc: p, client: new XscClient(`http://127.0.0.1:${port}`) };
  };
  const startWorker = async (name: string) => {
    const port = await freePort();
    const proc = start('worker', env(multiDb, 'multi', {
      WORKER_METRICS_PORT: String(port),
      METRICS_TOKEN,
      PGAPPNAME: `${APP}-${name}`,
      INGEST_CONCURRENCY: '1', // one batch at a time: the second worker gets its share
      SHUTDOWN_GRACE_MS: '2000',
    }));
    await proc.waitFor(/xsc: worker started/);
    workers.push({ name, proc, metrics: `http://127.0.0.1:${port}/metrics` });
  };

  beforeAll(async () => {
    probes = await startProbeServers();
    [singleDb, multiDb] = await Promise.all([freshDatabase(), freshDatabase()]);
    db = new pg.Client({ connectionString: multiDb.url });
    await db.connect();
    const [one, several] = await Promise.all([
      startApi(singleDb, 'single', { PROCESS_ROLE: 'all' }),
      startApi(multiDb, 'multi', { PROCESS_ROLE: 'api', PGAPPNAME: `${APP}-api` }),
      startWorker('a'),
      startWorker('b'),
    ]);
    single = one.client;
    multi = several.client;
    api = several.proc;
  }, LONG);

  afterAll(async () => {
    procs.forEach((p) => p.kill());
    await Promise.all(procs.map((p) => p.exit().catch(() => undefined)));
    await db?.end();
    await probes?.close();
    await Promise.all([singleDb?.drop(), multiDb?.drop()]);
  }, LONG);

  /** Ingest batches each worker applied and probe jobs it ran, from its own /metrics. */
  async function jobsOf(worker: (typeof workers)[number]) {
    const text = await (await fetch(worker.metrics, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const sum = (re: RegExp) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
    return {
      batches: sum(/^xsc_ingest_batches_total\{[^}]*\} (\d+)$/gm),
      probes: sum(/^xsc_queue_job_duration_seconds_count\{queue="probe"[^}]*\} (\d+)$/gm),
    };
  }

  it('ingest from many chunks at once, a file, assets and probes give exactly the results of one process, with work done by both workers', async () => {
    const [alone, together] = await Promise.all([runScenario(single, probes), runScenario(multi, probes)]);
    const [expected, actual] = await Promise.all([snapshot(single, alone), snapshot(multi, together)]);

    // The one-process result is the reference: check it is the rich one the scenario means to make.
    expect(expected.batches.every((b) => b.status === 'DONE')).toBe(true);
    expect(expected.tasks.map((t: any) => t.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(new Set(expected.findings.map((f: any) => f.status))).toEqual(new Set(['OPEN', 'FIXED']));
    expect(expected.sites.map((s: any) => [s.name, s.liveness, s.probeError])).toEqual(expect.arrayContaining([
      ['portal', 'ALIVE', null], ['missing', 'ALIVE', 'HTTP_4XX'], ['silent', 'DEAD', 'TIMEOUT'], ['closed', 'DEAD', 'CONNECTION_REFUSED'],
    ]));
    expect(expected.assets.length).toBeGreaterThanOrEqual(3);

    expect(actual).toEqual(expected);

    const jobs = await Promise.all(workers.map(jobsOf));
    const applied = expected.batches.filter((b) => b.kind !== 'COMPLETE').length;
    expect(jobs.reduce((n, j) => n + j.batches, 0)).toBe(applied); // each batch applied once, by one of them
    expect(jobs.reduce((n, j) => n + j.probes, 0)).toBe(4);
    for (const j of jobs) expect(j.batches).toBeGreaterThan(0);
  }, LONG);

  const createSite = async (org: Organisation, url: string): Promise<string> =>
    (await multi.gql('mutation($i: CreateSiteInput!) { createSite(input: $i) { id } }', { i: { url } }, org.user)).createSite.id;
  const createTask = async (org: Organisation, siteId: string): Promise<string> =>
    (await multi.gql('mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }', { i: { kind: 'VULN_SCAN', name: 'scan', siteIds: [siteId] } }, org.user)).createTask.id;

  /** Which worker's connection holds a write lock on "Finding": the one in the middle of applying a batch. */
  async function workerApplyingBatch(): Promise<(typeof workers)[number]> {
    return until('a worker in the middle of a batch', async () => {
      const { rows } = await db.query<{ app: string }>(
        `SELECT a.application_name AS app FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE a.datname = current_database() AND l.relation = '"Finding"'::regclass AND l.mode = 'RowExclusiveLock'`,
      );
      return workers.find((w) => rows.some((r) => r.app === `${APP}-${w.name}`));
    }, 60_000);
  }

  /** The task's findings and its batches DONE, in one snapshot of the database. */
  const progress = async (task: string, ids: string[]) =>
    (await db.query<{ findings: number; done: number }>(
      `SELECT (SELECT count(*)::int FROM "Finding" WHERE "taskId" = $1) AS findings,
              (SELECT count(*)::int FROM "IngestBatch" WHERE id = ANY($2) AND status = 'DONE') AS done`,
      [task, ids],
    )).rows[0];

  const batchRows = async (ids: string[]) =>
    (await db.query<{ id: string; status: string; created: number; updated: number }>('SELECT id, status, created, updated FROM "IngestBatch" WHERE id = ANY($1)', [ids])).rows;

  it('SIGTERM to a worker in the middle of a batch: it exits in order, the other worker finishes the work, each batch applied once', async () => {
    const org = await newOrganisation(multi, 'stopped-worker');
    const site = await createSite(org, 'https://big.multi.test/');
    const task = await createTask(org, site);
    const records = (c: number) => Array.from({ length: PER_CHUNK }, (_, i) => ({
      siteId: site, checkId: `big-${i % 40}`, name: `Big check ${i % 40}`, level: 'medium', url: `https://big.multi.test/${c}/${i}`, evidence: 'e'.repeat(200),
    }));
    const ids = await Promise.all(Array.from({ length: CHUNKS }, async (_, c) => (await multi.gql(
      'mutation($i: SyncVulnsInput!, $f: [SyncVulnRecordInput!]!) { syncVulns(input: $i, findings: $f) { id } }',
      { i: { taskId: task, seq: c + 1, idempotencyKey: `big-${c}`, scanner: 'zap' }, f: records(c) },
      org.apiKey,
    )).syncVulns.id as string));
    const stopped = await workerApplyingBatch();
    const other = workers.find((w) => w !== stopped)!;
    const [before, doneBefore] = await Promise.all([jobsOf(other), progress(task, ids)]);

    const exit = await stopped.proc.stop('SIGTERM');
    expect(exit.signal).toBe('SIGTERM'); // Nest's shutdown hooks ran, then it re-raised the signal
    const atExit = await progress(task, ids);
    expect(atExit.findings).toBe(atExit.done * PER_CHUNK); // never half a batch

    await until('every batch applied', async () => ((await progress(task, ids)).done === CHUNKS ? true : undefined), 90_000);
    expect((await batchRows(ids)).map((b) => [b.created, b.updated])).toEqual(Array(CHUNKS).fill([PER_CHUNK, 0])); // none applied twice
    expect((await progress(task, ids)).findings).toBe(CHUNKS * PER_CHUNK);
    // The stopped worker applied at most the batch it held and one it may have been taking as the signal came.
    expect((await jobsOf(other)).batches - before.batches).toBeGreaterThanOrEqual(CHUNKS - doneBefore.done - 2);
    workers.splice(workers.indexOf(stopped), 1);
  }, LONG);

  it('SIGTERM to the API while an upload streams in: it takes no new connection, the upload completes (202), it exits 0, a worker applies the file', async () => {
    const org = await newOrganisation(multi, 'drained-api');
    const task = await createTask(org, await createSite(org, 'https://10.250.195.71/'));
    const file = readSample('nmap/issue4406.xml');
    const upload = slowUpload(`${multi.baseUrl}/ingest/files?taskId=${task}&format=NMAP&seq=1&idempotencyKey=drained`, org.apiKey, file);
    // Its transaction is open (the batch row inserted) and waits for the rest of the file.
    await until('the upload in progress', async () => ((await db.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND state = 'idle in transaction'`, [`${APP}-api`],
    )).rowCount ? true : undefined));

    api.child.kill('SIGTERM');
    await until('the listener closed', async () => ((await connect(`${multi.baseUrl}/health`)) === 'refused' ? true : undefined), 30_000);
    const answer = await upload.finish();
    expect(answer.status).toBe(202);
    expect(answer.connection).toBe('close'); // the client's keep-alive connection is not kept
    expect(JSON.parse(answer.body)).toMatchObject({ kind: 'FILE', taskId: task, fileBytes: file.length }); // stored (a worker may be at it already)
    expect(await api.exit()).toEqual({ code: 0, signal: null });
    // The request ran with the database, Redis and the queues still there: its job was queued, nothing warned.
    expect(api.stdout().split('\n').filter((l) => l.startsWith('{'))).toEqual([]);

    const id = JSON.parse(answer.body).id as string;
    await until('the file applied by the remaining worker', async () => ((await batchRows([id]))[0].status === 'DONE' ? true : undefined), 60_000);
    const { rows } = await db.query('SELECT received, rejected, "taskId"::text FROM "IngestBatch" WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ received: 67, rejected: 0, taskId: task });
  }, LONG);
});

/**
 * A GET on a new connection: its status, or 'refused' when nothing listens any more (a connection
 * still in the backlog as the listener closes is reset).
 */
function connect(url: string): Promise<number | 'refused'> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    }).on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' ? resolve('refused') : reject(e)));
  });
}

/** A multipart upload of `file` that sends its first half now and the rest on finish(). */
function slowUpload(url: string, auth: string, file: Buffer) {
  const boundary = `multi-${uniq()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.xml"\r\nContent-Type: application/xml\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const req = http.request(url, {
    method: 'POST',
    agent: new http.Agent({ keepAlive: true }), // as a scanner's HTTP client would
    headers: { authorization: auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + file.length + tail.length },
  });
  const answer = new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
  });
  const half = Math.floor(file.length / 2);
  req.write(Buffer.concat([head, file.subarray(0, half)]));
  return {
    finish() {
      req.end(Buffer.concat([file.subarray(half), tail]));
      return answer;
    },
  };
}
