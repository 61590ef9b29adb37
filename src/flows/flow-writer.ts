// Writes one chunk of flow records inside the caller's transaction: rows are COPYed straight
// into the day-partitioned flows.record (binary COPY format, copy-binary.ts); alongside, each
// record's hourly cell, source and counters are encoded in binary COPY format too, in off-heap
// buffers (no string or object per record stays on the V8 heap), and sent to a temporary
// staging table every FLOW_SEGMENT_RECORDS records. At the end the staged rows are
// rolled up into the aggregate tables with one set-based statement per table, so the chunk is
// stored and counted in one commit.
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RecordEncoder, RECORD_COLUMNS, StageEncoder } from './copy-binary.js';
import type { FlowRow } from './flow-record.js';
import { HOUR_MS } from './flows.constants.js';

export class FlowWriter {
  private copy!: ReturnType<typeof copyFrom>;
  private finished!: Promise<unknown>;
  private readonly rows = new RecordEncoder();
  /** The segment's staging rows (hourly cell, source, counters of each record): the last few in the encoder, the rest already taken. */
  private readonly stage = new StageEncoder();
  private staged: Buffer[] = [];
  /** Start of every hour the chunk's records start in (epoch ms). */
  private readonly hours = new Set<number>();
  private inSegment = 0;
  count = 0;

  private constructor(
    private readonly client: pg.PoolClient,
    private readonly organizationId: number,
    /**
     * Records per segment (FLOW_SEGMENT_RECORDS): the COPY is ended and the segment's staging
     * lines sent every this many records (then a new COPY starts, in the same transaction), so
     * what is buffered stays small however large the chunk is (a 100 MB body is ~400,000 records).
     */
    private readonly segmentRecords: number,
  ) {
    this.stage.header();
  }

  static async open(client: pg.PoolClient, organizationId: number, segmentRecords: number): Promise<FlowWriter> {
    const w = new FlowWriter(client, organizationId, segmentRecords);
    await client.query(STAGING);
    w.startCopy();
    return w;
  }

  private startCopy(): void {
    this.copy = this.client.query(
      copyFrom(`COPY flows.record (${RECORD_COLUMNS}) FROM STDIN (FORMAT binary)`),
    );
    this.rows.header();
    const copy = this.copy;
    this.finished = new Promise((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    this.finished.catch(() => undefined); // observed in endSegment()
  }

  /**
   * Adds a record (every field already checked). Returns a promise, to be awaited before the
   * next write, only when the COPY buffer is flushed or a segment ends (no promise per record).
   */
  write(r: FlowRow, siteId: number | undefined, assetId: number | undefined): Promise<void> | undefined {
    this.rows.add(this.organizationId, siteId, assetId, r);
    const hour = r.start - (r.start % HOUR_MS);
    this.stage.add(hour, siteId, r);
    this.hours.add(hour);
    if (this.stage.full) this.staged.push(this.stage.take());
    this.count++;
    if (++this.inSegment >= this.segmentRecords) return this.endSegment().then(() => this.startCopy());
    if (this.rows.full) return this.flush();
    return undefined;
  }

  private async flush(): Promise<void> {
    if (this.rows.length && !this.copy.write(this.rows.take())) await Promise.race([once(this.copy, 'drain'), this.finished]);
  }

  /** Ends the COPY (the rows are stored) and adds the chunk's sums to the aggregate tables. */
  async close(): Promise<void> {
    await this.endSegment();
    if (this.count) await this.finish();
  }

  private async endSegment(): Promise<void> {
    this.rows.trailer();
    await this.flush();
    this.copy.end();
    await this.finished;
    if (this.inSegment) await this.spill();
    this.inSegment = 0;
  }

  /** Abandons the COPY (the caller rolls the transaction back). */
  abort(error: Error): void {
    this.copy.destroy(error);
  }

  /**
   * The segment's staging rows into the connection's own temporary table (no locks taken:
   * segments of concurrent chunks cannot deadlock). The shared aggregate rows are only touched
   * in finish(), once per chunk, in key order.
   */
  private async spill(): Promise<void> {
    const stream = this.client.query(copyFrom('COPY flow_stage FROM STDIN (FORMAT binary)'));
    const done = new Promise((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    this.stage.trailer();
    const buffers = [...this.staged, this.stage.take()];
    this.staged = [];
    this.stage.header();
    for (const b of buffers) if (!stream.write(b)) await Promise.race([once(stream, 'drain'), done]);
    stream.end();
    await done;
  }

  /**
   * Adds the chunk's sums to flows.hour_source, hourly, daily and hourly_total, once the sources
   * of its hours are complete (rebuilt from the records if PostgreSQL lost them: see
   * flows.restore_hour_sources).
   */
  private async finish(): Promise<void> {
    const hours = [...this.hours].sort((a, b) => a - b).map((h) => new Date(h));
    await this.client.query('SELECT flows.restore_hour_sources($1, $2::timestamptz[])', [this.organizationId, hours]);
    for (const statement of ROLLUP) await this.client.query(statement, [this.organizationId]);
  }
}

/** Per-connection staging table: one row per record of the chunk (emptied at every commit; made once per connection). */
export const STAGING = `
  CREATE TEMP TABLE IF NOT EXISTS flow_stage (hour timestamptz NOT NULL, site_id int, dst_port int NOT NULL, protocol smallint NOT NULL,
    action flows.action NOT NULL, src_addr inet NOT NULL, bytes bigint NOT NULL, packets bigint NOT NULL) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS flow_sums (hour timestamptz NOT NULL, site_id int, dst_port int NOT NULL, protocol smallint NOT NULL,
    action flows.action NOT NULL, bytes bigint NOT NULL, packets bigint NOT NULL, connections bigint NOT NULL, sources bigint NOT NULL) ON COMMIT DELETE ROWS`;

// A source counts towards distinct_sources of its hourly cell only in the chunk whose insert into
// flows.hour_source creates its row, so the counts stay exact across chunks and concurrent
// transactions (a concurrent insert of the same row waits for the first and then does nothing).
// Every upsert runs in key order, and the tables always in the same order, which keeps
// concurrent chunks from deadlocking. Besides flows.hourly: the per-day cells (flows.daily), the
// per-hour totals (hourly_total), and per port and per site, hourly and daily, for the queries.
const ADD = 'bytes = t.bytes + excluded.bytes, packets = t.packets + excluded.packets, connections = t.connections + excluded.connections';
const CELL = 'hour, site_id, dst_port, protocol, action';
export const ROLLUP = [
  `WITH fresh AS (
     INSERT INTO flows.hour_source (organization_id, hour, cell, src_addr)
     SELECT DISTINCT $1::int, hour, flows.cell(site_id, dst_port, protocol, action), src_addr FROM flow_stage
     ORDER BY 2, 3, 4
     ON CONFLICT DO NOTHING
     RETURNING hour, cell
   ), fresh_counts AS (
     SELECT hour, cell, count(*) AS n FROM fresh GROUP BY hour, cell
   ), sums AS (
     SELECT ${CELL}, flows.cell(site_id, dst_port, protocol, action) AS cell,
       sum(bytes)::bigint AS bytes, sum(packets)::bigint AS packets, count(*) AS connections
     FROM flow_stage GROUP BY ${CELL}
   )
   INSERT INTO flow_sums SELECT s.hour, s.site_id, s.dst_port, s.protocol, s.action, s.bytes, s.packets, s.connections, coalesce(f.n, 0)
   FROM sums s LEFT JOIN fresh_counts f ON f.hour = s.hour AND f.cell = s.cell`,
  `INSERT INTO flows.hourly AS t (organization_id, ${CELL}, bytes, packets, connections, distinct_sources)
   SELECT $1, ${CELL}, bytes, packets, connections, sources FROM flow_sums ORDER BY ${CELL}
   ON CONFLICT (organization_id, ${CELL}) DO UPDATE SET ${ADD}, distinct_sources = t.distinct_sources + excluded.distinct_sources`,
  `INSERT INTO flows.daily AS t (organization_id, day, site_id, dst_port, protocol, action, bytes, packets, connections)
   SELECT $1, date_trunc('day', hour, 'UTC'), site_id, dst_port, protocol, action, sum(bytes), sum(packets), sum(connections)
   FROM flow_sums GROUP BY 2, 3, 4, 5, 6 ORDER BY 2, 3, 4, 5, 6
   ON CONFLICT (organization_id, day, site_id, dst_port, protocol, action) DO UPDATE SET ${ADD}`,
  `INSERT INTO flows.hourly_total AS t (organization_id, hour, protocol, action, bytes, packets, connections)
   SELECT $1, hour, protocol, action, sum(bytes), sum(packets), sum(connections)
   FROM flow_sums GROUP BY 2, 3, 4 ORDER BY 2, 3, 4
   ON CONFLICT (organization_id, hour, protocol, action) DO UPDATE SET ${ADD}`,
  ...(
    [
      ['hourly_port', 'hour', 'dst_port, protocol, action'],
      ['daily_port', 'day', 'dst_port, protocol, action'],
      ['hourly_site', 'hour', 'site_id'],
      ['daily_site', 'day', 'site_id'],
    ] as const
  ).map(([table, time, keys]) => {
    const timeKey = time === 'day' ? "date_trunc('day', hour, 'UTC')" : 'hour';
    // GROUP BY / ORDER BY the output columns after the organisation ($1): the time, then the keys.
    const cols = Array.from({ length: keys.split(',').length + 1 }, (_, i) => i + 2).join(', ');
    return `INSERT INTO flows.${table} AS t (organization_id, ${time}, ${keys}, bytes, packets, connections)
     SELECT $1, ${timeKey}, ${keys}, sum(bytes), sum(packets), sum(connections)
     FROM flow_sums GROUP BY ${cols} ORDER BY ${cols}
     ON CONFLICT (organization_id, ${time}, ${keys}) DO UPDATE SET ${ADD}`;
  }),
];
