import { createAdmin, createUser } from './helpers/factories.js';
import { createAsset } from './helpers/asset-factories.js';
import { errorCode, startTestApp, type TestApp } from './helpers/test-app.js';
import { createEntry, createFinding, createSite } from './helpers/vuln-factories.js';

const LIST = `query($f: AssetFilter, $first: Int, $after: String) { assets(filter: $f, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id ip hostnames osName liveness openPorts } } }`;
const DETAIL = `query($id: ID!) { asset(id: $id) { id ip openPorts ports { port protocol state service ip } sites { id url }
  openFindings { id level status siteId } } }`;
const SITE_PORTS = `query($siteId: ID!, $state: PortState) { siteServicePorts(siteId: $siteId, state: $state) { totalCount nodes { ip port state } } }`;

describe('assets: list, detail and a site\'s service ports', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  async function world() {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const site = await createSite(t, orgId);
    const web = await createAsset(t, orgId, {
      ip: '10.1.0.10', hostnames: ['web.corp.test'], osName: 'Ubuntu Linux 22.04', osFamily: 'Linux', siteIds: [site.id],
      ports: [{ port: 22, service: 'ssh' }, { port: 443, service: 'https' }, { port: 3389, state: 'CLOSED', service: 'ms-wbt-server' }],
    });
    const db = await createAsset(t, orgId, { ip: '10.2.0.5', osName: 'Windows Server 2019', osFamily: 'Windows', ports: [{ port: 3389, service: 'MS-WBT-Server' }] });
    const v6 = await createAsset(t, orgId, { ip: 'fd00::7', liveness: 'DOWN', ports: [{ port: 53, protocol: 'UDP', service: 'domain' }] });
    return { user, orgId, site, web, db, v6 };
  }

  const ids = (r: any) => r.data.assets.nodes.map((n: any) => Number(n.id));

  it('filters: IP, IPv4 and IPv6 networks, OS, open port, service, liveness, text, site', async () => {
    const w = await world();
    const q = (f: Record<string, unknown>) => t.gql(LIST, { f }, w.user);
    expect(ids(await q({}))).toEqual([w.v6.id, w.db.id, w.web.id]);
    expect(ids(await q({ ip: '10.1.0.10' }))).toEqual([w.web.id]);
    expect(ids(await q({ ip: '10.0.0.0/8' }))).toEqual([w.db.id, w.web.id]);
    expect(ids(await q({ ip: '10.2.0.0/16' }))).toEqual([w.db.id]);
    expect(ids(await q({ ip: 'fd00::/8' }))).toEqual([w.v6.id]);
    expect(ids(await q({ os: 'windows' }))).toEqual([w.db.id]);
    expect(ids(await q({ openPort: 3389 }))).toEqual([w.db.id]); // closed on web
    expect(ids(await q({ service: 'ms-wbt-server' }))).toEqual([w.db.id]);
    expect(ids(await q({ liveness: 'DOWN' }))).toEqual([w.v6.id]);
    expect(ids(await q({ text: 'WEB.corp' }))).toEqual([w.web.id]);
    expect(ids(await q({ text: '10.2.' }))).toEqual([w.db.id]);
    expect(ids(await q({ siteId: w.site.id }))).toEqual([w.web.id]);
    expect(ids(await q({ text: '100%' }))).toEqual([]);
    const r = await q({ ip: '10.0.0.0' });
    expect(r.data!.assets.nodes[0]).toBeUndefined();
    expect((await q({ openPort: 22, ip: '10.1.0.10' })).data!.assets.nodes).toEqual([
      { id: String(w.web.id), ip: '10.1.0.10', hostnames: ['web.corp.test'], osName: 'Ubuntu Linux 22.04', liveness: 'UP', openPorts: 2 },
    ]);
  });

  it.each(['10.0.0.0/33', 'not-an-ip', '10.0.0.1/8/2', 'fd00::/129'])('a bad network (%s) is BAD_USER_INPUT', async (ip) => {
    const w = await world();
    expect(errorCode(await t.gql(LIST, { f: { ip } }, w.user))).toBe('BAD_USER_INPUT');
  });

  it('pages with a cursor; users see their organisation only, administrators every one or the one they name', async () => {
    const w = await world();
    const other = await world();
    const p1 = await t.gql(LIST, { first: 2 }, w.user);
    expect(p1.data!.assets).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const p2 = await t.gql(LIST, { first: 2, after: p1.data!.assets.pageInfo.endCursor }, w.user);
    expect([...ids(p1), ...ids(p2)]).toEqual([w.v6.id, w.db.id, w.web.id]);
    expect(p2.data!.assets.pageInfo.hasNextPage).toBe(false);
    expect(ids(await t.gql(LIST, { f: { organizationId: other.orgId } }, w.user))).toEqual([w.v6.id, w.db.id, w.web.id]);
    const admin = await createAdmin(t);
    expect(ids(await t.gql(LIST, { f: { organizationId: other.orgId } }, admin))).toEqual([other.v6.id, other.db.id, other.web.id]);
  });

  it('detail: ports, sites and their open findings; another organisation\'s asset is NOT_FOUND like a missing one', async () => {
    const w = await world();
    const entry = await createEntry(t);
    const open = await createFinding(t, { organizationId: w.orgId, siteId: w.site.id, entryId: entry.id, level: 'CRITICAL' });
    await createFinding(t, { organizationId: w.orgId, siteId: w.site.id, entryId: entry.id, status: 'FIXED' });
    const r = await t.gql(DETAIL, { id: w.web.id }, w.user);
    expect(r.errors).toBeUndefined();
    expect(r.data!.asset).toEqual({
      id: String(w.web.id), ip: '10.1.0.10', openPorts: 2,
      ports: [
        { port: 22, protocol: 'TCP', state: 'OPEN', service: 'ssh', ip: '10.1.0.10' },
        { port: 443, protocol: 'TCP', state: 'OPEN', service: 'https', ip: '10.1.0.10' },
        { port: 3389, protocol: 'TCP', state: 'CLOSED', service: 'ms-wbt-server', ip: '10.1.0.10' },
      ],
      sites: [{ id: String(w.site.id), url: w.site.url }],
      openFindings: [{ id: String(open.id), level: 'CRITICAL', status: 'OPEN', siteId: String(w.site.id) }],
    });
    const stranger = await createUser(t);
    expect(errorCode(await t.gql(DETAIL, { id: w.web.id }, stranger))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(DETAIL, { id: 2_000_000_000 }, w.user))).toBe('NOT_FOUND');
    expect((await t.gql(DETAIL, { id: w.web.id }, await createAdmin(t))).data!.asset.id).toBe(String(w.web.id));
  });

  it("siteServicePorts: the ports of the assets serving the site, by state; another organisation's site is NOT_FOUND", async () => {
    const w = await world();
    const all = await t.gql(SITE_PORTS, { siteId: w.site.id }, w.user);
    expect(all.data!.siteServicePorts.totalCount).toBe(3);
    const open = await t.gql(SITE_PORTS, { siteId: w.site.id, state: 'OPEN' }, w.user);
    expect(open.data!.siteServicePorts.nodes.map((n: any) => n.port).sort()).toEqual([22, 443]);
    expect(open.data!.siteServicePorts.nodes[0].ip).toBe('10.1.0.10');
    expect(errorCode(await t.gql(SITE_PORTS, { siteId: w.site.id }, await createUser(t)))).toBe('NOT_FOUND');
  });
});
