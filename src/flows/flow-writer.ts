// Writes one chunk of flow records inside the caller's transaction: rows are COPYed into a
// temporary table, then moved into the day-partitioned flows.record and rolled up into the
// hourly aggregates with set-based SQL, so the chunk is stored and counted in one commit.
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { FlowRow } from './flow-record.js';

const FLUSH_CHARS = 256 * 1024;

export class FlowWriter {
  private copy!: ReturnType<typeof copyFrom>;
  private finished!: Promise<unknown>;
  private pending = '';
  count = 0;

  private constructor(private readonly client: pg.PoolClient) {}

  static async open(client: pg.PoolClient): Promise<FlowWriter> {
    const w = new FlowWriter(client);
    await client.query(`CREATE TEMP TABLE flow_in (
      site_id int, start_ms bigint NOT NULL, end_ms bigint NOT NULL, src_addr inet NOT NULL, src_port int NOT NULL,
      dst_addr inet NOT NULL, dst_port int NOT NULL, protocol smallint NOT NULL, bytes bigint NOT NULL,
      packets bigint NOT NULL, action flows.action NOT NULL) ON COMMIT DROP`);
    w.copy = client.query(copyFrom('COPY flow_in FROM STDIN'));
    w.finished = new Promise((resolve, reject) => {
      w.copy.on('finish', resolve);
      w.copy.on('error', reject);
    });
    w.finished.catch(() => undefined); // observed in close()
    return w;
  }

  /** Adds a record (every field already checked, so the text format needs no escaping). */
  async write(r: FlowRow, siteId: number | undefined): Promise<void> {
    this.pending += `${siteId ?? '\\N'}\t${r.start}\t${r.end}\t${r.srcAddr}\t${r.srcPort}\t${r.dstAddr}\t${r.dstPort}\t${r.protocol}\t${r.bytes}\t${r.packets}\t${r.action}\n`;
    this.count++;
    if (this.pending.length >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.pending;
    this.pending = '';
    if (chunk && !this.copy.write(chunk)) await Promise.race([once(this.copy, 'drain'), this.finished]);
  }

  /** Ends the COPY, stores the rows and updates the hourly aggregates. */
  async close(organizationId: number): Promise<void> {
    await this.flush();
    this.copy.end();
    await this.finished;
    if (!this.count) return;
    await this.client.query(
      `INSERT INTO flows.record (organization_id, site_id, time_start, time_end, src_addr, src_port, dst_addr, dst_port, protocol, bytes, packets, action)
       SELECT $1, site_id, to_timestamp(start_ms / 1000.0), to_timestamp(end_ms / 1000.0), src_addr, src_port, dst_addr, dst_port, protocol, bytes, packets, action
       FROM flow_in`,
      [organizationId],
    );
    for (const statement of ROLLUP) await this.client.query(statement, [organizationId]);
  }

  /** Abandons the COPY (the caller rolls the transaction back). */
  abort(error: Error): void {
    this.copy.destroy(error);
  }
}

// A source counts towards distinct_sources of its hourly cell only in the batch whose insert into
// flows.hour_source creates its row, so the counts stay exact across batches and concurrent
// transactions (a concurrent insert of the same row waits for the first and then does nothing).
// Every upsert runs in key order, which keeps concurrent batches from deadlocking.
const HOUR = 'to_timestamp((start_ms / 3600000) * 3600)';
const CELL = 'hour, site_id, dst_port, protocol, action';
const ADD = (t: string) =>
  `bytes = ${t}.bytes + excluded.bytes, packets = ${t}.packets + excluded.packets, connections = ${t}.connections + excluded.connections`;
const ROLLUP = [
  `CREATE TEMP TABLE flow_sums ON COMMIT DROP AS
   WITH fresh AS (
     INSERT INTO flows.hour_source (organization_id, ${CELL}, src_addr)
     SELECT DISTINCT $1::int, ${HOUR} AS hour, site_id, dst_port, protocol, action, src_addr FROM flow_in
     ORDER BY 2, 3, 4, 5, 6, 7
     ON CONFLICT DO NOTHING
     RETURNING ${CELL}
   ), fresh_counts AS (
     SELECT ${CELL}, count(*) AS n FROM fresh GROUP BY ${CELL}
   ), sums AS (
     SELECT ${HOUR} AS hour, site_id, dst_port, protocol, action,
            sum(bytes)::bigint AS bytes, sum(packets)::bigint AS packets, count(*) AS connections
     FROM flow_in GROUP BY 1, 2, 3, 4, 5
   )
   SELECT s.*, coalesce(f.n, 0) AS sources FROM sums s
   -- coalesce, not IS NOT DISTINCT FROM: that cannot be hashed, and a nested loop here is quadratic in the chunk size
   LEFT JOIN fresh_counts f ON f.hour = s.hour AND coalesce(f.site_id, 0) = coalesce(s.site_id, 0) AND f.dst_port = s.dst_port
     AND f.protocol = s.protocol AND f.action = s.action`,
  `INSERT INTO flows.hourly AS t (organization_id, ${CELL}, bytes, packets, connections, distinct_sources)
   SELECT $1, ${CELL}, bytes, packets, connections, sources FROM flow_sums ORDER BY ${CELL}
   ON CONFLICT (organization_id, ${CELL}) DO UPDATE SET ${ADD('t')}, distinct_sources = t.distinct_sources + excluded.distinct_sources`,
  `INSERT INTO flows.daily AS t (organization_id, day, site_id, dst_port, protocol, action, bytes, packets, connections)
   SELECT $1, date_trunc('day', hour, 'UTC'), site_id, dst_port, protocol, action, sum(bytes), sum(packets), sum(connections)
   FROM flow_sums GROUP BY 2, 3, 4, 5, 6 ORDER BY 2, 3, 4, 5, 6
   ON CONFLICT (organization_id, day, site_id, dst_port, protocol, action) DO UPDATE SET ${ADD('t')}`,
  `INSERT INTO flows.hourly_total AS t (organization_id, hour, protocol, action, bytes, packets, connections)
   SELECT $1, hour, protocol, action, sum(bytes), sum(packets), sum(connections)
   FROM flow_sums GROUP BY 2, 3, 4 ORDER BY 2, 3, 4
   ON CONFLICT (organization_id, hour, protocol, action) DO UPDATE SET ${ADD('t')}`,
];
