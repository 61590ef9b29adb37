import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import type pg from 'pg';
import { FLOW_JOBS, QUEUES } from '../../src/queue/queue.constants.js';
import { createApiKey, createUser } from '../helpers/factories.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { DAY, flow, hourlyVersusRaw, ndjson, postNdjson, sqlPool, syncFlow, sensorOrg } from './flow-helpers.js';

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const today = () => Math.floor(Date.now() / DAY) * DAY;

/** Day partitions of flows.record, as YYYY-MM-DD. */
async function partitions(db: pg.Pool): Promise<string[]> {
  const r = await db.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'flows.record'::regclass AND c.relname ~ '_\\d{8}$' ORDER BY 1`);
  return r.rows.map((x) => x.relname.replace(/^record_(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3'));
}

describe('flows: day partitions, retention, and durability without Redis', () => {
  let t: TestApp;
  let db: pg.Pool;
  beforeAll(async () => {
    t = await startTestApp({ FLOW_RETENTION_DAYS: '10', FLOW_STATS_RETENTION_DAYS: '100', FLOW_PARTITIONS_AHEAD_DAYS: '2' });
    db = sqlPool();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  /** Runs the upkeep as the scheduler does: a job on the flows queue, consumed by the worker. */
  async function runMaintenanceJob() {
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.flows));
    const job = await queue.add(FLOW_JOBS.maintain, {});
    return job.finished();
  }

  it('the worker makes partitions ahead at start; records of a day without one wait in the default partition, then move into it', async () => {
    expect(await partitions(db)).toEqual(expect.arrayContaining([-1, 0, 1, 2].map((d) => isoDay(today() + d * DAY))));
    const { user, key } = await sensorOrg(t);
    const day = today() - 6 * DAY;
    await db.query(`DROP TABLE IF EXISTS flows.record_${isoDay(day).replaceAll('-', '')}, flows.hour_source_${isoDay(day).replaceAll('-', '')}`);
    const r = await syncFlow(t, key, 'old-day', [flow(day + 3_600_000), flow(day + 7_200_000, { srcAddr: '198.51.100.9' })]);
    expect(r.data!.syncFlow.accepted).toBe(2);
    const where = async () => (await db.query('SELECT tableoid::regclass::text AS p FROM flows.record WHERE organization_id = $1', [user.organizationId])).rows.map((x) => x.p);
    expect(await where()).toEqual(['flows.record_default', 'flows.record_default']);

    const result = await runMaintenanceJob();
    expect(result.created).toContain(isoDay(day));
    expect(await where()).toEqual([`flows.record_${isoDay(day).replaceAll('-', '')}`, `flows.record_${isoDay(day).replaceAll('-', '')}`]);
    // Records for that day keep arriving into the new partition, and the aggregates stay exact.
    await postNdjson(t, key, ndjson([flow(day + 3_600_000, { srcAddr: '198.51.100.9' })]), { chunkKey: 'old-day-2' });
    const { raw, hourly } = await hourlyVersusRaw(db, user.organizationId!);
    expect(hourly).toEqual(raw);
    expect(raw.map((c) => c.distinct_sources)).toEqual(['2', '1']);
  });

  it('retention drops whole day partitions past FLOW_RETENTION_DAYS and hourly rows past FLOW_STATS_RETENTION_DAYS', async () => {
    const user = await createUser(t);
    const org = user.organizationId!;
    const old = today() - 12 * DAY;
    await db.query('SELECT flows.ensure_day($1::date)', [isoDay(old)]);
    await db.query(`INSERT INTO flows.record (organization_id, time_start, time_end, src_addr, src_port, dst_addr, dst_port, protocol, bytes, packets, action)
      VALUES ($1, $2, $2, '192.0.2.1', 1, '192.0.2.2', 80, 6, 10, 1, 'ALLOW')`, [org, new Date(old + 1000)]);
    await db.query(`INSERT INTO flows.hourly (organization_id, hour, site_id, dst_port, protocol, action, bytes, packets, connections, distinct_sources)
      VALUES ($1, $2, NULL, 80, 6, 'ALLOW', 10, 1, 1, 1), ($1, $3, NULL, 80, 6, 'ALLOW', 20, 2, 2, 1)`,
      [org, new Date(old), new Date(today() - 101 * DAY)]);
    const inRetention = today() - 9 * DAY;
    await db.query('SELECT flows.ensure_day($1::date)', [isoDay(inRetention)]);

    const result = await runMaintenanceJob();
    expect(result.dropped).toBeGreaterThanOrEqual(1);
    const days = await partitions(db);
    expect(days).not.toContain(isoDay(old));
    expect(days).toContain(isoDay(inRetention));
    expect(days.every((d) => d >= isoDay(today() - 10 * DAY))).toBe(true);
    const hourly = await db.query('SELECT hour FROM flows.hourly WHERE organization_id = $1', [org]);
    expect(hourly.rows).toEqual([{ hour: new Date(old) }]);
    // Records older than the retention window are refused, not parked.
    const key = (await createApiKey(t, org, ['sync:flows'])).key;
    const late = await syncFlow(t, key, 'late', [flow(old + 5000)]);
    expect(late.data!.syncFlow.rejections[0].reason).toMatch(/^start is older than the retention window/);
  });

  it('an API process with no worker and no Redis still stores and counts every acknowledged record', async () => {
    const redis: PrivateRedis = await startPrivateRedis();
    const api = await startTestApp({ PROCESS_ROLE: 'api', REDIS_URL: redis.url });
    try {
      const { user, key } = await sensorOrg(api);
      await redis.stop();
      const at = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
      const bulk = await postNdjson(api, key, ndjson(Array.from({ length: 50 }, (_, i) => flow(at + i * 1000))), { chunkKey: 'no-redis' });
      expect(bulk.status).toBe(201);
      const gql = await syncFlow(api, key, 'no-redis-2', [flow(at)]);
      expect(gql.data!.syncFlow.accepted).toBe(1);
      const { raw, hourly } = await hourlyVersusRaw(db, user.organizationId!);
      expect(raw).toEqual([expect.objectContaining({ connections: '51' })]);
      expect(hourly).toEqual(raw);
    } finally {
      await redis.restart(); // lets the app's Redis clients close cleanly
      await api.close();
      await redis.stop();
    }
  }, 60_000);
});
