// Writes one chunk of flow records inside the caller's transaction, segment by segment
// (FLOW_SEGMENT_RECORDS records): a segment's rows are sorted by time and COPYed into the
// day-partitioned flows.record (binary COPY format, copy-binary.ts); alongside, each record's
// hourly cell, source and counters are encoded (off the V8 heap) and COPYed to a
// temporary staging table. At the end the staged rows are rolled up into the aggregate tables
// with one set-based statement per table, so the chunk is stored and counted in one commit.
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { MAX_ROW, MAX_STAGE_ROW, RecordEncoder, RECORD_COLUMNS, StageEncoder } from './copy-binary.js';
import type { FlowRow } from './flow-record.js';

export class FlowWriter {
  /** The segment's COPY while it runs (abort() ends it). */
  private copy: ReturnType<typeof copyFrom> | undefined;
  /** The segment's rows, encoded as they come (off the V8 heap), then sent in time order. */
  private readonly segment: RecordEncoder;
  private readonly starts: Float64Array;
  private readonly offsets: Uint32Array;
  private inSegment = 0;
  /** The segment's staging rows (hourly cell, source, counters of each record). */
  private readonly stage: StageEncoder;
  count = 0;

  private constructor(
    private readonly client: pg.PoolClient,
    private readonly organizationId: number,
    /**
     * Records per segment (FLOW_SEGMENT_RECORDS): every this many records the segment's rows
     * are COPYed (each segment a COPY of its own, in the same transaction) and its staging lines
     * sent, so what is buffered stays small however large the chunk is (a 100 MB body is
     * ~400,000 records).
     */
    private readonly segmentRecords: number,
  ) {
    this.segment = new RecordEncoder(segmentRecords * MAX_ROW);
    this.stage = new StageEncoder(segmentRecords * MAX_STAGE_ROW + 32);
    this.stage.header();
    this.starts = new Float64Array(segmentRecords);
    this.offsets = new Uint32Array(segmentRecords + 1);
  }

  static async open(client: pg.PoolClient, organizationId: number, segmentRecords: number): Promise<FlowWriter> {
    const w = new FlowWriter(client, organizationId, segmentRecords);
    await client.query(STAGING);
    return w;
  }

  /**
   * Adds a record (every field already checked). Returns a promise, to be awaited before the
   * next write, only when a segment ends (no promise per record).
   */
  write(row: FlowRow, siteId: number | undefined, assetId: number | undefined): Promise<void> | undefined {
    this.starts[this.inSegment] = row.start;
    this.segment.add(this.organizationId, siteId, assetId, row);
    this.offsets[++this.inSegment] = this.segment.length;
    this.stage.add(siteId, row);
    this.count++;
    if (this.inSegment >= this.segmentRecords) return this.endSegment();
    return undefined;
  }

  /** Stores the last segment and adds the chunk's sums to the aggregate tables. */
  async close(): Promise<void> {
    await this.endSegment();
    if (this.count) await this.finish();
  }

  private async endSegment(): Promise<void> {
    if (!this.inSegment) return;
    await this.copyRecords();
    this.segment.clear();
    this.inSegment = 0;
    await this.spill();
  }

  /**
   * One COPY of the segment's rows, in start-time order: the index on
   * (organization_id, time_start, id) then takes its entries page after page, which costs
   * PostgreSQL less than half of entries spread at random over the day.
   */
  private async copyRecords(): Promise<void> {
    const copy = this.client.query(copyFrom(`COPY flows.record (${RECORD_COLUMNS}) FROM STDIN (FORMAT binary)`));
    this.copy = copy;
    const finished = new Promise((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    finished.catch(() => undefined); // awaited below
    const out = new RecordEncoder();
    const send = async () => {
      if (!copy.write(out.take())) await Promise.race([once(copy, 'drain'), finished]);
    };
    out.header();
    const rows = this.segment.bytes();
    for (const i of timeOrder(this.starts.subarray(0, this.inSegment))) {
      out.append(rows, this.offsets[i], this.offsets[i + 1]);
      if (out.full) await send();
    }
    out.trailer();
    await send();
    copy.end();
    await finished;
    this.copy = undefined;
  }

  /** Abandons the COPY (the caller rolls the transaction back). */
  abort(error: Error): void {
    this.copy?.destroy(error);
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
    stream.end(this.stage.bytes()); // the buffer is reused only once the server has taken it all
    await done;
    this.stage.clear();
    this.stage.header();
  }

  /** Adds the chunk's sums to flows.hour_source, hourly, daily and hourly_total. */
  private async finish(): Promise<void> {
    for (const statement of ROLLUP) await this.client.query(statement, [this.organizationId]);
  }
}

/** Per-connection staging table: one row per record of the chunk (emptied at every commit; made once per connection). */
/**
 * The indexes of `starts` in ascending order (ties in arrival order). Each key packs the start,
 * relative to the earliest, above the index, so a plain numeric sort of a Float64Array does it
 * when the span allows (99 days at 2^20 records); otherwise a comparison sort.
 */
export function timeOrder(starts: Float64Array): Uint32Array {
  let min = Infinity;
  let max = -Infinity;
  for (const s of starts) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const order = new Uint32Array(starts.length);
  const slots = 2 ** Math.ceil(Math.log2(starts.length + 1));
  if ((max - min + 1) * slots <= Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(starts.length);
    for (let i = 0; i < starts.length; i++) keys[i] = (starts[i] - min) * slots + i;
    keys.sort();
    for (let i = 0; i < keys.length; i++) order[i] = keys[i] % slots;
    return order;
  }
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => starts[a] - starts[b] || a - b);
}

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
