import type pg from 'pg';
import { createAsset } from '../helpers/asset-factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { flow, HOUR, hoursAgo, postNdjson, ndjson, sqlPool, syncFlow, type OwnRecord, sensorOrg } from './flow-helpers.js';

const LIST = `query($from: DateTime!, $to: DateTime!, $assetId: ID) {
  flows(from: $from, to: $to, first: 100, assetId: $assetId) { nodes { id dstAddr dstPort srcAddr assetId } } }`;

describe('flows: records tied to assets', () => {
  let t: TestApp;
  let db: pg.Pool;
  const at = hoursAgo(5);
  const range = { from: new Date(at).toISOString(), to: new Date(at + 2 * HOUR).toISOString() };
  let a: Awaited<ReturnType<typeof orgA>>;
  let b: Awaited<ReturnType<typeof orgB>>;

  /** Organisation A: two assets with open and closed ports, and records of every kind, one second apart. */
  async function orgA() {
    const { user, orgId, key } = await sensorOrg(t);
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
    const { user, orgId, key } = await sensorOrg(t);
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
});
