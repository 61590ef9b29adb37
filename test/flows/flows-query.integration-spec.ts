import type pg from 'pg';
import { createAdmin, createUser } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { createSite } from '../helpers/vuln-factories.js';
import { DAY, flow, HOUR, hoursAgo, sqlPool, syncFlow, sensorOrg } from './flow-helpers.js';


const LIST = `query($from: DateTime!, $to: DateTime!, $first: Int, $after: String, $address: String, $port: Int, $protocol: Int,
  $action: FlowAction, $siteId: ID) {
  flows(from: $from, to: $to, first: $first, after: $after, address: $address, port: $port, protocol: $protocol, action: $action, siteId: $siteId) {
    nodes { id start srcAddr dstAddr dstPort protocol action siteId } pageInfo { hasNextPage endCursor } } }`;
const AGG = `query($from: DateTime!, $to: DateTime!, $groupBy: FlowDimension!, $limit: Int, $siteId: ID, $port: Int, $action: FlowAction) {
  flowAggregates(from: $from, to: $to, groupBy: $groupBy, limit: $limit, siteId: $siteId, port: $port, action: $action) {
    key bytes packets connections distinctSources } }`;

/** The same totals by GROUP BY over the raw records (key rendered as the API renders it). */
const RAW_KEYS: Record<string, string> = {
  HOUR: `to_char(date_trunc('hour', time_start AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"')`,
  DAY: `to_char(date_trunc('day', time_start AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"')`,
  SITE: `coalesce(site_id::text, '')`,
  PORT: 'dst_port::text',
  PROTOCOL: 'protocol::text',
  ACTION: 'action::text',
  SOURCE: 'host(src_addr)',
};

describe('flows: records and aggregates, scoped to the organisation', () => {
  let t: TestApp;
  let db: pg.Pool;
  let a: Awaited<ReturnType<typeof world>>;
  const at = hoursAgo(30);
  const range = { from: new Date(at).toISOString(), to: new Date(at + 30 * HOUR).toISOString() };

  async function world() {
    const { user, orgId, key } = await sensorOrg(t);
    const site = await createSite(t, orgId);
    await t.prisma.site.update({ where: { id: site.id }, data: { ip: '192.0.2.10' } });
    let seed = orgId;
    const rnd = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
    for (let b = 0; b < 4; b++) {
      const records = Array.from({ length: 500 }, () => flow(at + rnd(30) * HOUR + rnd(HOUR - 2000), {
        srcAddr: rnd(5) ? `198.51.100.${rnd(40)}` : `2001:db8::${rnd(9)}`, dstAddr: rnd(2) ? '192.0.2.10' : '192.0.2.99',
        dstPort: [22, 80, 443, 3389][rnd(4)], protocol: [6, 17][rnd(2)], action: rnd(3) ? 'ALLOW' : 'DENY',
        bytes: rnd(1_000_000), packets: rnd(1000),
      }));
      expect((await syncFlow(t, key, `q-${b}`, records)).errors).toBeUndefined();
    }
    return { user, orgId, key, site };
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = sqlPool();
    a = await world();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  // Records in a partial day at the start (read from flows.hourly) and in whole UTC days (flows.daily).
  const wide = { from: new Date(at + 3 * HOUR).toISOString(), to: new Date(Math.floor(Date.now() / DAY) * DAY + DAY + 3 * HOUR).toISOString() };

  async function rawGroups(groupBy: string, where = '', params: unknown[] = [], within = range) {
    const r = await db.query(
      `SELECT ${RAW_KEYS[groupBy]} AS key, sum(bytes)::float8 AS bytes, sum(packets)::float8 AS packets, count(*)::float8 AS connections,
              count(DISTINCT src_addr)::int AS "distinctSources"
       FROM flows.record WHERE organization_id = $1 AND time_start >= $2 AND time_start < $3 ${where} GROUP BY 1`,
      [a.orgId, within.from, within.to, ...params],
    );
    return r.rows;
  }
  const byKey = (rows: { key: string }[]) => [...rows].sort((x, y) => x.key.localeCompare(y.key));

  it.each(['HOUR', 'DAY', 'SITE', 'PORT', 'PROTOCOL', 'ACTION'])('aggregates by %s equal a GROUP BY over the raw records', async (groupBy) => {
    for (const within of [range, wide]) {
      const r = await t.gql(AGG, { ...within, groupBy, limit: 1000 }, { token: a.user.token });
      expect(r.errors).toBeUndefined();
      expect(byKey(r.data!.flowAggregates)).toEqual(byKey(await rawGroups(groupBy, '', [], within)));
    }
  });

  it('filters apply to aggregates too; SOURCE gives the top sources by bytes', async () => {
    for (const groupBy of ['PORT', 'HOUR']) {
      const filtered = await t.gql(AGG, { ...wide, groupBy, siteId: String(a.site.id), action: 'DENY' }, { token: a.user.token });
      expect(byKey(filtered.data!.flowAggregates)).toEqual(byKey(await rawGroups(groupBy, `AND site_id = $4 AND action = 'DENY'`, [a.site.id], wide)));
    }
    // Per-port rollups (no site filter) keep protocol and action; per-site ones do not, so these fall back.
    const byPort = await t.gql(AGG, { ...wide, groupBy: 'PORT', action: 'DENY' }, { token: a.user.token });
    expect(byKey(byPort.data!.flowAggregates)).toEqual(byKey(await rawGroups('PORT', `AND action = 'DENY'`, [], wide)));
    const bySite = await t.gql(AGG, { ...wide, groupBy: 'SITE', port: 22 }, { token: a.user.token });
    expect(byKey(bySite.data!.flowAggregates)).toEqual(byKey(await rawGroups('SITE', 'AND dst_port = 22', [], wide)));
    const top = await t.gql(AGG, { ...range, groupBy: 'SOURCE', limit: 5, port: 3389 }, { token: a.user.token });
    const raw = (await rawGroups('SOURCE', 'AND dst_port = 3389')).map((g) => ({ ...g, distinctSources: 1 }));
    expect(top.data!.flowAggregates).toEqual(raw.sort((x, y) => y.bytes - x.bytes || x.key.localeCompare(y.key)).slice(0, 5));
  });

  it('aggregates need whole hours and an ordered range', async () => {
    expect(errorCode(await t.gql(AGG, { ...range, from: new Date(at + 60_000).toISOString(), groupBy: 'HOUR' }, { token: a.user.token }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(AGG, { from: range.to, to: range.from, groupBy: 'HOUR' }, { token: a.user.token }))).toBe('BAD_USER_INPUT');
  });

  it('lists records in time order, page by page, with address, CIDR, port, protocol, action and site filters', async () => {
    const seen: { id: string; start: string }[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await t.gql(LIST, { ...range, first: 100, after, address: '198.51.100.0/28', action: 'DENY' }, { token: a.user.token });
      expect(page.errors).toBeUndefined();
      seen.push(...page.data.flows.nodes);
      if (!page.data.flows.pageInfo.hasNextPage) break;
      after = page.data.flows.pageInfo.endCursor;
    }
    const expected = await db.query(
      `SELECT id::text FROM flows.record WHERE organization_id = $1 AND src_addr <<= '198.51.100.0/28' AND action = 'DENY' ORDER BY time_start, id`,
      [a.orgId],
    );
    expect(seen.map((n) => n.id)).toEqual(expected.rows.map((r) => r.id));
    expect(seen.length).toBeGreaterThan(100);

    const one = await t.gql(LIST, { ...range, first: 100, address: '2001:db8::3', port: 22, protocol: 17, siteId: String(a.site.id) }, { token: a.user.token });
    const oneRaw = await db.query(
      `SELECT id::text FROM flows.record WHERE organization_id = $1 AND src_addr = '2001:db8::3' AND dst_port = 22 AND protocol = 17 AND site_id = $2 ORDER BY time_start, id`,
      [a.orgId, a.site.id],
    );
    expect(one.data!.flows.nodes.map((n: { id: string }) => n.id)).toEqual(oneRaw.rows.map((r) => r.id));
    for (const n of one.data!.flows.nodes) expect(n).toMatchObject({ srcAddr: '2001:db8::3', dstPort: 22, protocol: 17, siteId: String(a.site.id) });
    expect(errorCode(await t.gql(LIST, { ...range, address: 'not-an-ip' }, { token: a.user.token }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(LIST, { ...range, after: 'garbage' }, { token: a.user.token }))).toBe('BAD_USER_INPUT');
  });

  it('another organisation sees none of it; an administrator sees all', async () => {
    const b = await createUser(t);
    const list = await t.gql(LIST, { ...range, first: 10 }, { token: b.token });
    expect(list.data!.flows.nodes).toEqual([]);
    for (const groupBy of ['HOUR', 'SOURCE']) {
      expect((await t.gql(AGG, { ...range, groupBy }, { token: b.token })).data!.flowAggregates).toEqual([]);
    }
    const batchId = (await db.query('SELECT id FROM flows.batch WHERE organization_id = $1 LIMIT 1', [a.orgId])).rows[0].id;
    const BATCH = 'query($id: ID!) { flowBatch(id: $id) { id accepted } }';
    expect(errorCode(await t.gql(BATCH, { id: batchId }, { token: b.token }))).toBe('NOT_FOUND');
    expect((await t.gql(BATCH, { id: batchId }, { token: a.user.token })).data!.flowBatch.accepted).toBe(500);
    const admin = await createAdmin(t);
    const all = await t.gql(AGG, { ...range, groupBy: 'DAY' }, { token: admin.token });
    const total = all.data!.flowAggregates.reduce((s: number, g: { connections: number }) => s + g.connections, 0);
    expect(total).toBeGreaterThanOrEqual(2000);
  });

  const HOURLY = `query($from: DateTime!, $to: DateTime!, $first: Int, $after: String, $port: Int, $protocol: Int, $siteId: ID) {
    flowHourly(from: $from, to: $to, first: $first, after: $after, port: $port, protocol: $protocol, siteId: $siteId) {
      nodes { hour siteId dstPort protocol action bytes packets connections distinctSources } pageInfo { hasNextPage endCursor } } }`;

  /** Every page of flowHourly, `first` at a time. */
  async function allHourly(token: string, vars: Record<string, unknown>, first: number) {
    const nodes: Record<string, unknown>[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const r = await t.gql(HOURLY, { ...vars, first, after }, { token });
      expect(r.errors).toBeUndefined();
      const page: { nodes: Record<string, unknown>[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = r.data!.flowHourly;
      nodes.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return nodes;
      after = page.pageInfo.endCursor;
    }
    throw new Error('flowHourly did not end');
  }

  /** The same rows by GROUP BY over the raw records, in flowHourly's order (rows of no site after the site's). */
  async function rawHourly(where = '') {
    const r = await db.query(
      `SELECT date_trunc('hour', time_start, 'UTC') AS hour, site_id::text AS "siteId", dst_port AS "dstPort", protocol, action::text,
              sum(bytes)::float8 AS bytes, sum(packets)::float8 AS packets, count(*)::float8 AS connections, count(DISTINCT src_addr)::int AS "distinctSources"
       FROM flows.record WHERE organization_id = $1 ${where} GROUP BY 1, site_id, 3, 4, 5 ORDER BY 1, site_id NULLS LAST, 3, 4, 5`,
      [a.orgId],
    );
    return r.rows.map((row) => ({ ...row, hour: row.hour.toISOString() }));
  }

  it('flowHourly lists the hourly rows (flowStatis) with exact distinct sources, page by page in key order', async () => {
    const all = await allHourly(a.user.token, range, 100);
    expect(all).toEqual(await rawHourly());
    expect(all.some((n) => n.siteId === null) && all.some((n) => n.siteId === String(a.site.id))).toBe(true);
    // One row a page: every page boundary, between sites, to and from rows of no site, across hours.
    const three = { from: range.from, to: new Date(at + 3 * HOUR).toISOString(), port: 22, protocol: 6 };
    const small = await allHourly(a.user.token, three, 1);
    expect(small).toEqual(await rawHourly(`AND dst_port = 22 AND protocol = 6 AND time_start < '${three.to}'`));
    expect(small.length).toBeGreaterThan(3);
    const site = await allHourly(a.user.token, { ...range, siteId: a.site.id }, 100);
    expect(site).toEqual((await rawHourly()).filter((row) => row.siteId === String(a.site.id)));
  });

  it('flowHourly is scoped, keeps rows older than the records, and refuses bad ranges and cursors', async () => {
    const b = await createUser(t);
    expect(await allHourly(b.token, range, 100)).toEqual([]);
    expect(errorCode(await t.gql(HOURLY, { ...range, siteId: a.site.id }, { token: b.token }))).toBe('NOT_FOUND');
    const admin = await createAdmin(t);
    expect((await allHourly(admin.token, range, 100)).length).toBeGreaterThanOrEqual((await rawHourly()).length);

    const old = Math.floor((Date.now() - 40 * DAY) / HOUR) * HOUR;
    await db.query(`INSERT INTO flows.hourly (organization_id, hour, site_id, dst_port, protocol, action, bytes, packets, connections, distinct_sources)
      VALUES ($1, $2, NULL, 53, 17, 'ALLOW', 10, 2, 2, 2)`, [a.orgId, new Date(old)]);
    const kept = await t.gql(HOURLY, { from: new Date(old).toISOString(), to: new Date(old + HOUR).toISOString() }, { token: a.user.token });
    expect(kept.data!.flowHourly.nodes).toEqual([
      { hour: new Date(old).toISOString(), siteId: null, dstPort: 53, protocol: 17, action: 'ALLOW', bytes: 10, packets: 2, connections: 2, distinctSources: 2 },
    ]);

    expect(errorCode(await t.gql(HOURLY, { ...range, from: new Date(at + 1).toISOString() }, { token: a.user.token }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(HOURLY, { ...range, after: 'not-a-cursor' }, { token: a.user.token }))).toBe('BAD_USER_INPUT');
    const forged = Buffer.from(JSON.stringify([new Date(at).toISOString(), a.orgId, null, 22, 6, "DENY'; --"])).toString('base64url');
    expect(errorCode(await t.gql(HOURLY, { ...range, after: forged }, { token: a.user.token }))).toBe('BAD_USER_INPUT');
  });

  it('distinctSources is null for ranges older than the raw records', async () => {
    const old = new Date(Math.floor((Date.now() - 40 * DAY) / HOUR) * HOUR).toISOString();
    const r = await t.gql(AGG, { from: old, to: range.to, groupBy: 'ACTION' }, { token: a.user.token });
    expect(r.data!.flowAggregates.map((g: { distinctSources: number | null }) => g.distinctSources)).toEqual([null, null]);
  });
});
