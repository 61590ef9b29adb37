import { createApiKey, createUser, uniq } from './helpers/factories.js';
import { BATCH, COMPLETE, waitForBatch } from './helpers/ingest-helpers.js';
import { readSample } from './helpers/scan-samples.js';
import { errorCode, startTestApp, type TestApp } from './helpers/test-app.js';
import { createSite, createTask } from './helpers/vuln-factories.js';

const sample = readSample;
const ZAP_HOST = 'bodgeit.securecodebox-demo.svc';

describe('ingest: scanner files through POST /ingest/files', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ INGEST_MAX_FILE_MB: '1' })));
  afterAll(() => t.close());

  async function world(hosts: string[]) {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const sites = [];
    for (const h of hosts) sites.push(await createSite(t, orgId, h));
    const key = await createApiKey(t, orgId, ['sync:vulns']);
    const upload = (taskId: number, format: string, body: Buffer, q: Record<string, string | number> = {}, apiKey = key.key) =>
      t.http().post('/ingest/files').query({ taskId, format, ...q }).set('authorization', `ApiKey ${apiKey}`).attach('file', body, 'scan.out');
    const complete = async (taskId: number, totalChunks = 1) => {
      const r = await t.gql(COMPLETE, { i: { taskId, totalChunks, scanner: 'zap' } }, { apiKey: key.key });
      expect(r.errors).toBeUndefined();
      return waitForBatch(t, r.data!.completeVulnScan.id, ['DONE']);
    };
    return { user, orgId, sites, key, upload, complete };
  }

  it('ZAP first scan then second scan: re-seen stay open, new ones open, unseen ones become FIXED', async () => {
    const w = await world([ZAP_HOST]);
    const site = w.sites[0];
    const task1 = await createTask(t, w.orgId, [site.id]);
    const up1 = await w.upload(task1.id, 'ZAP', sample('zap/zap-results-first-scan.xml'));
    expect(up1.status).toBe(202);
    const b1 = await waitForBatch(t, up1.body.id);
    expect(b1).toMatchObject({ status: 'DONE', received: 130, rejected: 0 });
    expect(b1.created + b1.updated).toBe(130); // repeats inside the file count as "updated"
    const firstSet = new Set((await t.prisma.finding.findMany({ where: { siteId: site.id } })).map((f) => f.fingerprint));
    expect(firstSet.size).toBe(b1.created);
    await w.complete(task1.id);

    const task2 = await createTask(t, w.orgId, [site.id]);
    const up2 = await w.upload(task2.id, 'ZAP', sample('zap/zap-results-second-scan.xml'));
    const b2 = await waitForBatch(t, up2.body.id);
    expect(b2).toMatchObject({ status: 'DONE', received: 126, rejected: 0 });
    const end = await w.complete(task2.id);
    const all = await t.prisma.finding.findMany({ where: { siteId: site.id } });
    const seen2 = all.filter((f) => f.lastTaskId === task2.id);
    const gone = all.filter((f) => f.lastTaskId === task1.id);
    expect(seen2.every((f) => f.status === 'OPEN')).toBe(true);
    expect(gone.every((f) => f.status === 'FIXED')).toBe(true);
    expect(end.closed).toBe(gone.length);
    expect(gone.length).toBeGreaterThan(0);
    const added = seen2.filter((f) => !firstSet.has(f.fingerprint));
    expect(added.length).toBe(b2.created);
    expect(added.length).toBeGreaterThan(0);
    expect(all.length).toBe(firstSet.size + added.length);
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: task2.id } })).status).toBe('SUCCEEDED');
  });

  it('Nuclei JSONL: findings on hosts that are not target sites are rejected with a reason', async () => {
    const w = await world(['nuclei-example.com', '127.0.0.1']);
    const task = await createTask(t, w.orgId, w.sites.map((s) => s.id));
    const up = await w.upload(task.id, 'NUCLEI', sample('nuclei/many_findings.json'));
    const b = await waitForBatch(t, up.body.id);
    expect(b).toMatchObject({ status: 'DONE', received: 18, rejected: 0 });
    expect(b.created).toBe(await t.prisma.finding.count({ where: { siteId: { in: w.sites.map((s) => s.id) } } }));
    const only = await world(['nuclei-example.com']);
    const task2 = await createTask(t, only.orgId, [only.sites[0].id]);
    const b2 = await waitForBatch(t, (await only.upload(task2.id, 'NUCLEI', sample('nuclei/many_findings.json'))).body.id);
    expect(b2).toMatchObject({ status: 'DONE', received: 18, rejected: 5 });
    const r = await t.gql(BATCH, { id: b2.id }, only.user);
    expect(r.data?.ingestBatch.rejections[0].reason).toMatch(/host 127\.0\.0\.1 is not a target site/);
  });

  it('OpenVAS XML is imported', async () => {
    // The sample's host, 192.168.1.1001, is no address a site can have: the file is moved to one.
    const file = Buffer.from(sample('openvas/many_vuln.xml').toString('utf8').replaceAll('192.168.1.1001', '192.168.1.101'));
    const w = await world(['192.168.1.101']);
    const task = await createTask(t, w.orgId, [w.sites[0].id]);
    const b = await waitForBatch(t, (await w.upload(task.id, 'OPENVAS', file)).body.id);
    expect(b.status).toBe('DONE');
    expect(b.received).toBe(44);
    expect(b.rejected).toBe(0);
    expect(b.created).toBeGreaterThan(0);
  });

  it('a site URL that does not parse matches no host', async () => {
    const w = await world(['192.168.1.1001']);
    const task = await createTask(t, w.orgId, [w.sites[0].id]);
    const b = await waitForBatch(t, (await w.upload(task.id, 'OPENVAS', sample('openvas/many_vuln.xml'))).body.id);
    expect(b).toMatchObject({ status: 'DONE', received: 44, rejected: 44, created: 0 });
  });

  it('a truncated or malformed file fails its batch with a clear reason and changes nothing', async () => {
    const w = await world([ZAP_HOST]);
    const task = await createTask(t, w.orgId, [w.sites[0].id]);
    const full = sample('zap/zap-results-first-scan.xml');
    const cut = await waitForBatch(t, (await w.upload(task.id, 'ZAP', full.subarray(0, Math.floor(full.length * 0.7)))).body.id);
    expect(cut.status).toBe('FAILED');
    expect(cut.error).toMatch(/Cannot parse ZAP file/);
    const junk = await waitForBatch(t, (await w.upload(task.id, 'NUCLEI', Buffer.from('{"templateID": "x", "info": {'))).body.id);
    expect(junk.status).toBe('FAILED');
    expect(junk.error).toMatch(/Cannot parse NUCLEI file/);
    const wrong = await waitForBatch(t, (await w.upload(task.id, 'OPENVAS', full)).body.id);
    expect(wrong.status).toBe('FAILED');
    expect(await t.prisma.finding.count({ where: { siteId: w.sites[0].id } })).toBe(0);
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('PENDING');
    // retried by hand: the same bad file fails again, with the same reason; a DONE batch cannot be retried
    const RETRY = 'mutation($id: ID!) { retryIngestBatch(id: $id) { status } }';
    expect(errorCode(await t.gql(RETRY, { id: cut.id }, await createUser(t)))).toBe('NOT_FOUND');
    expect((await t.gql(RETRY, { id: cut.id }, w.user)).data?.retryIngestBatch.status).toMatch(/RECEIVED|PROCESSING|FAILED/);
    expect((await waitForBatch(t, cut.id, ['FAILED'])).error).toMatch(/Cannot parse ZAP file/);
    expect(errorCode(await t.gql(RETRY, { id: 'not-a-uuid' }, w.user))).toBe('BAD_USER_INPUT');
  });

  it('refuses bad formats, missing files, oversized files, keys without scope and other organisations', async () => {
    const w = await world([ZAP_HOST]);
    const task = await createTask(t, w.orgId, [w.sites[0].id]);
    const body = sample('zap/5_zap_sample_one.xml');
    expect((await w.upload(task.id, 'PDF', body)).status).toBe(400);
    expect((await w.upload(task.id, "ZAP'; --", body)).status).toBe(400);
    // ids outside a database id, and chunk numbers outside 1..1,000,000: 400, not an internal error
    for (const taskId of ['99999999999', '0', 'abc']) expect((await w.upload(taskId as unknown as number, 'ZAP', body)).status).toBe(400);
    for (const seq of ['0', '1000001', 'x']) expect((await w.upload(task.id, 'ZAP', body, { seq })).status).toBe(400);
    const noFile = await t.http().post('/ingest/files').query({ taskId: task.id, format: 'ZAP' }).set('authorization', `ApiKey ${w.key.key}`).send({ a: 1 });
    expect(noFile.status).toBe(400);
    const big = await w.upload(task.id, 'ZAP', Buffer.alloc(1024 * 1024 + 10, 'a'));
    expect(big.status).toBe(413);
    const noScope = await createApiKey(t, w.orgId, ['tasks:claim']);
    expect((await w.upload(task.id, 'ZAP', body, {}, noScope.key)).status).toBe(403);
    const other = await world([ZAP_HOST]);
    expect((await other.upload(task.id, 'ZAP', body)).status).toBe(404);
    const anon = await t.http().post('/ingest/files').query({ taskId: task.id, format: 'ZAP' }).attach('file', body, 'x.xml');
    expect(anon.status).toBe(401);
    expect(await t.prisma.ingestBatch.count({ where: { taskId: task.id } })).toBe(0);
    // the same idempotency key twice: one batch
    const k = uniq();
    const a = await w.upload(task.id, 'ZAP', body, { idempotencyKey: k });
    const b = await w.upload(task.id, 'ZAP', body, { idempotencyKey: k });
    expect(b.body.id).toBe(a.body.id);
    expect(await t.prisma.ingestBatch.count({ where: { taskId: task.id } })).toBe(1);
  });
});
