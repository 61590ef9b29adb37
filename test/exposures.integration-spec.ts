import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { ExposureEventsService } from '../src/assets/exposure-events.service.js';
import { QUEUES } from '../src/queue/queue.constants.js';
import { createAdmin, createApiKey, createUser } from './helpers/factories.js';
import { waitForBatch } from './helpers/ingest-helpers.js';
import { nmapXml, type XmlHost } from './helpers/nmap-xml.js';
import { errorCode, startTestApp, type TestApp } from './helpers/test-app.js';
import { createSite, createTask } from './helpers/vuln-factories.js';

const RULES = 'query { monitoredPorts { id organizationId port protocol riskLevel siteIds } }';
const CREATE = 'mutation($i: CreateMonitoredPortInput!) { createMonitoredPort(input: $i) { id organizationId port protocol riskLevel note siteIds } }';
const UPDATE = 'mutation($i: UpdateMonitoredPortInput!) { updateMonitoredPort(input: $i) { id riskLevel note } }';
const DELETE = 'mutation($id: ID!) { deleteMonitoredPort(id: $id) { id } }';
const EXPOSURES = `query($f: ExposureFilter) { exposures(filter: $f) { totalCount nodes { id ip port protocol service riskLevel status closeReason monitoredPortId } } }`;
const COUNTS = 'query { exposureCounts { organizationId total critical high medium low none } }';

describe('monitored ports and exposures', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('ships global defaults; users add, change and delete their own rules, never the defaults or another organisation\'s', async () => {
    const user = await createUser(t);
    const defaults = (await t.gql(RULES, {}, user)).data!.monitoredPorts;
    expect(defaults.filter((r: any) => r.organizationId === null).map((r: any) => `${r.protocol}/${r.port}`)).toEqual(
      expect.arrayContaining(['TCP/3389', 'TCP/6379', 'TCP/9200', 'UDP/161']),
    );
    const created = await t.gql(CREATE, { i: { port: 8080, riskLevel: 'HIGH', note: 'admin panel', organizationId: 999999 } }, user);
    expect(created.data!.createMonitoredPort).toMatchObject({ organizationId: String(user.organizationId), port: 8080, protocol: 'TCP', riskLevel: 'HIGH' });
    expect(errorCode(await t.gql(CREATE, { i: { port: 8080, riskLevel: 'LOW' } }, user))).toBe('CONFLICT');
    const id = created.data!.createMonitoredPort.id;
    expect((await t.gql(UPDATE, { i: { id, riskLevel: 'CRITICAL', note: '' } }, user)).data!.updateMonitoredPort).toEqual({ id, riskLevel: 'CRITICAL', note: null });

    const rdp = defaults.find((r: any) => r.port === 3389).id;
    expect(errorCode(await t.gql(UPDATE, { i: { id: rdp, riskLevel: 'LOW' } }, user))).toBe('FORBIDDEN');
    const stranger = await createUser(t);
    expect(errorCode(await t.gql(UPDATE, { i: { id, riskLevel: 'LOW' } }, stranger))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(DELETE, { id }, stranger))).toBe('NOT_FOUND');
    expect((await t.gql(RULES, {}, stranger)).data!.monitoredPorts.some((r: any) => r.id === id)).toBe(false);
    const foreignSite = await createSite(t, stranger.organizationId!);
    expect(errorCode(await t.gql(CREATE, { i: { port: 9000, riskLevel: 'LOW', siteIds: [foreignSite.id] } }, user))).toBe('BAD_USER_INPUT');
    expect((await t.gql(DELETE, { id }, user)).data!.deleteMonitoredPort).toEqual({ id });

    const admin = await createAdmin(t);
    expect(errorCode(await t.gql(CREATE, { i: { port: 6379, riskLevel: 'LOW' } }, admin))).toBe('CONFLICT');
    expect(errorCode(await t.gql(CREATE, { i: { port: 7001, riskLevel: 'LOW', siteIds: [foreignSite.id] } }, admin))).toBe('BAD_USER_INPUT');
  });

  it('imports open exposures (most severe rule, site limits), relay them as events, and close them when the port closes or the host goes down', async () => {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const key = await createApiKey(t, orgId, ['sync:vulns']);
    const served = await createSite(t, orgId, 'app.exposed.test');
    const elsewhere = await createSite(t, orgId);
    for (const i of [
      { port: 8080, riskLevel: 'HIGH', siteIds: [served.id] },
      { port: 9000, riskLevel: 'LOW', siteIds: [elsewhere.id] },
      { port: 3389, riskLevel: 'CRITICAL' }, // more severe than the HIGH default
    ]) expect((await t.gql(CREATE, { i }, user)).errors).toBeUndefined();
    const scan = async (hosts: XmlHost[]) => {
      const task = await createTask(t, orgId, []);
      const r = await t.http().post('/ingest/files').query({ taskId: task.id, format: 'NMAP' }).set('authorization', `ApiKey ${key.key}`)
        .attach('file', nmapXml(hosts, '1-10000'), 'scan.xml');
      expect((await waitForBatch(t, r.body.id)).status).toBe('DONE');
    };
    const list = async (status = 'OPEN') =>
      (await t.gql(EXPOSURES, { f: { status } }, user)).data!.exposures.nodes.map((n: any) => `${n.port}:${n.riskLevel}:${n.closeReason ?? ''}`).sort();

    await scan([
      { ip: '10.5.0.1', names: ['app.exposed.test'], ports: [{ port: 6379, service: 'redis' }, { port: 80 }, { port: 8080 }, { port: 9000 }, { port: 3389 }] },
      { ip: '10.5.0.2', ports: [{ port: 5432, state: 'filtered' }] },
    ]);
    expect(await list()).toEqual(['3389:CRITICAL:', '6379:CRITICAL:', '8080:HIGH:']);
    expect((await t.gql(COUNTS, {}, user)).data!.exposureCounts).toEqual([
      { organizationId: String(orgId), total: 3, critical: 2, high: 1, medium: 0, low: 0, none: 0 },
    ]);
    expect((await t.gql(EXPOSURES, {}, await createUser(t))).data!.exposures.totalCount).toBe(0);

    const redis = (await t.gql(EXPOSURES, { f: { port: 6379 } }, user)).data!.exposures.nodes[0];
    await t.app.get(ExposureEventsService).relay();
    const job = await t.app.get<Queue>(getQueueToken(QUEUES.events)).getJob(`exposure-opened:${redis.id}`);
    expect(job?.name).toBe('exposure.opened');
    expect(job?.data).toMatchObject({ exposureId: Number(redis.id), organizationId: orgId, ip: '10.5.0.1', port: 6379, protocol: 'TCP', service: 'redis', riskLevel: 'CRITICAL' });
    expect(await t.prisma.exposure.count({ where: { organizationId: orgId, eventQueuedAt: null } })).toBe(0);

    await scan([{ ip: '10.5.0.1', ports: [{ port: 6379, state: 'closed' }, { port: 8080 }] }]); // 3389 unlisted: closed by coverage
    expect(await list()).toEqual(['8080:HIGH:']);
    expect(await list('CLOSED')).toEqual(['3389:CRITICAL:Port seen closed', '6379:CRITICAL:Port seen closed']);
    await scan([{ ip: '10.5.0.1', up: false }]);
    expect(await list()).toEqual([]);
    expect(await list('CLOSED')).toContain('8080:HIGH:Asset seen down');
    await scan([{ ip: '10.5.0.1', ports: [{ port: 6379 }] }]); // open again: a new exposure
    expect(await list()).toEqual(['6379:CRITICAL:']);
    expect(await t.prisma.exposure.count({ where: { organizationId: orgId } })).toBe(4); // 3 closed + 1 reopened
  });
});
