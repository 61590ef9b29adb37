import { gzipSync } from 'node:zlib';
import type pg from 'pg';
import { createApiKey, createUser, uniq } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { createSite } from '../helpers/vuln-factories.js';
import { flow, HOUR, hourlyVersusRaw, hourSourcesVersusRaw, hoursAgo, ndjson, postNdjson, sqlPool, syncFlow } from './flow-helpers.js';

describe('flows: ingestion through syncFlow and POST /ingest/flows', () => {
  let t: TestApp;
  let db: pg.Pool;
  beforeAll(async () => {
    t = await startTestApp({ FLOW_MAX_BODY_MB: '1', FLOW_SEGMENT_RECORDS: '150' }); // chunks of 400 span several segments
    db = sqlPool();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  async function world() {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const key = await createApiKey(t, orgId, ['sync:flows']);
    const count = async () => Number((await db.query('SELECT count(*) FROM flows.record WHERE organization_id = $1', [orgId])).rows[0].count);
    return { user, orgId, key: key.key, count };
  }

  it('syncFlow keeps the valid records, refuses the others with reasons, and a replayed chunk key stores nothing', async () => {
    const w = await world();
    const at = hoursAgo(2);
    const records = [
      flow(at),
      flow(at, { srcAddr: '300.1.2.3' }),
      flow(at + 1000, { srcAddr: '2001:db8::7', dstAddr: '2001:db8::1', protocol: 17, action: 'DENY' }),
      flow(at, { dstPort: 70000 }),
      flow(at, { bytes: -1 }),
      flow(at, { start: new Date(at + 10_000).toISOString() }),
      flow(Date.now() + 3 * HOUR),
      flow(at, { protocol: 300 }),
      // Wrong types are one record's problem too, not the call's.
      { ...flow(at), srcPort: '443' },
      { ...flow(at), start: 'yesterday' },
      'not an object',
      { ...flow(at), bytes: 1.5 },
    ];
    const r = await syncFlow(t, w.key, 'sensor-1:0001', records);
    expect(r.errors).toBeUndefined();
    expect(r.data!.syncFlow).toMatchObject({ chunkKey: 'sensor-1:0001', source: 'GRAPHQL', received: 12, accepted: 2, rejected: 10 });
    expect(r.data!.syncFlow.rejections).toEqual([
      { index: 1, reason: 'srcAddr is not an IPv4 or IPv6 address' },
      { index: 3, reason: 'dstPort must be an integer 0-65535' },
      { index: 4, reason: 'bytes must be a non-negative integer' },
      { index: 5, reason: 'start is after end' },
      { index: 6, reason: 'end is in the future' },
      { index: 7, reason: expect.stringMatching(/^protocol must be 0-255/) },
      { index: 8, reason: 'srcPort must be an integer 0-65535' },
      { index: 9, reason: 'start is not a valid time' },
      { index: 10, reason: 'a record must be a JSON object' },
      { index: 11, reason: 'bytes must be a non-negative integer' },
    ]);
    expect(await w.count()).toBe(2);

    const again = await syncFlow(t, w.key, 'sensor-1:0001', [flow(at), flow(at)]);
    expect(again.data!.syncFlow).toEqual(r.data!.syncFlow);
    expect(await w.count()).toBe(2);

    const list = await t.gql(`query($f: DateTime!, $to: DateTime!) { flows(from: $f, to: $to) { nodes { srcAddr dstAddr protocol action bytes siteId } } }`,
      { f: new Date(at).toISOString(), to: new Date(at + HOUR).toISOString() }, { token: w.user.token });
    expect(list.data!.flows.nodes).toEqual([
      { srcAddr: '198.51.100.7', dstAddr: '192.0.2.10', protocol: 6, action: 'ALLOW', bytes: 1200, siteId: null },
      { srcAddr: '2001:db8::7', dstAddr: '2001:db8::1', protocol: 17, action: 'DENY', bytes: 1200, siteId: null },
    ]);
  });

  it('syncFlow reads records written inline in the query, epoch milliseconds and GoFlow2 names, as NDJSON does', async () => {
    const w = await world();
    const at = hoursAgo(2);
    const inline = await t.gql(
      `mutation { syncFlow(chunkKey: "inline-1", records: [
        { start: ${at}, end: ${at + 10}, srcAddr: "198.51.100.7", srcPort: 1, dstAddr: "192.0.2.10", dstPort: 22, protocol: "TCP", bytes: 5, packets: 1, action: DENY },
        { time_flow_start_ns: "${at}000000", time_flow_end_ns: ${at + 20}000000, src_addr: "198.51.100.8", src_port: 2, dst_addr: "192.0.2.10",
          dst_port: 22, proto: "UDP", bytes: 6, packets: 2, forwarding_status: 130, nested: { list: [1, null] } },
        { start: ${at}, end: ${at}, srcAddr: 7 }
      ]) { accepted rejected rejections { index reason } } }`,
      {}, { apiKey: w.key },
    );
    expect(inline.errors).toBeUndefined();
    expect(inline.data!.syncFlow).toEqual({ accepted: 2, rejected: 1, rejections: [{ index: 2, reason: 'srcAddr is not an IPv4 or IPv6 address' }] });
    const rows = await db.query(
      `SELECT host(src_addr) AS src, protocol, action::text FROM flows.record WHERE organization_id = $1 ORDER BY src_addr`,
      [w.orgId],
    );
    expect(rows.rows.map((r) => [r.src, r.protocol, r.action])).toEqual([['198.51.100.7', 6, 'DENY'], ['198.51.100.8', 17, 'DENY']]);
  });

  it('stores values exactly: counters up to 2^53, IPv6 forms, millisecond times', async () => {
    const w = await world();
    const at = hoursAgo(2) + 59 * 60_000 + 59_999; // the last millisecond of an hour
    const big = Number.MAX_SAFE_INTEGER;
    const r = await syncFlow(t, w.key, 'exact-1', [
      flow(at, { bytes: big, packets: 2 ** 32 + 1, srcAddr: '::ffff:192.0.2.1', dstAddr: '2001:DB8:0:0:0:0:0:1', srcPort: 0, dstPort: 65535, protocol: 255 }),
      flow(at, { srcAddr: '0.0.0.0', dstAddr: '255.255.255.255' }),
    ]);
    expect(r.data!.syncFlow).toMatchObject({ accepted: 2, rejected: 0 });
    const rows = await db.query(
      `SELECT bytes::text, packets::text, host(src_addr) AS src, host(dst_addr) AS dst, src_port, dst_port, protocol, time_start, time_end,
              masklen(src_addr) AS bits FROM flows.record WHERE organization_id = $1 ORDER BY id`,
      [w.orgId],
    );
    expect(rows.rows).toEqual([
      { bytes: String(big), packets: String(2 ** 32 + 1), src: '::ffff:192.0.2.1', dst: '2001:db8::1', src_port: 0, dst_port: 65535, protocol: 255,
        time_start: new Date(at), time_end: new Date(at + 1500), bits: 128 },
      { bytes: '1200', packets: '8', src: '0.0.0.0', dst: '255.255.255.255', src_port: 50_000, dst_port: 443, protocol: 6,
        time_start: new Date(at), time_end: new Date(at + 1500), bits: 32 },
    ]);
    const { raw, hourly } = await hourlyVersusRaw(db, w.orgId);
    expect(hourly).toEqual(raw);
  });

  it('keeps each hourly cell\'s sources exactly, whatever its site id, port, protocol and action (one packed key per cell)', async () => {
    const w = await world();
    const maxId = 2_147_483_647; // the largest int4 site id packs into the cell key too
    await t.prisma.site.create({ data: { id: maxId, organizationId: w.orgId, url: 'https://max.example.test', domain: 'max.example.test', name: 'max', ip: '192.0.2.250' } });
    const site = await createSite(t, w.orgId);
    await t.prisma.site.update({ where: { id: site.id }, data: { ip: '192.0.2.251' } });
    const at = hoursAgo(3);
    const records = [
      flow(at, { dstAddr: '192.0.2.250', dstPort: 65535, protocol: 255, action: 'DENY' }),
      flow(at, { dstAddr: '192.0.2.250', dstPort: 65535, protocol: 255, action: 'ALLOW' }),
      flow(at, { dstAddr: '192.0.2.250', dstPort: 65535, protocol: 255, action: 'DENY', srcAddr: '2001:db8::9' }),
      flow(at, { dstAddr: '192.0.2.251', dstPort: 0, protocol: 0, action: 'DENY' }),
      flow(at, { dstAddr: '192.0.2.252', dstPort: 0, protocol: 0 }), // no site
      flow(at + HOUR, { dstAddr: '192.0.2.252', dstPort: 0, protocol: 0 }), // the next hour
    ];
    expect((await syncFlow(t, w.key, 'cells-1', records)).errors).toBeUndefined();
    expect((await postNdjson(t, w.key, ndjson([...records, flow(at, { dstAddr: '192.0.2.250', dstPort: 65535, protocol: 255, action: 'DENY', srcAddr: '2001:db8::a' })]), { chunkKey: 'cells-2' })).status).toBe(201);
    const sources = await hourSourcesVersusRaw(db, w.orgId);
    expect(sources.stored).toHaveLength(7);
    expect(sources.stored).toEqual(sources.raw);
    expect(sources.stored).toContainEqual(expect.objectContaining({ site_id: maxId, dst_port: 65535, protocol: 255, action: 'DENY', src: '2001:db8::a' }));
    const { raw, hourly } = await hourlyVersusRaw(db, w.orgId);
    expect(hourly).toEqual(raw);
    await t.prisma.site.delete({ where: { id: maxId } });
  });

  it('syncFlow refuses more than 10,000 records, a bad chunk key and keys without sync:flows', async () => {
    const w = await world();
    const at = hoursAgo(1);
    const tooMany = await syncFlow(t, w.key, uniq(), Array.from({ length: 10_001 }, () => flow(at)));
    expect(errorCode(tooMany)).toBe('BAD_USER_INPUT');
    expect(errorCode(await syncFlow(t, w.key, 'no spaces allowed', [flow(at)]))).toBe('BAD_USER_INPUT');
    const vulnKey = await createApiKey(t, w.orgId, ['sync:vulns']);
    expect(errorCode(await syncFlow(t, vulnKey.key, uniq(), [flow(at)]))).toBe('FORBIDDEN');
    expect((await postNdjson(t, vulnKey.key, ndjson([flow(at)]))).status).toBe(403);
    expect(await w.count()).toBe(0);
  });

  it('POST /ingest/flows takes GoFlow2 JSON, gzip, and ties records to the site of their address', async () => {
    const w = await world();
    const web = await createSite(t, w.orgId);
    const api = await createSite(t, w.orgId);
    await t.prisma.site.update({ where: { id: web.id }, data: { ip: '203.0.113.80' } });
    await t.prisma.site.update({ where: { id: api.id }, data: { ip: '2001:0db8:0000::0050' } });
    const ns = (ms: number) => ms * 1e6;
    const at = hoursAgo(3);
    const goflow = (src: string, dst: string, extra: Record<string, unknown> = {}) => ({
      type: 'IPFIX', time_received_ns: ns(at + 5000), sequence_num: 1, sampling_rate: 0, sampler_address: '192.0.2.254',
      time_flow_start_ns: ns(at), time_flow_end_ns: ns(at + 2000), bytes: 900, packets: 12, src_addr: src, dst_addr: dst,
      etype: 'IPv4', proto: 'TCP', src_port: 49152, dst_port: 443, in_if: 1, out_if: 2, forwarding_status: 64, ...extra,
    });
    const body = ndjson([
      goflow('192.0.2.1', '203.0.113.80'),
      goflow('2001:db8::50', '2001:db8::99', { etype: 'IPv6', proto: 'UDP', dst_port: 53 }),
      goflow('192.0.2.1', '192.0.2.2', { forwarding_status: 130 }),
      goflow('192.0.2.1', 'nowhere'),
    ]) + '{"broken": \n';
    const res = await postNdjson(t, w.key, gzipSync(body), { headers: { 'content-encoding': 'gzip' }, chunkKey: 'collector-a:1' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ source: 'NDJSON', received: 5, accepted: 3, rejected: 2, rejections: [
      { index: 4, reason: 'dstAddr is not an IPv4 or IPv6 address' },
      { index: 5, reason: 'not valid JSON' },
    ] });
    const rows = await db.query(
      'SELECT host(src_addr) AS src, site_id AS "siteId", protocol, action::text, time_start AS start FROM flows.record WHERE organization_id = $1 ORDER BY id',
      [w.orgId],
    );
    expect(rows.rows).toEqual([
      { src: '192.0.2.1', siteId: web.id, protocol: 6, action: 'ALLOW', start: new Date(at) },
      { src: '2001:db8::50', siteId: api.id, protocol: 17, action: 'ALLOW', start: new Date(at) },
      { src: '192.0.2.1', siteId: null, protocol: 6, action: 'DENY', start: new Date(at) },
    ]);

    const replay = await postNdjson(t, w.key, ndjson([flow(at)]), { chunkKey: 'collector-a:1' });
    expect(replay.body).toEqual(res.body);
    expect(await w.count()).toBe(3);
  });

  it('bad bodies get clear errors and store nothing', async () => {
    const w = await world();
    const at = hoursAgo(1);
    const notGzip = await postNdjson(t, w.key, ndjson([flow(at)]), { headers: { 'content-encoding': 'gzip' } });
    expect(notGzip.status).toBe(400);
    expect(notGzip.body.error.code).toBe('BAD_USER_INPUT');
    const deflate = await postNdjson(t, w.key, ndjson([flow(at)]), { headers: { 'content-encoding': 'br' } });
    expect(deflate.body.error.code).toBe('BAD_USER_INPUT');
    // 1.3 MB of valid records against FLOW_MAX_BODY_MB=1: refused whole, plain or inflated from gzip.
    const big = ndjson(Array.from({ length: 6000 }, () => flow(at)));
    const tooLarge = await postNdjson(t, w.key, big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const bomb = await postNdjson(t, w.key, gzipSync(big), { headers: { 'content-encoding': 'gzip' } });
    expect(bomb.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const longLine = await postNdjson(t, w.key, `{"pad":"${'x'.repeat(70_000)}"}\n`);
    expect(longLine.body.error.code).toBe('BAD_USER_INPUT');
    const json = await t.http().post('/ingest/flows').set('authorization', `ApiKey ${w.key}`).send([flow(at)]);
    expect(json.body.error.code).toBe('BAD_USER_INPUT');
    expect(await w.count()).toBe(0);
    expect(Number((await db.query('SELECT count(*) FROM flows.batch WHERE organization_id = $1', [w.orgId])).rows[0].count)).toBe(0);
  });

  it('hourly aggregates equal a GROUP BY over the raw records after many batches, including concurrent ones', async () => {
    const w = await world();
    const site = await createSite(t, w.orgId);
    await t.prisma.site.update({ where: { id: site.id }, data: { ip: '192.0.2.10' } });
    const at = hoursAgo(4);
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 16807) % 2147483647) % n; // deterministic (Park-Miller)
    const batch = () => Array.from({ length: 400 }, () => flow(at + rnd(4) * HOUR + rnd(3_000_000), {
      srcAddr: `198.51.100.${rnd(30)}`, dstAddr: rnd(2) ? '192.0.2.10' : '192.0.2.11', dstPort: [22, 80, 443][rnd(3)],
      protocol: [6, 17][rnd(2)], action: rnd(4) ? 'ALLOW' : 'DENY', bytes: rnd(100_000), packets: rnd(100),
    }));
    for (let i = 0; i < 3; i++) expect((await syncFlow(t, w.key, `seq-${i}`, batch())).errors).toBeUndefined();
    const [g1, g2, n1, n2] = await Promise.all([
      syncFlow(t, w.key, 'c-1', batch()), syncFlow(t, w.key, 'c-2', batch()),
      postNdjson(t, w.key, ndjson(batch()), { chunkKey: 'c-3' }), postNdjson(t, w.key, ndjson(batch()), { chunkKey: 'c-4' }),
    ]);
    expect([g1.errors, g2.errors, n1.status, n2.status]).toEqual([undefined, undefined, 201, 201]);
    await syncFlow(t, w.key, 'c-1', batch()); // replay: ignored
    const { raw, hourly } = await hourlyVersusRaw(db, w.orgId);
    expect(raw.length).toBeGreaterThan(20);
    expect(hourly).toEqual(raw);
    const sources = await hourSourcesVersusRaw(db, w.orgId);
    expect(sources.stored).toEqual(sources.raw);
    expect(await w.count()).toBe(2800);
  });
});
