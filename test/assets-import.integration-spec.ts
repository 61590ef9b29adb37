import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createApiKey, createUser } from './helpers/factories.js';
import { waitForBatch } from './helpers/ingest-helpers.js';
import { nmapXml } from './helpers/nmap-xml.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createSite, createTask } from './helpers/vuln-factories.js';

const sample = (f: string) => readFileSync(path.resolve(process.cwd(), '../shared/scans', f));

describe('assets: Nmap XML imports through POST /ingest/files', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  async function world() {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const key = await createApiKey(t, orgId, ['sync:vulns']);
    const site = await createSite(t, orgId);
    const importFile = async (body: Buffer, siteIds = [site.id], format = 'NMAP') => {
      const task = await createTask(t, orgId, siteIds);
      const r = await t.http().post('/ingest/files').query({ taskId: task.id, format }).set('authorization', `ApiKey ${key.key}`).attach('file', body, 'scan.xml');
      expect(r.status).toBe(202);
      return { task, batch: await waitForBatch(t, r.body.id) };
    };
    const ports = (ip: string) =>
      t.prisma.$queryRawUnsafe<{ port: number; state: string; service: string }[]>(
        `SELECT sp.port, sp.state::text, sp.service FROM "ServicePort" sp JOIN "Asset" a ON a.id = sp."assetId"
         WHERE a."organizationId" = $1 AND a.ip = $2::inet ORDER BY sp.port`,
        orgId, ip,
      );
    return { user, orgId, site, importFile, ports };
  }

  it('issue4406.xml: one asset with its 25 ports (CPEs, extra info), the vulners CVEs as findings on the IP site', async () => {
    const w = await world();
    const ipSite = await createSite(t, w.orgId, '10.250.195.71');
    const { batch } = await w.importFile(sample('nmap/issue4406.xml'), [ipSite.id]);
    expect(batch).toMatchObject({ status: 'DONE', received: 67, rejected: 0, created: 67, updated: 0 });
    const asset = await t.prisma.asset.findFirstOrThrow({ where: { organizationId: w.orgId }, include: { ports: true, sites: true } });
    expect(asset).toMatchObject({ ip: '10.250.195.71', liveness: 'UP', hostnames: ['ip-10-250-195-71.eu-west-1.compute.internal'] });
    expect(asset.ports).toHaveLength(25);
    expect(asset.ports.find((p) => p.port === 22)).toMatchObject({
      protocol: 'TCP', state: 'OPEN', service: 'ssh', product: 'OpenSSH', version: '7.4', extraInfo: 'protocol 2.0',
      cpes: ['cpe:/a:openbsd:openssh:7.4'], scanner: 'nmap',
    });
    expect(asset.sites.map((s) => s.siteId)).toEqual([ipSite.id]);
    expect(await t.prisma.finding.count({ where: { siteId: ipSite.id } })).toBe(42);
  });

  it('a later scan: unlisted covered ports close with history, ports outside its range stay, down hosts go DOWN, sites link', async () => {
    const w = await world();
    const named = await createSite(t, w.orgId, 'web.assets.test');
    const byIp = await t.prisma.site.create({ data: { organizationId: w.orgId, url: 'https://other.assets.test', domain: 'assets.test', name: 'o', ip: '10.9.0.2' } });
    const os = { name: 'Linux 5.4', family: 'Linux', accuracy: 96 };
    const first = await w.importFile(nmapXml([
      { ip: '10.9.0.1', names: ['web.assets.test'], os, ports: [{ port: 22, service: 'ssh' }, { port: 80 }, { port: 443 }, { port: 8443 }] },
      { ip: '10.9.0.2', ports: [{ port: 80 }] },
    ], '1-10000'));
    expect(first.batch).toMatchObject({ status: 'DONE', received: 5, created: 5, updated: 0 });

    const second = await w.importFile(nmapXml([
      { ip: '10.9.0.1', names: ['web.assets.test'], ports: [{ port: 22, service: 'ssh' }, { port: 80, state: 'filtered' }] },
      { ip: '10.9.0.2', up: false },
      { ip: '10.9.0.3', up: false },
    ], '1-1000'));
    expect(second.batch).toMatchObject({ status: 'DONE', received: 2, created: 0, updated: 2 });
    expect(await w.ports('10.9.0.1')).toEqual([
      { port: 22, state: 'OPEN', service: 'ssh' },
      { port: 80, state: 'FILTERED', service: 'http' },
      { port: 443, state: 'CLOSED', service: 'http' },
      { port: 8443, state: 'OPEN', service: 'http' }, // not probed by the second scan
    ]);
    expect(await w.ports('10.9.0.2')).toEqual([{ port: 80, state: 'OPEN', service: 'http' }]); // down says nothing of ports
    const history = await t.prisma.$queryRawUnsafe(
      `SELECT sp.port, h."fromState"::text AS "from", h."toState"::text AS "to", h."taskId" FROM "ServicePortHistory" h
       JOIN "ServicePort" sp ON sp.id = h."servicePortId" JOIN "Asset" a ON a.id = sp."assetId"
       WHERE a."organizationId" = $1 ORDER BY sp.port`,
      w.orgId,
    );
    expect(history).toEqual([
      { port: 80, from: 'OPEN', to: 'FILTERED', taskId: second.task.id },
      { port: 443, from: 'OPEN', to: 'CLOSED', taskId: second.task.id },
    ]);
    const assets = await t.prisma.asset.findMany({ where: { organizationId: w.orgId }, orderBy: { ip: 'asc' }, include: { sites: true } });
    expect(assets.map((a) => [a.ip, a.liveness, a.osName, a.osFamily, a.osAccuracy, a.sites.map((s) => s.siteId)])).toEqual([
      ['10.9.0.1', 'UP', 'Linux 5.4', 'Linux', 96, [named.id]],
      ['10.9.0.2', 'DOWN', null, null, null, [byIp.id]],
    ]); // 10.9.0.3 was never up: no asset
  });

  it('the same file twice: everything re-seen, nothing created or closed; a port listed closed closes', async () => {
    const w = await world();
    const file = nmapXml([{ ip: 'fd00::1', ports: [{ port: 22 }, { port: 25 }] }]);
    const a = await w.importFile(file);
    const b = await w.importFile(file);
    expect(a.batch).toMatchObject({ created: 2, updated: 0 });
    expect(b.batch).toMatchObject({ created: 0, updated: 2, rejected: 0 });
    expect(await w.ports('fd00::1')).toEqual([
      { port: 22, state: 'OPEN', service: 'http' },
      { port: 25, state: 'OPEN', service: 'http' },
    ]);
    const closed = await w.importFile(nmapXml([{ ip: 'fd00::1', ports: [{ port: 22, state: 'closed' }, { port: 25 }] }]));
    expect(closed.batch).toMatchObject({ created: 0, updated: 2 });
    expect((await w.ports('fd00::1')).map((p) => p.state)).toEqual(['CLOSED', 'OPEN']);
  });

  it('masscan, naabu and httpx files: ports stored once (repeats are re-sightings), httpx refreshes the site at the root URL', async () => {
    const w = await world();
    const masscan = await w.importFile(sample('masscan/masscan_many_vuln.json'), [], 'MASSCAN');
    expect(masscan.batch).toMatchObject({ status: 'DONE', received: 4, created: 4, updated: 0, rejected: 0 });
    const naabu = await w.importFile(sample('naabu/naabu_many_vuln.json'), [], 'NAABU');
    expect(naabu.batch).toMatchObject({ status: 'DONE', received: 8, created: 0, updated: 8, rejected: 0 });
    expect(await w.ports('172.29.0.3')).toEqual([80, 3000, 8080, 8443].map((port) => ({ port, state: 'OPEN', service: null })));
    expect((await t.prisma.servicePort.findFirstOrThrow({ where: { organizationId: w.orgId, port: 80 } })).scanner).toBe('naabu');

    const web = await t.prisma.site.create({ data: { organizationId: w.orgId, url: 'http://172.29.0.2', domain: '172.29.0.2', name: 'web' } });
    const httpx = await w.importFile(sample('httpx/httpx_many_vuln.json'), [], 'HTTPX');
    expect(httpx.batch).toMatchObject({ status: 'DONE', received: 5, created: 1, updated: 4, rejected: 0 });
    expect(await w.ports('172.29.0.2')).toEqual([{ port: 80, state: 'OPEN', service: 'http' }]);
    expect(await t.prisma.site.findUniqueOrThrow({ where: { id: web.id } })).toMatchObject({
      liveness: 'ALIVE', httpStatus: 200, title: 'generic-app', server: 'nginx/1.31.3', probeError: null,
    });
    const asset = await t.prisma.asset.findFirstOrThrow({ where: { organizationId: w.orgId, ip: '172.29.0.2' }, include: { sites: true } });
    expect(asset.sites.map((s) => s.siteId)).toEqual([web.id]);
  });
});
