import { createAsset } from '../helpers/asset-factories.js';
import { createAdmin, createUser, uniq } from '../helpers/factories.js';
import { errorCode, startTestApp, type GqlResult, type TestApp } from '../helpers/test-app.js';
import { createSite } from '../helpers/vuln-factories.js';
import { flow, HOUR, hoursAgo, postNdjson, ndjson, syncFlow, type OwnRecord, sensorOrg } from './flow-helpers.js';

const DENIED = `query($from: DateTime!, $to: DateTime!, $first: Int, $after: String, $assetId: ID, $port: Int, $siteId: ID) {
  deniedFlows(from: $from, to: $to, first: $first, after: $after, assetId: $assetId, port: $port, siteId: $siteId) {
    nodes { id srcAddr dstAddr dstPort protocol action siteId assetId monitoredPortId riskLevel servicePortId service }
    pageInfo { hasNextPage endCursor } } }`;

type Node = Record<string, unknown> & { dstPort: number; srcAddr: string };

/**
 * Ports in the 42xxx range: no global default and no other test's rule uses them. 3306/TCP is a
 * global default (HIGH) from the migration.
 */
describe('flows: denied connections to monitored ports', () => {
  let t: TestApp;
  const at = hoursAgo(5);
  const range = { from: new Date(at).toISOString(), to: new Date(at + 2 * HOUR).toISOString() };
  let a: Awaited<ReturnType<typeof orgA>>;
  let b: Awaited<ReturnType<typeof orgB>>;

  const rule = (organizationId: number | null, port: number, protocol: 'TCP' | 'UDP', riskLevel: 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL', limits: { siteIds?: number[]; tagIds?: number[] } = {}) =>
    t.prisma.monitoredPort.create({ data: { organizationId, port, protocol, riskLevel, tagIds: limits.tagIds ?? [], siteIds: limits.siteIds ?? [] } });

  /**
   * Organisation A: site S1 (192.0.2.20, tagged) and S2 (192.0.2.30); an asset at S1's address
   * with 42022 open, one at 192.0.2.40 serving S2; rules of every kind; records one second apart.
   */
  async function orgA() {
    const { user, orgId, key } = await sensorOrg(t);
    const s1 = await t.prisma.site.update({ where: { id: (await createSite(t, orgId)).id }, data: { ip: '192.0.2.20' } });
    const s2 = await t.prisma.site.update({ where: { id: (await createSite(t, orgId)).id }, data: { ip: '192.0.2.30' } });
    const tag = await t.prisma.tag.create({ data: { organizationId: orgId, name: `t-${uniq()}` } });
    await t.prisma.siteTag.create({ data: { siteId: s1.id, tagId: tag.id } });
    const host = await createAsset(t, orgId, { ip: '192.0.2.20', ports: [{ port: 42022, service: 'ssh-alt' }] });
    const behindS2 = await createAsset(t, orgId, { ip: '192.0.2.40', siteIds: [s2.id] });
    const rules = {
      any: await rule(orgId, 42022, 'TCP', 'HIGH'),
      s1: await rule(orgId, 42023, 'TCP', 'LOW', { siteIds: [s1.id] }),
      tagged: await rule(orgId, 42024, 'UDP', 'MEDIUM', { tagIds: [tag.id] }),
      mysqlLow: await rule(orgId, 3306, 'TCP', 'LOW'), // the global default (HIGH) is more severe
      s2: await rule(orgId, 42026, 'TCP', 'MEDIUM', { siteIds: [s2.id] }),
    };
    const servicePort = (await t.prisma.servicePort.findFirstOrThrow({ where: { assetId: host.id } })).id;
    const deny = (i: number, patch: Partial<OwnRecord>) => flow(at + i * 1000, { action: 'DENY', srcAddr: '198.51.100.1', dstAddr: '192.0.2.20', ...patch });
    const records = [
      deny(0, { dstPort: 42022 }), // listed: A's rule, open port on the asset
      deny(1, { dstPort: 42022, action: 'ALLOW' }), // allowed
      deny(2, { dstPort: 42022, protocol: 17 }), // the rule is TCP
      deny(3, { dstPort: 42023 }), // listed: the rule is limited to S1
      deny(4, { dstPort: 42023, dstAddr: '192.0.2.30' }), // S2: not the rule's site
      deny(5, { dstPort: 42024, protocol: 17 }), // listed: S1 has the rule's tag
      deny(6, { dstPort: 42024, protocol: 17, dstAddr: '192.0.2.30' }), // S2 is not tagged
      deny(7, { dstPort: 42025 }), // only B has a rule on 42025
      deny(8, { dstPort: 3306 }), // listed: global default, HIGH
      deny(9, { dstPort: 8081 }), // no rule
      deny(10, { dstPort: 42026, dstAddr: '192.0.2.40' }), // listed: the destination asset serves S2
      deny(11, { dstPort: 42026 }), // S1: not the rule's site
      deny(12, { dstPort: 42022, srcAddr: '198.51.100.2' }), // listed
    ];
    expect((await syncFlow(t, key, 'denied-1', records.slice(0, 6))).errors).toBeUndefined();
    expect((await postNdjson(t, key, ndjson(records.slice(6)), { chunkKey: 'denied-2' })).status).toBe(201);
    return { user, orgId, key, s1, s2, host, behindS2, rules, servicePort };
  }

  /** Organisation B: its own rule on 42025 and one denial to it, at A's address. */
  async function orgB() {
    const { user, orgId, key } = await sensorOrg(t);
    const own = await rule(orgId, 42025, 'TCP', 'CRITICAL');
    expect((await syncFlow(t, key, 'b-1', [flow(at + 500, { action: 'DENY', dstAddr: '192.0.2.20', dstPort: 42025 })])).errors).toBeUndefined();
    return { user, orgId, own };
  }

  beforeAll(async () => {
    t = await startTestApp();
    a = await orgA();
    b = await orgB();
  });
  afterAll(() => t.close());

  const ports = (r: GqlResult) => r.data!.deniedFlows.nodes.map((n: Node) => n.dstPort);

  it('lists the denials whose port, protocol, site and tags match a rule of the organisation or a default, with the most severe rule, page by page', async () => {
    const seen: Node[] = [];
    let after: string | null = null;
    for (let pages = 1; ; pages++) {
      const r: any = await t.gql(DENIED, { ...range, first: 2, after }, { token: a.user.token });
      expect(r.errors).toBeUndefined();
      seen.push(...r.data.deniedFlows.nodes);
      if (!r.data.deniedFlows.pageInfo.hasNextPage) {
        expect(pages).toBe(3);
        break;
      }
      after = r.data.deniedFlows.pageInfo.endCursor;
    }
    const mysqlDefault = await t.prisma.monitoredPort.findFirstOrThrow({ where: { organizationId: null, port: 3306, protocol: 'TCP' } });
    const common = { id: expect.any(String), srcAddr: '198.51.100.1', dstAddr: '192.0.2.20', protocol: 6, action: 'DENY', siteId: String(a.s1.id), assetId: String(a.host.id), servicePortId: null, service: null };
    const onPort = { servicePortId: String(a.servicePort), service: 'ssh-alt' };
    expect(seen).toEqual([
      { ...common, ...onPort, dstPort: 42022, monitoredPortId: String(a.rules.any.id), riskLevel: 'HIGH' },
      { ...common, dstPort: 42023, monitoredPortId: String(a.rules.s1.id), riskLevel: 'LOW' },
      { ...common, dstPort: 42024, protocol: 17, monitoredPortId: String(a.rules.tagged.id), riskLevel: 'MEDIUM' },
      { ...common, dstPort: 3306, monitoredPortId: String(mysqlDefault.id), riskLevel: 'HIGH' },
      { ...common, dstPort: 42026, dstAddr: '192.0.2.40', siteId: null, assetId: String(a.behindS2.id), monitoredPortId: String(a.rules.s2.id), riskLevel: 'MEDIUM' },
      { ...common, ...onPort, srcAddr: '198.51.100.2', dstPort: 42022, monitoredPortId: String(a.rules.any.id), riskLevel: 'HIGH' },
    ]);
  });

  it('filters by port, destination asset and site', async () => {
    const byPort = await t.gql(DENIED, { ...range, port: 42022 }, { token: a.user.token });
    expect(byPort.data!.deniedFlows.nodes.map((n: Node) => n.srcAddr)).toEqual(['198.51.100.1', '198.51.100.2']);
    expect(ports(await t.gql(DENIED, { ...range, assetId: String(a.behindS2.id) }, { token: a.user.token }))).toEqual([42026]);
    expect(ports(await t.gql(DENIED, { ...range, siteId: String(a.s1.id) }, { token: a.user.token }))).toEqual([42022, 42023, 42024, 3306, 42022]);
    expect(ports(await t.gql(DENIED, { ...range, siteId: String(a.s2.id) }, { token: a.user.token }))).toEqual([]);
    const outside = await t.gql(DENIED, { from: range.to, to: new Date(at + 3 * HOUR).toISOString() }, { token: a.user.token });
    expect(outside.data!.deniedFlows).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('follows the rules as they are now: a rule added after the records arrived lists them, a deleted one no longer does', async () => {
    const { user, key } = await sensorOrg(t);
    await syncFlow(t, key, 'later-1', [flow(at, { action: 'DENY', dstPort: 42031 }), flow(at + 1000, { action: 'DENY', dstPort: 42032 })]);
    const now = () => t.gql(DENIED, range, { token: user.token }).then(ports);
    const first = await rule(user.organizationId, 42031, 'TCP', 'LOW');
    expect(await now()).toEqual([42031]);
    await rule(user.organizationId, 42032, 'TCP', 'LOW');
    await t.prisma.monitoredPort.delete({ where: { id: first.id } });
    expect(await now()).toEqual([42032]);
  });

  it("another organisation sees only its own denials under its own rules; A's site and asset ids answer NOT_FOUND; an administrator sees all", async () => {
    const mine = await t.gql(DENIED, range, { token: b.user.token });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.deniedFlows.nodes).toEqual([
      expect.objectContaining({ dstAddr: '192.0.2.20', dstPort: 42025, siteId: null, assetId: null, monitoredPortId: String(b.own.id), riskLevel: 'CRITICAL' }),
    ]);
    for (const filter of [{ assetId: String(a.host.id) }, { siteId: String(a.s1.id) }]) {
      const foreign = await t.gql(DENIED, { ...range, ...filter }, { token: b.user.token });
      expect(errorCode(foreign)).toBe('NOT_FOUND');
    }
    const stranger = await createUser(t);
    expect((await t.gql(DENIED, range, { token: stranger.token })).data!.deniedFlows.nodes).toEqual([]);

    const admin = await createAdmin(t);
    const all = await t.gql(DENIED, { ...range, port: 42025 }, { token: admin.token });
    // A's record to 42025 is not listed: B's rule is not A's.
    expect(all.data!.deniedFlows.nodes).toEqual([expect.objectContaining({ dstPort: 42025, monitoredPortId: String(b.own.id), riskLevel: 'CRITICAL' })]);
    const s2 = await t.gql(DENIED, { ...range, port: 42026 }, { token: admin.token });
    expect(s2.data!.deniedFlows.nodes).toEqual([expect.objectContaining({ dstAddr: '192.0.2.40', assetId: String(a.behindS2.id), riskLevel: 'MEDIUM' })]);
  });

  it('needs an ordered time range; sensors cannot read it', async () => {
    expect(errorCode(await t.gql(DENIED, { from: range.to, to: range.from }, { token: a.user.token }))).toBe('BAD_USER_INPUT');
    expect((await t.gql('query { deniedFlows(first: 5) { nodes { id } } }', {}, { token: a.user.token })).errors).toBeDefined();
    expect(errorCode(await t.gql(DENIED, range, { apiKey: a.key }))).toBe('FORBIDDEN');
  });
});
