import type pg from 'pg';
import { createAsset } from '../helpers/asset-factories.js';
import { createAdmin, createApiKey, createUser } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { createSite } from '../helpers/vuln-factories.js';
import { flow, HOUR, hoursAgo, postNdjson, ndjson, sqlPool, syncFlow, type OwnRecord } from './flow-helpers.js';

const LIST = `query($from: DateTime!, $to: DateTime!, $assetId: ID) {
  flows(from: $from, to: $to, first: 100, assetId: $assetId) { nodes { id dstAddr dstPort srcAddr assetId } } }`;
const DENIED = `query($from: DateTime!, $to: DateTime!, $first: Int, $after: String, $assetId: ID, $port: Int, $siteId: ID) {
  deniedFlows(from: $from, to: $to, first: $first, after: $after, assetId: $assetId, port: $port, siteId: $siteId) {
    nodes { id srcAddr dstAddr dstPort protocol action assetId servicePortId service }
    pageInfo { hasNextPage endCursor } } }`;

describe('flows: records tied to assets; denied connections to monitored ports', () => {
  let t: TestApp;
  let db: pg.Pool;
  const at = hoursAgo(5);
  const range = { from: new Date(at).toISOString(), to: new Date(at + 2 * HOUR).toISOString() };
  let a: Awaited<ReturnType<typeof orgA>>;
  let b: Awaited<ReturnType<typeof orgB>>;

  /** Organisation A: two assets with open and closed ports, and records of every kind, one second apart. */
  async function orgA() {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const key = (await createApiKey(t, orgId, ['sync:flows'])).key;
    const host = await createAsset(t, orgId, {
      ip: '192.0.2.20',
      ports: [{ port: 22, service: 'ssh' }, { port: 3306, state: 'CLOSED', service: 'mysql' }, { port: 161, protocol: 'UDP', service: 'snmp' }],
    });
    const v6 = await createAsset(t, orgId, { ip: '2001:db8::20', ports: [{ port: 443, service: 'https' }] });
    const ports = await t.prisma.servicePort.findMany({ where: { assetId: { in: [host.id, v6.id] } } });
    const portId = (assetId: number, port: number) => ports.find((p) => p.assetId === assetId && p.port === port)!.id;
    const deny = (i: number, patch: Partial<OwnRecord>) => flow(at + i * 1000, { action: 'DENY', srcAddr: '198.51.100.1', ...patch });
    const records = [
      deny(0, { dstAddr: '192.0.2.20', dstPort: 22 }), // denied, open ssh: listed
      deny(1, { dstAddr: '192.0.2.20', dstPort: 22, action: 'ALLOW' }), // allowed
      deny(2, { dstAddr: '192.0.2.20', dstPort: 3306 }), // port closed
      deny(3, { dstAddr: '192.0.2.20', dstPort: 22, protocol: 17 }), // ssh is TCP, this is UDP
      deny(4, { dstAddr: '192.0.2.20', dstPort: 161, protocol: 17 }), // denied, open snmp/udp: listed
      deny(5, { dstAddr: '2001:db8:0::20', dstPort: 443 }), // denied, open https on the IPv6 asset: listed
      deny(6, { dstAddr: '192.0.2.99', dstPort: 22 }), // no asset at the destination
      deny(7, { srcAddr: '192.0.2.20', dstAddr: '192.0.2.21', dstPort: 22 }), // the asset is the source: tied, not listed
      deny(8, { dstAddr: '192.0.2.20', dstPort: 8080 }), // no such port on the asset
      deny(9, { dstAddr: '192.0.2.20', dstPort: 22, srcAddr: '198.51.100.2' }), // listed
    ];
    expect((await syncFlow(t, key, 'assets-1', records.slice(0, 5))).errors).toBeUndefined();
    expect((await postNdjson(t, key, ndjson(records.slice(5)), { chunkKey: 'assets-2' })).status).toBe(201);
    return { user, orgId, key, host, v6, portId };
  }

  /** Organisation B: an asset at the same address as A's, with the same open port, and one denial to it. */
  async function orgB() {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const key = (await createApiKey(t, orgId, ['sync:flows'])).key;
    const host = await createAsset(t, orgId, { ip: '192.0.2.20', ports: [{ port: 22, service: 'ssh' }] });
    expect((await syncFlow(t, key, 'b-1', [flow(at + 500, { action: 'DENY', dstAddr: '192.0.2.20', dstPort: 22 })])).errors).toBeUndefined();
    return { user, orgId, key, host };
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = sqlPool();
    a = await orgA();
    b = await orgB();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('ties each record to the asset of its destination address, else of its source, within its organisation', async () => {
    const rows = await db.query(
      `SELECT host(dst_addr) AS dst, dst_port AS port, asset_id AS "assetId" FROM flows.record WHERE organization_id = $1 ORDER BY time_start, id`,
      [a.orgId],
    );
    const expected = [a.host.id, a.host.id, a.host.id, a.host.id, a.host.id, a.v6.id, null, a.host.id, a.host.id, a.host.id];
    expect(rows.rows.map((r) => r.assetId)).toEqual(expected);
    const bRows = await db.query('SELECT asset_id AS "assetId" FROM flows.record WHERE organization_id = $1', [b.orgId]);
    expect(bRows.rows).toEqual([{ assetId: b.host.id }]);

    const all = await t.gql(LIST, range, { token: a.user.token });
    expect(all.errors).toBeUndefined();
    expect(all.data!.flows.nodes.map((n: { assetId: string | null }) => n.assetId)).toEqual(expected.map((id) => (id === null ? null : String(id))));
    const v6 = await t.gql(LIST, { ...range, assetId: String(a.v6.id) }, { token: a.user.token });
    expect(v6.data!.flows.nodes).toEqual([expect.objectContaining({ dstAddr: '2001:db8::20', dstPort: 443, assetId: String(a.v6.id) })]);
    // Another organisation's asset answers exactly like a missing one.
    expect(errorCode(await t.gql(LIST, { ...range, assetId: String(b.host.id) }, { token: a.user.token }))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(LIST, { ...range, assetId: '999999999' }, { token: a.user.token }))).toBe('NOT_FOUND');
  });

  it('deniedFlows lists the denied records aimed at open ports of the assets, oldest first, page by page', async () => {
    const seen: Record<string, unknown>[] = [];
    let after: string | null = null;
    for (let pages = 0; ; pages++) {
      const r: any = await t.gql(DENIED, { ...range, first: 2, after }, { token: a.user.token });
      expect(r.errors).toBeUndefined();
      seen.push(...r.data.deniedFlows.nodes);
      if (!r.data.deniedFlows.pageInfo.hasNextPage) {
        expect(pages).toBe(1);
        break;
      }
      after = r.data.deniedFlows.pageInfo.endCursor;
    }
    const ssh = { dstAddr: '192.0.2.20', dstPort: 22, protocol: 6, action: 'DENY', assetId: String(a.host.id), servicePortId: String(a.portId(a.host.id, 22)), service: 'ssh' };
    expect(seen).toEqual([
      { ...ssh, id: expect.any(String), srcAddr: '198.51.100.1' },
      { id: expect.any(String), srcAddr: '198.51.100.1', dstAddr: '192.0.2.20', dstPort: 161, protocol: 17, action: 'DENY', assetId: String(a.host.id), servicePortId: String(a.portId(a.host.id, 161)), service: 'snmp' },
      { id: expect.any(String), srcAddr: '198.51.100.1', dstAddr: '2001:db8::20', dstPort: 443, protocol: 6, action: 'DENY', assetId: String(a.v6.id), servicePortId: String(a.portId(a.v6.id, 443)), service: 'https' },
      { ...ssh, id: expect.any(String), srcAddr: '198.51.100.2' },
    ]);

    const byPort = await t.gql(DENIED, { ...range, port: 22 }, { token: a.user.token });
    expect(byPort.data!.deniedFlows.nodes.map((n: { srcAddr: string }) => n.srcAddr)).toEqual(['198.51.100.1', '198.51.100.2']);
    const byAsset = await t.gql(DENIED, { ...range, assetId: String(a.v6.id) }, { token: a.user.token });
    expect(byAsset.data!.deniedFlows.nodes.map((n: { dstPort: number }) => n.dstPort)).toEqual([443]);
    const outside = await t.gql(DENIED, { from: range.to, to: new Date(at + 3 * HOUR).toISOString() }, { token: a.user.token });
    expect(outside.data!.deniedFlows).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('follows the ports as they are now: a port opened after the records arrived lists them, a closed one no longer does', async () => {
    const user = await createUser(t);
    const key = (await createApiKey(t, user.organizationId!, ['sync:flows'])).key;
    const asset = await createAsset(t, user.organizationId!, { ip: '192.0.2.40', ports: [{ port: 22 }] });
    await syncFlow(t, key, 'later-1', [
      flow(at, { action: 'DENY', dstAddr: '192.0.2.40', dstPort: 22 }),
      flow(at + 1000, { action: 'DENY', dstAddr: '192.0.2.40', dstPort: 5432 }),
    ]);
    const ports = () => t.gql(DENIED, range, { token: user.token }).then((r) => r.data!.deniedFlows.nodes.map((n: { dstPort: number }) => n.dstPort));
    expect(await ports()).toEqual([22]);
    await t.prisma.servicePort.create({ data: { organizationId: user.organizationId!, assetId: asset.id, port: 5432, protocol: 'TCP', state: 'OPEN', scanner: 'nmap' } });
    await t.prisma.servicePort.updateMany({ where: { assetId: asset.id, port: 22 }, data: { state: 'CLOSED' } });
    expect(await ports()).toEqual([5432]);
  });

  it('another organisation sees only its own denials; its asset and site ids answer NOT_FOUND; an administrator sees all', async () => {
    const mine = await t.gql(DENIED, range, { token: b.user.token });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.deniedFlows.nodes).toEqual([expect.objectContaining({ dstAddr: '192.0.2.20', dstPort: 22, assetId: String(b.host.id) })]);
    expect(errorCode(await t.gql(DENIED, { ...range, assetId: String(a.host.id) }, { token: b.user.token }))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(DENIED, { ...range, assetId: '999999999' }, { token: b.user.token }))).toBe('NOT_FOUND');
    const site = await createSite(t, a.orgId);
    expect(errorCode(await t.gql(DENIED, { ...range, siteId: String(site.id) }, { token: b.user.token }))).toBe('NOT_FOUND');
    const stranger = await createUser(t);
    expect((await t.gql(DENIED, range, { token: stranger.token })).data!.deniedFlows.nodes).toEqual([]);

    const admin = await createAdmin(t);
    const all = await t.gql(DENIED, { ...range, first: 100 }, { token: admin.token });
    const assets = new Set(all.data!.deniedFlows.nodes.map((n: { assetId: string }) => n.assetId));
    for (const id of [a.host.id, a.v6.id, b.host.id]) expect(assets.has(String(id))).toBe(true);
  });

  it('needs an ordered time range; sensors cannot read it', async () => {
    expect(errorCode(await t.gql(DENIED, { from: range.to, to: range.from }, { token: a.user.token }))).toBe('BAD_USER_INPUT');
    expect((await t.gql('query { deniedFlows(first: 5) { nodes { id } } }', {}, { token: a.user.token })).errors).toBeDefined();
    expect(errorCode(await t.gql(DENIED, range, { apiKey: a.key }))).toBe('FORBIDDEN');
  });
});
