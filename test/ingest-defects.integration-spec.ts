// Ingestion defects that lost or corrupted data (issue 15): clipping inside a surrogate pair,
// values PostgreSQL cannot store, a failed chunk blocking completion, a late chunk of an older
// task moving lastTaskId backwards, a cancelled task's completion closing findings.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiKeyPrincipal } from '../src/common/auth/principal.js';
import { BatchApplierService } from '../src/ingest-worker/batch-applier.service.js';
import { IngestQueueService } from '../src/ingest/ingest-queue.service.js';
import { IngestService } from '../src/ingest/ingest.service.js';
import { UPLOAD_CONNECTIONS } from '../src/db/ingest-db.js';
import { createApiKey, createUser, uniq } from './helpers/factories.js';
import { BATCH, COMPLETE, rec, syncGql, waitForBatch, type Rec } from './helpers/ingest-helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createSite, createTask } from './helpers/vuln-factories.js';
import { INGEST_JOBS } from '../src/queue/queue.constants.js';

const RETRY = 'mutation($id: ID!) { retryIngestBatch(id: $id) { id status } }';

/** A minimal ZAP report: one alert with the given instances on https://<host>. */
function zapReport(host: string, instances: { uri: string; param?: string; evidence: string }[]): Buffer {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const items = instances
    .map((i) => `<instance><uri>${esc(i.uri)}</uri><method>GET</method><param>${esc(i.param ?? '')}</param><evidence>${esc(i.evidence)}</evidence></instance>`)
    .join('');
  return Buffer.from(
    `<?xml version="1.0"?><OWASPZAPReport version="2.9.0"><site name="https://${host}" host="${host}" port="443" ssl="true"><alerts>` +
      `<alertitem><pluginid>10011</pluginid><name>Cookie Without Secure Flag</name><riskcode>1</riskcode><desc>d</desc>` +
      `<instances>${items}</instances><solution>s</solution><cweid>614</cweid></alertitem></alerts></site></OWASPZAPReport>`,
  );
}

describe('ingest defects: nothing a scanner sends loses or corrupts other data', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  async function world(host = `${uniq()}.example.test`) {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const site = await createSite(t, orgId, host);
    const key = await createApiKey(t, orgId, ['sync:vulns']);
    const principal: ApiKeyPrincipal = { kind: 'apiKey', id: key.id, organizationId: orgId, scopes: ['sync:vulns'] };
    const newTask = () => createTask(t, orgId, [site.id]);
    const push = async (taskId: number, findings: Rec[], seq = 1) => {
      const r = await syncGql(t, { i: { taskId, seq, idempotencyKey: uniq(), scanner: 'zap', findings } }, { apiKey: key.key });
      expect(r.errors).toBeUndefined();
      return r.data!.syncVulns as { id: string };
    };
    /** Stored but not queued: the test decides when it is applied. */
    const store = async (taskId: number, findings: Rec[], seq = 1) =>
      (await t.app.get(IngestService).store(principal, { taskId, kind: 'FINDINGS', seq, idempotencyKey: uniq(), payload: { scanner: 'zap', findings } }))!;
    const complete = async (taskId: number, totalChunks: number) => {
      const r = await t.gql(COMPLETE, { i: { taskId, totalChunks, scanner: 'zap' } }, { apiKey: key.key });
      expect(r.errors).toBeUndefined();
      return r.data!.completeVulnScan.id as string;
    };
    const upload = (taskId: number, body: Buffer) =>
      t.http().post('/ingest/files').query({ taskId, format: 'ZAP' }).set('authorization', `ApiKey ${key.key}`).attach('file', body, 'scan.xml');
    const finding = (checkId: string) => t.prisma.finding.findFirstOrThrow({ where: { siteId: site.id, entry: { key: `zap:${checkId}` } } });
    return { user, orgId, site, key, principal, newTask, push, store, complete, upload, finding };
  }

  /** Every insert of a finding with this evidence fails, as a database fault would. */
  async function withFaultyWrites<T>(marker: string, fn: () => Promise<T>): Promise<T> {
    await t.prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.evidence = '${marker}' THEN RAISE EXCEPTION 'could not reach db-internal-7.corp.example:5432 (pg_hba.conf)'; END IF; RETURN NEW; END $$`);
    await t.prisma.$executeRawUnsafe('CREATE TRIGGER test_fault BEFORE INSERT OR UPDATE ON "Finding" FOR EACH ROW EXECUTE FUNCTION test_fault()');
    try {
      return await fn();
    } finally {
      await t.prisma.$executeRawUnsafe('DROP TRIGGER IF EXISTS test_fault ON "Finding"');
    }
  }

  /** Applies a stored batch through the queue with a single attempt (the last one). */
  async function applyOnce(batchId: string) {
    await t.app.get(IngestQueueService).queue.add(INGEST_JOBS.apply, { batchId }, { jobId: batchId, attempts: 1 });
    return waitForBatch(t, batchId);
  }

  it('a ZAP file whose evidence is 8,191 "a" then an emoji is imported whole, clipped before the emoji', async () => {
    const w = await world();
    const task = await w.newTask();
    const long = 'a'.repeat(8191) + '\u{1F600}';
    const res = await w.upload(task.id, zapReport(w.site.domain, [
      { uri: `https://${w.site.domain}/a`, param: 'p1', evidence: long },
      { uri: `https://${w.site.domain}/b`, param: 'p2', evidence: 'Set-Cookie: x' },
    ]));
    expect(res.status).toBe(202);
    const b = await waitForBatch(t, res.body.id);
    expect(b).toMatchObject({ status: 'DONE', received: 2, created: 2, rejected: 0 });
    const rows = await t.prisma.finding.findMany({ where: { siteId: w.site.id }, orderBy: { url: 'asc' } });
    expect(rows.map((f) => f.evidence)).toEqual(['a'.repeat(8191), 'Set-Cookie: x']);
  });

  it('records with a NUL or a lone surrogate are rejected one by one; the rest of the chunk is kept', async () => {
    const w = await world();
    const task = await w.newTask();
    const s = w.site.id;
    const pushed = await w.push(task.id, [
      rec(s, 'nul', '/1', { evidence: 'before\u0000after' }),
      rec(s, 'good', '/2', { evidence: 'fine \u{1F600}' }),
      rec(s, 'lone', '/3', { name: 'broken \ud83d pair' }),
      rec(s, 'low', '/4', { description: '\ude00 first' }),
    ]);
    const b = await waitForBatch(t, pushed.id);
    expect(b).toMatchObject({ status: 'DONE', received: 4, created: 1, rejected: 3, error: null });
    expect(b.rejections).toEqual([
      { index: 0, reason: 'evidence holds a NUL character or half of a surrogate pair, which cannot be stored' },
      { index: 2, reason: 'name holds a NUL character or half of a surrogate pair, which cannot be stored' },
      { index: 3, reason: 'description holds a NUL character or half of a surrogate pair, which cannot be stored' },
    ]);
    expect((await w.finding('good')).evidence).toBe('fine \u{1F600}');
  });

  it('a batch that cannot be applied is FAILED with a clear reason, never the database message', async () => {
    const w = await world();
    const task = await w.newTask();
    const marker = `boom-${uniq()}`;
    const id = await w.store(task.id, [rec(w.site.id, 'x', '/', { evidence: marker })]);
    const b = await withFaultyWrites(marker, () => applyOnce(id));
    expect(b.status).toBe('FAILED');
    expect(b.error).toBe('Could not be applied after 1 attempt (an internal error, logged by the worker); retry it with retryIngestBatch');
    const api = await t.gql(BATCH, { id }, w.user);
    expect(JSON.stringify(api)).not.toMatch(/db-internal|pg_hba|5432/);
  });

  it('a failed chunk fails the task naming the chunk, closes nothing; a hand retry of the chunk lets completion proceed', async () => {
    const w = await world();
    const s = w.site.id;
    const old = await w.newTask();
    await waitForBatch(t, (await w.push(old.id, [rec(s, 'stale', '/old')])).id);

    const task = await w.newTask();
    const marker = `boom-${uniq()}`;
    const chunk1 = await w.store(task.id, [rec(s, 'kept', '/k', { evidence: marker })], 1);
    await waitForBatch(t, (await w.push(task.id, [rec(s, 'other', '/o')], 2)).id);
    await withFaultyWrites(marker, async () => {
      expect((await applyOnce(chunk1)).status).toBe('FAILED');
      const completion = await waitForBatch(t, await w.complete(task.id, 2));
      expect(completion.status).toBe('FAILED');
      expect(completion.error).toBe(`Chunk 1 (batch ${chunk1}) failed: retry it with retryIngestBatch to complete the scan`);
    });
    const failed = await t.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(failed).toMatchObject({ status: 'FAILED', leaseExpiresAt: null });
    expect(failed.error).toBe(`Chunk 1 (batch ${chunk1}) failed: retry it with retryIngestBatch to complete the scan`);
    expect((await w.finding('stale')).status).toBe('OPEN'); // coverage unknown: nothing auto-FIXED

    const retried = await t.gql(RETRY, { id: chunk1 }, w.user);
    expect(retried.errors).toBeUndefined();
    expect(await waitForBatch(t, chunk1)).toMatchObject({ status: 'DONE', created: 1 });
    const completion = await t.prisma.ingestBatch.findFirstOrThrow({ where: { taskId: task.id, kind: 'COMPLETE' } });
    expect(await waitForBatch(t, completion.id)).toMatchObject({ status: 'DONE', closed: 1, error: null });
    expect(await t.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect((await w.finding('stale')).status).toBe('FIXED');
    expect((await w.finding('kept')).status).toBe('OPEN');
  });

  it('a late chunk of an older task does not move lastTaskId back: the newer scan keeps what it saw', async () => {
    const w = await world();
    const s = w.site.id;
    const task1 = await w.newTask();
    const late = await w.store(task1.id, [rec(s, 'both', '/x', { evidence: 'old evidence', level: 'low' })]); // received first, applied last
    const task2 = await w.newTask();
    await waitForBatch(t, (await w.push(task2.id, [rec(s, 'both', '/x', { evidence: 'new evidence', level: 'high' })])).id);
    expect(await t.app.get(BatchApplierService).apply(late)).toBe('done');
    expect(await w.finding('both')).toMatchObject({ lastTaskId: task2.id, evidence: 'new evidence', level: 'HIGH' });

    expect(await waitForBatch(t, await w.complete(task2.id, 1))).toMatchObject({ status: 'DONE', closed: 0 });
    expect(await w.finding('both')).toMatchObject({ status: 'OPEN', lastTaskId: task2.id });
  });

  it('a task cancelled after its completion was stored auto-FIXes nothing', async () => {
    const w = await world();
    const s = w.site.id;
    const old = await w.newTask();
    await waitForBatch(t, (await w.push(old.id, [rec(s, 'stale', '/old')])).id);
    const task = await w.newTask();
    await waitForBatch(t, (await w.push(task.id, [rec(s, 'seen', '/s')], 1)).id);
    const chunk2 = await w.store(task.id, [rec(s, 'seen2', '/s2')], 2);
    const completionId = await w.complete(task.id, 2);
    for (let b = await t.prisma.ingestBatch.findUniqueOrThrow({ where: { id: completionId } }); !b.error?.startsWith('Waiting'); ) {
      await new Promise((r) => setTimeout(r, 100)); // until it has seen that chunk 2 is missing
      b = await t.prisma.ingestBatch.findUniqueOrThrow({ where: { id: completionId } });
    }
    const cancelled = await t.gql('mutation($id: ID!) { cancelTask(id: $id) { status } }', { id: task.id }, w.user);
    expect(cancelled.data?.cancelTask.status).toBe('CANCELLED');

    expect(await t.app.get(BatchApplierService).apply(chunk2)).toBe('done');
    const completion = await waitForBatch(t, completionId);
    expect(completion).toMatchObject({ status: 'DONE', closed: 0 });
    expect(completion.error).toBe('The task was CANCELLED before its completion was applied: no finding was closed');
    expect((await w.finding('stale')).status).toBe('OPEN');
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('CANCELLED');
  });

  it('slow file uploads do not stall syncVulns: uploads have their own connections', async () => {
    const w = await world();
    const task = await w.newTask();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const slow: http.ClientRequest[] = [];
    const inTransaction = async () =>
      (await t.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE '%IngestBatch%'`)[0].n;
    try {
      for (let i = 0; i < 8; i++) {
        const req = http.request({
          host: '127.0.0.1', port, method: 'POST', path: `/ingest/files?taskId=${task.id}&format=ZAP`,
          headers: { authorization: `ApiKey ${w.key.key}`, 'content-type': 'multipart/form-data; boundary=slow' },
        });
        req.on('error', () => undefined);
        req.write('--slow\r\nContent-Disposition: form-data; name="file"; filename="scan.xml"\r\n\r\n<?xml version="1.0"?><OWASPZAPReport>');
        slow.push(req); // the rest of the file never comes
      }
      while ((await inTransaction()) < UPLOAD_CONNECTIONS) await new Promise((r) => setTimeout(r, 50));

      // Without a deadline a stalled syncVulns would hang past the test (the uploads are only cut in `finally`).
      const stalled = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('syncVulns stalled behind the uploads')), 15_000).unref());
      const pushed = await Promise.race([w.push(task.id, [rec(w.site.id, 'during-uploads', '/')]), stalled]);
      expect(await waitForBatch(t, pushed.id)).toMatchObject({ status: 'DONE', created: 1 });
    } finally {
      for (const req of slow) req.destroy();
    }
    while ((await inTransaction()) > 0) await new Promise((r) => setTimeout(r, 50));
    expect(await t.prisma.ingestBatch.count({ where: { taskId: task.id, kind: 'FILE' } })).toBe(0); // aborted uploads leave nothing
  });
});
