import type pg from 'pg';
import { FlowMaintenanceService } from '../../src/flows/flow-maintenance.service.js';
import { createApiKey, createUser } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { flow, HOUR, hoursAgo, hourlyVersusRaw, hourSourcesVersusRaw, ndjson, postNdjson, sqlPool, syncFlow, sensorOrg } from './flow-helpers.js';

const AGG = `query($from: DateTime!, $to: DateTime!, $groupBy: FlowDimension!) {
  flowAggregates(from: $from, to: $to, groupBy: $groupBy) { key connections distinctSources } }`;

/**
 * flows.hour_source and flows.hour_source_ready are unlogged: after a crash PostgreSQL starts
 * them empty (as a promoted standby or a restored base backup does). Emptying them by hand is
 * that reset; what was committed in the logged tables (records, hourly aggregates) stays.
 */
const loseUnloggedTables = (db: pg.Pool) => db.query('TRUNCATE flows.hour_source, flows.hour_source_ready');

describe('flows: the hour source sets are rebuilt from the records when PostgreSQL loses them', () => {
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

  it('keeps the source sets and their ready marks unlogged, in the partitions made ahead too', async () => {
    const r = await db.query<{ relname: string; relpersistence: string }>(
      `SELECT c.relname, c.relpersistence FROM pg_class c
       WHERE c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'flows.hour_source'::regclass) OR c.oid = 'flows.hour_source_ready'::regclass`,
    );
    expect(r.rows.length).toBeGreaterThan(3);
    expect(r.rows.filter((x) => x.relpersistence !== 'u')).toEqual([]);
    const record = await db.query(`SELECT DISTINCT c.relpersistence FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid WHERE i.inhparent = 'flows.record'::regclass`);
    expect(record.rows).toEqual([{ relpersistence: 'p' }]);
  });

  it('after the loss, the next chunk of an hour rebuilds that hour first: a source seen before is not counted again', async () => {
    const { user, orgId, key } = await sensorOrg(t);
    const [h1, h2] = [hoursAgo(3), hoursAgo(2)];
    const before = [
      flow(h1 + 1000, { srcAddr: '198.51.100.1' }), flow(h1 + 2000, { srcAddr: '198.51.100.2' }),
      flow(h2 + 1000, { srcAddr: '198.51.100.3' }), flow(h2 + 2000, { srcAddr: '2001:db8::3', dstPort: 22 }),
    ];
    expect((await syncFlow(t, key, 'before', before)).data!.syncFlow.accepted).toBe(4);
    await loseUnloggedTables(db);

    // A repeated source and a new one in hour 1; hour 2 is not touched.
    const after = [flow(h1 + 3000, { srcAddr: '198.51.100.1' }), flow(h1 + 4000, { srcAddr: '198.51.100.4' })];
    expect((await postNdjson(t, key, ndjson(after), { chunkKey: 'after' })).status).toBe(201);
    const { raw, hourly } = await hourlyVersusRaw(db, orgId);
    expect(hourly).toEqual(raw);
    expect(raw.find((c) => c.dst_port === 443 && c.hour === new Date(h1).toISOString().slice(0, 13))?.distinct_sources).toBe('3');
    const ready = await db.query('SELECT hour FROM flows.hour_source_ready WHERE organization_id = $1', [orgId]);
    expect(ready.rows).toEqual([{ hour: new Date(h1) }]);

    // Reading distinct sources over both hours rebuilds hour 2 as well.
    const r = await t.gql(AGG, { from: new Date(h1).toISOString(), to: new Date(h2 + HOUR).toISOString(), groupBy: 'HOUR' }, { token: user.token });
    expect(r.errors).toBeUndefined();
    expect(r.data!.flowAggregates).toEqual([
      { key: new Date(h1).toISOString(), connections: 4, distinctSources: 3 },
      { key: new Date(h2).toISOString(), connections: 2, distinctSources: 2 },
    ]);
    const sets = await hourSourcesVersusRaw(db, orgId);
    expect(sets.stored).toEqual(sets.raw);
  });

  it('concurrent chunks of a lost hour rebuild it once and count every source exactly once', async () => {
    const { orgId, key } = await sensorOrg(t);
    const h = hoursAgo(1);
    const sources = (from: number, n: number) => Array.from({ length: n }, (_, i) => `203.0.113.${from + i}`);
    const records = (srcs: string[], offset: number) => srcs.map((srcAddr, i) => flow(h + offset + i * 10, { srcAddr }));
    expect((await syncFlow(t, key, 'seed', records(sources(0, 30), 0))).errors).toBeUndefined();
    await loseUnloggedTables(db);

    // Each chunk repeats 20 sources of the seed, and the two share 10 sources no earlier chunk had.
    const answers = await Promise.all([
      postNdjson(t, key, ndjson(records([...sources(10, 20), ...sources(30, 10), ...sources(40, 5)], 100_000)), { chunkKey: 'c1' }),
      postNdjson(t, key, ndjson(records([...sources(0, 20), ...sources(30, 10), ...sources(50, 5)], 200_000)), { chunkKey: 'c2' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    const { raw, hourly } = await hourlyVersusRaw(db, orgId);
    expect(hourly).toEqual(raw);
    expect(raw.map((c) => c.distinct_sources)).toEqual(['50']);
    const sets = await hourSourcesVersusRaw(db, orgId);
    expect(sets.stored).toEqual(sets.raw);
  });

  it('the upkeep marks the last and coming hours ready for organisations with a flow key, rebuilding an hour from its records first', async () => {
    const { orgId, key } = await sensorOrg(t);
    const other = await createUser(t);
    await createApiKey(t, other.organizationId!, ['sync:vulns']);
    const now = Date.now();
    const h0 = Math.floor(now / HOUR) * HOUR;
    const before = [flow(h0, { srcAddr: '198.51.100.1' }), flow(h0, { srcAddr: '198.51.100.2' })];
    expect((await syncFlow(t, key, 'current', before)).data!.syncFlow.accepted).toBe(2);
    await loseUnloggedTables(db);

    const result = await t.app.get(FlowMaintenanceService).maintain(now);
    expect(result.hoursMarked).toBeGreaterThanOrEqual(4);
    const marks = async (org: number) =>
      (await db.query('SELECT hour FROM flows.hour_source_ready WHERE organization_id = $1 ORDER BY 1', [org])).rows.map((r) => r.hour.getTime());
    // The previous hour (late records), the current one, and with FLOW_MAINTENANCE_EVERY_MS an
    // hour, the next two: until after the next run.
    expect(await marks(orgId)).toEqual([h0 - HOUR, h0, h0 + HOUR, h0 + 2 * HOUR]);
    expect(await marks(other.organizationId!)).toEqual([]);
    const sets = await hourSourcesVersusRaw(db, orgId);
    expect(sets.stored).toEqual(sets.raw);
    expect(sets.stored).toHaveLength(2);

    // A later chunk repeating a source counts only the new one.
    const after = [flow(h0 + 1, { srcAddr: '198.51.100.1' }), flow(h0 + 2, { srcAddr: '198.51.100.3' })];
    expect((await postNdjson(t, key, ndjson(after), { chunkKey: 'current-2' })).status).toBe(201);
    const { raw, hourly } = await hourlyVersusRaw(db, orgId);
    expect(hourly).toEqual(raw);
    expect(raw.map((c) => c.distinct_sources)).toEqual(['3']);
    expect((await t.app.get(FlowMaintenanceService).maintain(now)).hoursMarked).toBe(0);
  });

  it('without a loss, nothing is rebuilt: an hour is read back from its records only once, when first marked', async () => {
    const { orgId, key } = await sensorOrg(t);
    const h = hoursAgo(4);
    expect((await syncFlow(t, key, 'one', [flow(h + 1000)])).errors).toBeUndefined();
    // A source added behind the ingest's back (not from a record) stays: the hour is ready, not rebuilt.
    await db.query(`INSERT INTO flows.hour_source VALUES ($1, $2, flows.cell(NULL, 443, 6::smallint, 'ALLOW'), '192.0.2.250')`, [orgId, new Date(h)]);
    expect((await syncFlow(t, key, 'two', [flow(h + 2000, { srcAddr: '192.0.2.251' })])).errors).toBeUndefined();
    const restored = await db.query('SELECT flows.restore_hour_sources($1, ARRAY[$2::timestamptz]) AS n', [orgId, new Date(h)]);
    expect(restored.rows[0].n).toBe(0);
    const stored = await db.query('SELECT host(src_addr) AS src FROM flows.hour_source WHERE organization_id = $1 ORDER BY 1', [orgId]);
    expect(stored.rows.map((x) => x.src)).toEqual(['192.0.2.250', '192.0.2.251', '198.51.100.7']);
  });
});
