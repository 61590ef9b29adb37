import { createApiKey, createUser } from './helpers/factories.js';
import { BATCH, COMPLETE, waitForBatch } from './helpers/ingest-helpers.js';
import { errorCode, startTestApp, type TestApp } from './helpers/test-app.js';
import { createSite, createTask } from './helpers/vuln-factories.js';

const SYNC = `mutation($i: SyncAssetsInput!, $h: [SyncAssetHostInput!]!, $s: [ScannedPortRangeInput!]) {
  syncAssets(input: $i, hosts: $h, scanned: $s) { id kind status seq } }`;

describe('syncAssets: chunked, durable, idempotent host and port pushes', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('applies chunks (bad hosts rejected one by one, named sites linked), replays by key, completes the task, closes by coverage', async () => {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const key = await createApiKey(t, orgId, ['sync:vulns']);
    const site = await createSite(t, orgId);
    const foreign = await createSite(t, (await createUser(t)).organizationId!);
    const task = await createTask(t, orgId, [site.id]);
    const push = (seq: number, hosts: unknown[], s?: unknown[], taskId = task.id) =>
      t.gql(SYNC, { i: { taskId, seq, idempotencyKey: `assets-${taskId}-${seq}`, scanner: 'portscan' }, h: hosts, s }, { apiKey: key.key });

    const c1 = await push(1, [
      { ip: '10.7.0.1', hostnames: ['Db.Internal'], osName: 'Linux 5.x', osFamily: 'Linux', osAccuracy: 95, siteId: String(site.id),
        ports: [{ port: 22, service: 'ssh' }, { port: 80, product: 'nginx', cpes: ['cpe:/a:nginx:nginx'] }] },
      { ip: 'not-an-ip', ports: [{ port: 1 }] },
      { ip: '10.7.0.2', siteId: String(foreign.id), ports: [{ port: 443 }] },
    ], [{ from: 1, to: 1024 }]);
    expect(c1.errors).toBeUndefined();
    expect(c1.data!.syncAssets).toMatchObject({ kind: 'ASSETS', seq: 1 });
    const c2 = await push(2, [{ ip: 'fd00::9', ports: [{ port: 53, protocol: 'udp', state: 'open' }, { port: 0 }] }, { ip: 'fd00::10', ports: [{ port: 25 }] }]);
    const again = await push(1, []);
    expect(again.data!.syncAssets.id).toBe(c1.data!.syncAssets.id);

    const b1 = await waitForBatch(t, c1.data!.syncAssets.id);
    expect(b1).toMatchObject({ status: 'DONE', received: 2, created: 2, rejected: 2 });
    const r1 = await t.gql(BATCH, { id: b1.id }, user);
    expect(r1.data!.ingestBatch.rejections).toEqual([
      { index: 1, reason: 'ip "not-an-ip" is not an IPv4 or IPv6 address' },
      { index: 2, reason: `siteId ${foreign.id} is not a site of this organisation` },
    ]);
    expect(await waitForBatch(t, c2.data!.syncAssets.id)).toMatchObject({ status: 'DONE', received: 1, created: 1, rejected: 1 });
    const done = await t.gql(COMPLETE, { i: { taskId: task.id, totalChunks: 2, scanner: 'portscan' } }, { apiKey: key.key });
    await waitForBatch(t, done.data!.completeVulnScan.id, ['DONE']);
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('SUCCEEDED');

    const asset = await t.prisma.asset.findFirstOrThrow({ where: { organizationId: orgId, ip: '10.7.0.1' }, include: { sites: true, ports: { orderBy: { port: 'asc' } } } });
    expect(asset).toMatchObject({ hostnames: ['db.internal'], osName: 'Linux 5.x', osFamily: 'Linux', osAccuracy: 95, liveness: 'UP' });
    expect(asset.sites.map((s) => s.siteId)).toEqual([site.id]);
    expect(asset.ports.map((p) => [p.port, p.state, p.scanner, p.cpes])).toEqual([[22, 'OPEN', 'portscan', []], [80, 'OPEN', 'portscan', ['cpe:/a:nginx:nginx']]]);
    expect(await t.prisma.asset.count({ where: { organizationId: orgId } })).toBe(2); // 10.7.0.1 and fd00::9 (the others rejected)

    const task2 = await createTask(t, orgId, [site.id]);
    const next = await push(1, [{ ip: '10.7.0.1', ports: [{ port: 22, service: 'ssh' }] }], [{ protocol: 'tcp', from: 1, to: 1024 }], task2.id);
    await waitForBatch(t, next.data!.syncAssets.id);
    const ports = await t.prisma.servicePort.findMany({ where: { assetId: asset.id }, orderBy: { port: 'asc' } });
    expect(ports.map((p) => [p.port, p.state])).toEqual([[22, 'OPEN'], [80, 'CLOSED']]);
  });

  it('checks the chunk: bad scanned ranges are BAD_USER_INPUT, a key without sync:vulns is refused', async () => {
    const user = await createUser(t);
    const key = await createApiKey(t, user.organizationId!, ['sync:vulns']);
    const task = await createTask(t, user.organizationId!, []);
    const bad = await t.gql(SYNC, { i: { taskId: task.id, seq: 1, idempotencyKey: 'k1', scanner: 'x' }, h: [], s: [{ from: 10, to: 1 }] }, { apiKey: key.key });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const other = await createApiKey(t, user.organizationId!, ['tasks:claim']);
    const refused = await t.gql(SYNC, { i: { taskId: task.id, seq: 1, idempotencyKey: 'k2', scanner: 'x' }, h: [] }, { apiKey: other.key });
    expect(errorCode(refused)).toBe('FORBIDDEN');
  });
});
