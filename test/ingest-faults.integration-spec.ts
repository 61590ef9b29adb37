// Fault tests with real worker processes (node dist/worker.js), a private Redis and a private
// queue prefix and a database of their own (the tens of thousands of findings they write stay out
// of the shared test database): a worker killed mid-batch, Redis flushed while batches wait, two
// workers at once, a worker stopped by SIGTERM mid-batch.
import type { ChildProcess } from 'node:child_process';
import { createApiKey, createUser, uniq } from './helpers/factories.js';
import { rec, syncGql, waitForBatch, type Rec } from './helpers/ingest-helpers.js';
import { freshDatabase, type FreshDatabase } from './helpers/databases.js';
import { startPrivateRedis, type PrivateRedis } from './helpers/private-redis.js';
import { startWorker, stop } from './helpers/processes.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createSite, createTask } from './helpers/vuln-factories.js';

const LONG = 150_000;

describe('ingest faults: real workers, private Redis', () => {
  let t: TestApp;
  let redis: PrivateRedis;
  let db: FreshDatabase;
  const prefix = `xsc-faults-${uniq()}`;
  const workers: ChildProcess[] = [];
  const worker = () => {
    const p = startWorker({
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      INGEST_LOCK_MS: '2000',
      INGEST_SWEEP_EVERY_MS: '1000',
      INGEST_CONCURRENCY: '1',
    });
    workers.push(p);
    return p;
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    db = await freshDatabase();
    // API only: every batch is applied by the worker processes started below
    t = await startTestApp({ PROCESS_ROLE: 'api', REDIS_URL: redis.url, QUEUE_PREFIX: prefix, DATABASE_URL: db.url });
  }, 180_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => stop(w, 'SIGKILL')));
    await t?.close();
    await redis?.stop();
    await db?.drop();
  });

  async function world() {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const sites = [await createSite(t, orgId), await createSite(t, orgId)];
    const key = await createApiKey(t, orgId, ['sync:vulns']);
    const task = await createTask(t, orgId, sites.map((s) => s.id));
    const push = async (findings: Rec[], seq: number) => {
      const r = await syncGql(t, { i: { taskId: task.id, seq, idempotencyKey: uniq(), scanner: 'zap', findings } }, { apiKey: key.key });
      expect(r.errors).toBeUndefined();
      return r.data!.syncVulns.id as string;
    };
    const count = () => t.prisma.finding.count({ where: { siteId: { in: sites.map((s) => s.id) } } });
    return { sites, task, push, count };
  }

  const chunk = (siteId: number, tag: string, n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => rec(siteId, `chk${(from + i) % 50}`, `/${tag}/${from + i}`, { evidence: 'e'.repeat(200) }));

  it('a worker killed in the middle of a batch: after a restart every batch is applied exactly once', async () => {
    const w = await world();
    const ids: string[] = [];
    for (let c = 0; c < 6; c++) ids.push(await w.push(chunk(w.sites[c % 2].id, `k${c}`, 5000), c + 1));
    const first = worker();
    // Wait until a batch's transaction has written findings it has not committed (it holds the
    // table's write lock until then), then kill the worker without warning.
    for (;;) {
      const [{ n }] = await t.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_locks l
        JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE a.datname = current_database() AND l.relation = '"Finding"'::regclass AND l.mode = 'RowExclusiveLock'`;
      if (n) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await stop(first, 'SIGKILL');
    const done = await t.prisma.ingestBatch.count({ where: { id: { in: ids }, status: 'DONE' } });
    expect(done).toBeLessThan(6);
    expect(await w.count()).toBe(done * 5000); // nothing of the interrupted batch was kept

    worker();
    for (const id of ids) await waitForBatch(t, id, ['DONE'], 90_000);
    expect(await w.count()).toBe(30_000);
    const batches = await t.prisma.ingestBatch.findMany({ where: { id: { in: ids } } });
    expect(batches.map((b) => b.created)).toEqual(Array(6).fill(5000));
    expect(batches.some((b) => b.attempts >= 2)).toBe(true);
  }, LONG);

  it('Redis flushed while batches wait: the worker recovers them from PostgreSQL', async () => {
    await Promise.all(workers.map((p) => stop(p, 'SIGKILL')));
    const w = await world();
    const ids = [await w.push(chunk(w.sites[0].id, 'f', 300), 1), await w.push(chunk(w.sites[1].id, 'f', 200), 2)];
    expect(await t.prisma.ingestBatch.count({ where: { id: { in: ids }, status: 'RECEIVED' } })).toBe(2);
    await redis.flush();
    worker();
    for (const id of ids) await waitForBatch(t, id, ['DONE'], 60_000);
    expect(await w.count()).toBe(500);
  }, LONG);

  it('two workers at once: no duplicate findings, each batch applied once', async () => {
    await Promise.all(workers.map((p) => stop(p, 'SIGKILL')));
    worker();
    worker();
    const w = await world();
    const shared = chunk(w.sites[0].id, 'shared', 2000);
    const ids = await Promise.all(Array.from({ length: 8 }, (_, c) => w.push([...shared, ...chunk(w.sites[1].id, `own${c}`, 500)], c + 1)));
    const batches = [];
    for (const id of ids) batches.push(await waitForBatch(t, id, ['DONE'], 90_000));
    expect(await w.count()).toBe(2000 + 8 * 500);
    expect(batches.reduce((n, b) => n + b.created, 0)).toBe(2000 + 8 * 500);
    expect(batches.reduce((n, b) => n + b.created + b.updated, 0)).toBe(8 * 2500);
    const dupes = await t.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (SELECT 1 FROM "Finding" WHERE "taskId" = ${w.task.id}
      GROUP BY "siteId", "entryId", location, parameter HAVING count(*) > 1) d`;
    expect(dupes[0].n).toBe(0);
  });

  it('SIGTERM to a worker in the middle of a batch: it stops in order, and every batch is applied exactly once', async () => {
    await Promise.all(workers.map((p) => stop(p, 'SIGKILL')));
    const w = await world();
    const ids: string[] = [];
    for (let c = 0; c < 6; c++) ids.push(await w.push(chunk(w.sites[c % 2].id, `t${c}`, 5000), c + 1));
    const first = worker();
    for (;;) {
      const [{ n }] = await t.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_locks l
        JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE a.datname = current_database() AND l.relation = '"Finding"'::regclass AND l.mode = 'RowExclusiveLock'`;
      if (n) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const exited = new Promise<string | null>((resolve) => first.once('exit', (_code, signal) => resolve(signal)));
    first.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM'); // Nest's shutdown hooks ran, then it re-raised the signal
    // The batch it was applying finished (or was rolled back whole): never half of one.
    const done = await t.prisma.ingestBatch.findMany({ where: { id: { in: ids }, status: 'DONE' } });
    expect(await w.count()).toBe(done.length * 5000);

    worker();
    for (const id of ids) await waitForBatch(t, id, ['DONE'], 90_000);
    expect(await w.count()).toBe(30_000);
    const batches = await t.prisma.ingestBatch.findMany({ where: { id: { in: ids } } });
    expect(batches.map((b) => b.created)).toEqual(Array(6).fill(5000));
  }, LONG);
});
