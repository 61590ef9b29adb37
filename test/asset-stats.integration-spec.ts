import { AssetStatsService } from '../src/assets/asset-stats.service.js';
import { createAdmin, createApiKey, createUser, type UserWithToken } from './helpers/factories.js';
import { waitForBatch } from './helpers/ingest-helpers.js';
import { nmapXml, type XmlHost } from './helpers/nmap-xml.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createEntry, createFinding, createSite, createTask } from './helpers/vuln-factories.js';

const STATS = `query($org: ID) { assetStats(organizationId: $org, top: 100) {
  liveness { key count } osFamilies { key count } topPorts { key count } topServices { key count }
  exposuresByRisk { key count } vulnsByLevel { key count } vulnsByKind { key count } riskiestAssets { assetId score } pendingSince } }`;

type Counts = Record<string, number>;
const asMap = (list: { key: string; count: number }[]): Counts => Object.fromEntries(list.map((x) => [x.key, x.count]));

describe('asset statistics: precomputed, equal to GROUP BY over the source rows after each change', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  /** The same figures computed here, independently, from the source tables. */
  async function expected(orgId: number) {
    const group = async (sql: string): Promise<Counts> =>
      Object.fromEntries((await t.prisma.$queryRawUnsafe<{ k: string; n: number }[]>(sql, orgId)).map((r) => [r.k, r.n]));
    const findings = `FROM "Asset" a JOIN "AssetSite" x ON x."assetId" = a.id JOIN "Finding" f ON f."siteId" = x."siteId"
      JOIN "VulnEntry" e ON e.id = f."entryId" WHERE a."organizationId" = $1 AND f.status = 'OPEN' AND f."trashedAt" IS NULL`;
    const scores = await t.prisma.$queryRawUnsafe<{ id: number; s: number }[]>(
      `SELECT a.id, sum(CASE f.level WHEN 'CRITICAL' THEN 10 WHEN 'HIGH' THEN 5 WHEN 'MEDIUM' THEN 2 WHEN 'LOW' THEN 1 ELSE 0 END)::int AS s
       ${findings} GROUP BY a.id`, orgId);
    return {
      liveness: await group(`SELECT liveness::text AS k, count(*)::int AS n FROM "Asset" WHERE "organizationId" = $1 GROUP BY 1`),
      osFamilies: await group(`SELECT coalesce("osFamily", 'unknown') AS k, count(*)::int AS n FROM "Asset" WHERE "organizationId" = $1 GROUP BY 1`),
      topPorts: await group(`SELECT protocol || '/' || port AS k, count(*)::int AS n FROM "ServicePort" WHERE "organizationId" = $1 AND state = 'OPEN' GROUP BY 1`),
      topServices: await group(`SELECT lower(coalesce(service, 'unknown')) AS k, count(*)::int AS n FROM "ServicePort" WHERE "organizationId" = $1 AND state = 'OPEN' GROUP BY 1`),
      exposuresByRisk: await group(`SELECT "riskLevel"::text AS k, count(*)::int AS n FROM "Exposure" WHERE "organizationId" = $1 AND status = 'OPEN' GROUP BY 1`),
      vulnsByLevel: await group(`SELECT f.level::text AS k, count(*)::int AS n ${findings} GROUP BY 1`),
      vulnsByKind: await group(`SELECT coalesce(e.kind, 'unknown') AS k, count(*)::int AS n ${findings} GROUP BY 1`),
      riskiest: scores.filter((s) => s.s > 0).sort((a, b) => b.s - a.s || a.id - b.id).map((s) => [String(s.id), s.s]),
    };
  }

  async function actual(user: UserWithToken) {
    const r = await t.gql(STATS, {}, user);
    expect(r.errors).toBeUndefined();
    const s = r.data!.assetStats;
    return {
      pendingSince: s.pendingSince,
      liveness: asMap(s.liveness), osFamilies: asMap(s.osFamilies), topPorts: asMap(s.topPorts), topServices: asMap(s.topServices),
      exposuresByRisk: asMap(s.exposuresByRisk), vulnsByLevel: asMap(s.vulnsByLevel), vulnsByKind: asMap(s.vulnsByKind),
      riskiest: s.riskiestAssets.map((a: any) => [a.assetId, a.score]),
    };
  }

  async function check(user: UserWithToken) {
    const before = await actual(user); // pending until rebuilt (unless the app's job was quicker)
    // the app's own statistics job may hold the organisation's lock: rebuild until nothing is pending
    let now = before;
    for (let i = 0; i < 50 && now.pendingSince !== null; i++) {
      await t.app.get(AssetStatsService).recomputeDirty();
      now = await actual(user);
      if (now.pendingSince !== null) await new Promise((r) => setTimeout(r, 100));
    }
    const { pendingSince, ...got } = now;
    expect(pendingSince).toBeNull();
    expect(got).toEqual(await expected(user.organizationId!));
    return got;
  }

  it('imports, rescans, finding changes, site and asset deletions', async () => {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const other = await createUser(t);
    const key = await createApiKey(t, orgId, ['sync:vulns']);
    const scan = async (hosts: XmlHost[]) => {
      const task = await createTask(t, orgId, []);
      const r = await t.http().post('/ingest/files').query({ taskId: task.id, format: 'NMAP' }).set('authorization', `ApiKey ${key.key}`)
        .attach('file', nmapXml(hosts, '1-10000'), 'scan.xml');
      expect((await waitForBatch(t, r.body.id)).status).toBe('DONE');
    };
    const web = await createSite(t, orgId, 'web.stats.test');
    const api = await createSite(t, orgId, 'api.stats.test');
    const linux = { name: 'Linux 5.x', family: 'Linux', accuracy: 95 };
    await scan([
      { ip: '10.8.0.1', names: ['web.stats.test'], os: linux, ports: [{ port: 22, service: 'ssh' }, { port: 443, service: 'https' }, { port: 6379, service: 'redis' }] },
      { ip: '10.8.0.2', names: ['api.stats.test', 'web.stats.test'], os: { name: 'Windows 2019', family: 'Windows', accuracy: 90 }, ports: [{ port: 3389, service: 'ms-wbt-server' }, { port: 443, service: 'HTTPS' }] },
      { ip: '10.8.0.3', ports: [{ port: 80 }, { port: 8080, state: 'filtered' }] },
    ]);
    const first = await check(user);
    expect(first.liveness).toEqual({ UP: 3 });
    expect(first.topPorts['TCP/443']).toBe(2);
    expect(first.exposuresByRisk).toEqual({ CRITICAL: 1, HIGH: 1 });

    const sqli = await createEntry(t, { kind: 'injection', level: 'CRITICAL' });
    const xss = await createEntry(t, { kind: 'xss', level: 'MEDIUM' });
    const f1 = await createFinding(t, { organizationId: orgId, siteId: web.id, entryId: sqli.id, level: 'CRITICAL' });
    await createFinding(t, { organizationId: orgId, siteId: web.id, entryId: xss.id, level: 'MEDIUM' });
    await createFinding(t, { organizationId: orgId, siteId: api.id, entryId: xss.id, level: 'LOW' });
    const withFindings = await check(user);
    expect(withFindings.vulnsByLevel).toEqual({ CRITICAL: 2, MEDIUM: 2, LOW: 1 }); // web's findings count for both of its assets
    expect(withFindings.riskiest).toHaveLength(2);

    await scan([{ ip: '10.8.0.1', names: ['web.stats.test'], ports: [{ port: 22, service: 'ssh' }] }, { ip: '10.8.0.3', up: false }]);
    const rescanned = await check(user);
    expect(rescanned.liveness).toEqual({ UP: 2, DOWN: 1 });
    expect(rescanned.exposuresByRisk).toEqual({ HIGH: 1 });

    await t.prisma.finding.update({ where: { id: f1.id }, data: { status: 'FIXED' } });
    await check(user);
    await t.prisma.site.delete({ where: { id: api.id } });
    await check(user);
    await t.prisma.asset.delete({ where: { organizationId_ip: { organizationId: orgId, ip: '10.8.0.2' } } });
    const last = await check(user);
    expect(last.liveness).toEqual({ UP: 1, DOWN: 1 });

    const others = await actual(other);
    expect(others.liveness).toEqual({});

    // administrators: one organisation, or every organisation summed
    const admin = await createAdmin(t);
    const one = await t.gql(STATS, { org: String(orgId) }, admin);
    expect(asMap(one.data!.assetStats.topPorts)).toEqual(last.topPorts);
    for (let i = 0; i < 50 && (await t.prisma.assetStatDirty.count()) > 0; i++) {
      await t.app.get(AssetStatsService).recomputeDirty();
      await new Promise((r) => setTimeout(r, 100));
    }
    const all = await t.gql(STATS, {}, admin);
    const everyOrg = await t.prisma.asset.groupBy({ by: ['liveness'], _count: { _all: true } });
    expect(asMap(all.data!.assetStats.liveness)).toEqual(Object.fromEntries(everyOrg.map((g) => [g.liveness, g._count._all])));
  });

  it('waits for an organisation still being written to, but never longer than the maximum lag', async () => {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    await t.prisma.$executeRaw`INSERT INTO "AssetStatDirty" ("organizationId", xid) VALUES (${orgId}, 1)`;
    const service = t.app.get(AssetStatsService);
    const pending = () => t.prisma.assetStatDirty.count({ where: { organizationId: orgId } });

    await service.recomputeDirty({ quietMs: 60_000, maxLagMs: 600_000 }); // written to a moment ago: not yet
    expect(await pending()).toBe(1);
    await t.prisma.$executeRaw`UPDATE "AssetStatDirty" SET "createdAt" = "createdAt" - interval '11 minutes' WHERE "organizationId" = ${orgId}`;
    await service.recomputeDirty({ quietMs: 60_000, maxLagMs: 600_000 }); // the oldest mark is past the maximum lag
    expect(await pending()).toBe(0);
  });
});
