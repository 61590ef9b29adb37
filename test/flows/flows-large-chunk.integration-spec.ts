import type pg from 'pg';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createSite } from '../helpers/vuln-factories.js';
import { flow, HOUR, hourlyVersusRaw, hourSourcesVersusRaw, hoursAgo, ndjson, postNdjson, sqlPool, sensorOrg } from './flow-helpers.js';

// The default segment size (25,000 records): one chunk larger than a segment fills several of
// the writer's COPY buffers (256 KB of records, and of staging rows) within each segment, a
// path the small segments of flows-ingest never take.
describe('flows: one large NDJSON chunk under the default segment size', () => {
  let t: TestApp;
  let db: pg.Pool;
  beforeAll(async () => {
    t = await startTestApp();
    db = sqlPool();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('stores every record of a 30,000-record chunk and counts it exactly (IPv4 and IPv6, with and without a site)', async () => {
    const { orgId, key } = await sensorOrg(t);
    const site = await createSite(t, orgId);
    await t.prisma.site.update({ where: { id: site.id }, data: { ip: '192.0.2.10' } });
    const at = hoursAgo(6);
    let seed = 11;
    const rnd = (n: number) => (seed = (seed * 16807) % 2147483647) % n; // deterministic (Park-Miller)
    const records = Array.from({ length: 30_000 }, () => flow(at + rnd(5) * HOUR + rnd(3_000_000), {
      srcAddr: rnd(8) ? `198.51.100.${rnd(200)}` : `2001:db8::${rnd(50).toString(16)}`,
      dstAddr: rnd(2) ? '192.0.2.10' : '192.0.2.11', dstPort: [22, 80, 443, 3389][rnd(4)],
      protocol: [6, 17][rnd(2)], action: rnd(4) ? 'ALLOW' : 'DENY', bytes: rnd(1_000_000), packets: rnd(1000),
    }));
    const res = await postNdjson(t, key, ndjson(records), { chunkKey: 'large-1' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ received: 30_000, accepted: 30_000, rejected: 0 });
    const stored = await db.query('SELECT count(*)::int AS n, sum(bytes)::text AS bytes FROM flows.record WHERE organization_id = $1', [orgId]);
    expect(stored.rows[0]).toEqual({ n: 30_000, bytes: String(records.reduce((s, r) => s + r.bytes, 0)) });
    const { raw, hourly } = await hourlyVersusRaw(db, orgId);
    expect(raw.length).toBeGreaterThan(100);
    expect(hourly).toEqual(raw);
    const sources = await hourSourcesVersusRaw(db, orgId);
    expect(sources.stored).toEqual(sources.raw);
  });
});
