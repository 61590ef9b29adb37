// Writes one chunk of flow records inside the caller's transaction: rows are COPYed straight
// into the day-partitioned flows.record while their hourly cells (and the distinct sources of
// each cell) are summed in memory; at the end the sums are upserted into the aggregate tables
// with one set-based statement per table, so the chunk is stored and counted in one commit.
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { FlowRow } from './flow-record.js';

const FLUSH_CHARS = 512 * 1024;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** One hourly aggregate cell of the chunk (organisation implied). */
interface Cell {
  hour: number;
  site: number | null;
  port: number;
  protocol: number;
  action: string;
  bytes: Total;
  packets: Total;
  connections: number;
}

/** A sum of counters: a number while it is exact, a bigint past 2^53. */
type Total = number | bigint;
const plus = (a: Total, b: Total): Total => {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  return BigInt(a) + BigInt(b);
};

/** A coarser rollup (flows.daily, flows.hourly_total): its key columns, then the three sums. */
interface Sum {
  key: (number | string | null)[];
  bytes: Total;
  packets: Total;
  connections: number;
}

/** Timestamps as COPY text, memoised per second (records of a chunk cluster in time). */
class TimeText {
  private second = NaN;
  private prefix = '';
  text(ms: number): string {
    const s = Math.floor(ms / 1000);
    if (s !== this.second) {
      this.second = s;
      this.prefix = new Date(s * 1000).toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS
    }
    const frac = ms - s * 1000;
    return `${this.prefix}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
  }
}

export class FlowWriter {
  private copy!: ReturnType<typeof copyFrom>;
  private finished!: Promise<unknown>;
  private pending = '';
  private readonly cells = new Map<string, Cell>();
  /** `cell index` + NUL + source address, for each (cell, source) of the chunk. */
  private readonly sources = new Set<string>();
  private readonly times = new TimeText();
  private readonly prefix: string;
  count = 0;

  private constructor(
    private readonly client: pg.PoolClient,
    private readonly organizationId: number,
  ) {
    this.prefix = `${organizationId}\t`;
  }

  static async open(client: pg.PoolClient, organizationId: number): Promise<FlowWriter> {
    const w = new FlowWriter(client, organizationId);
    w.copy = client.query(
      copyFrom(`COPY flows.record (organization_id, site_id, asset_id, time_start, time_end, src_addr, src_port, dst_addr, dst_port,
                protocol, bytes, packets, action) FROM STDIN`),
    );
    w.finished = new Promise((resolve, reject) => {
      w.copy.on('finish', resolve);
      w.copy.on('error', reject);
    });
    w.finished.catch(() => undefined); // observed in close()
    return w;
  }

  /** Adds a record (every field already checked, so the text format needs no escaping). */
  async write(r: FlowRow, siteId: number | undefined, assetId: number | undefined): Promise<void> {
    const site = siteId ?? null;
    this.pending += `${this.prefix}${site ?? '\\N'}\t${assetId ?? '\\N'}\t${this.times.text(r.start)}\t${this.times.text(r.end)}\t${r.srcAddr}\t${r.srcPort}\t${r.dstAddr}\t${r.dstPort}\t${r.protocol}\t${r.bytes}\t${r.packets}\t${r.action}\n`;
    this.count++;
    const hour = r.start - (r.start % HOUR_MS);
    const key = `${hour}|${site}|${r.dstPort}|${r.protocol}|${r.action}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { hour, site, port: r.dstPort, protocol: r.protocol, action: r.action, bytes: 0, packets: 0, connections: 0 };
      this.cells.set(key, cell);
    }
    cell.bytes = plus(cell.bytes, r.bytes);
    cell.packets = plus(cell.packets, r.packets);
    cell.connections++;
    this.sources.add(`${key}\0${r.srcAddr}`);
    if (this.pending.length >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.pending;
    this.pending = '';
    if (chunk && !this.copy.write(chunk)) await Promise.race([once(this.copy, 'drain'), this.finished]);
  }

  /** Ends the COPY (the rows are stored) and adds the chunk's sums to the aggregate tables. */
  async close(): Promise<void> {
    await this.flush();
    this.copy.end();
    await this.finished;
    if (!this.count) return;
    await this.rollup();
  }

  /** Abandons the COPY (the caller rolls the transaction back). */
  abort(error: Error): void {
    this.copy.destroy(error);
  }

  private async rollup(): Promise<void> {
    // Cells in key order: concurrent chunks then lock shared rows in the same order (no deadlock).
    const cells = [...this.cells.entries()].sort(([, a], [, b]) => compareCells(a, b));
    const index = new Map<string, number>();
    const col = { n: [] as number[], hour: [] as string[], site: [] as (number | null)[], port: [] as number[], protocol: [] as number[], action: [] as string[], bytes: [] as string[], packets: [] as string[], connections: [] as number[] };
    cells.forEach(([key, c], n) => {
      index.set(key, n);
      col.n.push(n);
      col.hour.push(new Date(c.hour).toISOString());
      col.site.push(c.site);
      col.port.push(c.port);
      col.protocol.push(c.protocol);
      col.action.push(c.action);
      col.bytes.push(String(c.bytes));
      col.packets.push(String(c.packets));
      col.connections.push(c.connections);
    });
    const pairCell: number[] = [];
    const pairSource: string[] = [];
    for (const pair of this.sources) {
      const cut = pair.indexOf('\0');
      pairCell.push(index.get(pair.slice(0, cut))!);
      pairSource.push(pair.slice(cut + 1));
    }
    await this.client.query(HOURLY, [
      this.organizationId, col.n, col.hour, col.site, col.port, col.protocol, col.action, col.bytes, col.packets, col.connections, pairCell, pairSource,
    ]);
    const days = new Map<string, Sum>();
    const totals = new Map<string, Sum>();
    for (const [, c] of cells) {
      const day = c.hour - (c.hour % DAY_MS);
      add(days, `${day}|${c.site}|${c.port}|${c.protocol}|${c.action}`, [new Date(day).toISOString(), c.site, c.port, c.protocol, c.action], c);
      add(totals, `${c.hour}|${c.protocol}|${c.action}`, [new Date(c.hour).toISOString(), c.protocol, c.action], c);
    }
    await this.client.query(DAILY, [this.organizationId, ...columns(days, 5)]);
    await this.client.query(HOURLY_TOTAL, [this.organizationId, ...columns(totals, 3)]);
  }
}

function compareCells(a: Cell, b: Cell): number {
  return a.hour - b.hour || (a.site ?? -1) - (b.site ?? -1) || a.port - b.port || a.protocol - b.protocol || (a.action < b.action ? -1 : a.action > b.action ? 1 : 0);
}

function add(into: Map<string, Sum>, key: string, columns: (number | string | null)[], c: Cell): void {
  const s = into.get(key);
  if (s) {
    s.bytes = plus(s.bytes, c.bytes);
    s.packets = plus(s.packets, c.packets);
    s.connections += c.connections;
  } else into.set(key, { key: columns, bytes: c.bytes, packets: c.packets, connections: c.connections });
}

/** The sums as column arrays (key columns, then bytes, packets, connections), in insertion (= key) order. */
function columns(sums: Map<string, Sum>, keys: number): unknown[][] {
  const out: unknown[][] = Array.from({ length: keys + 3 }, () => []);
  for (const s of sums.values()) {
    for (let i = 0; i < keys; i++) out[i].push(s.key[i]);
    out[keys].push(String(s.bytes));
    out[keys + 1].push(String(s.packets));
    out[keys + 2].push(String(s.connections));
  }
  return out;
}

// A source counts towards distinct_sources of its hourly cell only in the chunk whose insert into
// flows.hour_source creates its row, so the counts stay exact across chunks and concurrent
// transactions (a concurrent insert of the same row waits for the first and then does nothing).
// Every upsert runs in key order, which keeps concurrent chunks from deadlocking.
const ADD = 'bytes = t.bytes + excluded.bytes, packets = t.packets + excluded.packets, connections = t.connections + excluded.connections';
const HOURLY = `
  WITH cell AS (
    SELECT * FROM unnest($2::int[], $3::timestamptz[], $4::int[], $5::int[], $6::smallint[], $7::flows.action[], $8::bigint[], $9::bigint[], $10::bigint[])
      AS c(n, hour, site_id, dst_port, protocol, action, bytes, packets, connections)
  ), fresh AS (
    INSERT INTO flows.hour_source (organization_id, hour, site_id, dst_port, protocol, action, src_addr)
    SELECT $1, c.hour, c.site_id, c.dst_port, c.protocol, c.action, p.src
    FROM unnest($11::int[], $12::inet[]) AS p(n, src) JOIN cell c ON c.n = p.n
    ORDER BY 2, 3, 4, 5, 6, 7
    ON CONFLICT DO NOTHING
    RETURNING hour, site_id, dst_port, protocol, action
  ), fresh_counts AS (
    SELECT hour, site_id, dst_port, protocol, action, count(*) AS n FROM fresh GROUP BY 1, 2, 3, 4, 5
  )
  INSERT INTO flows.hourly AS t (organization_id, hour, site_id, dst_port, protocol, action, bytes, packets, connections, distinct_sources)
  SELECT $1, c.hour, c.site_id, c.dst_port, c.protocol, c.action, c.bytes, c.packets, c.connections, coalesce(f.n, 0)
  FROM cell c
  -- coalesce, not IS NOT DISTINCT FROM: that cannot be hashed, and a nested loop here is quadratic in the chunk size
  LEFT JOIN fresh_counts f ON f.hour = c.hour AND coalesce(f.site_id, 0) = coalesce(c.site_id, 0) AND f.dst_port = c.dst_port
    AND f.protocol = c.protocol AND f.action = c.action
  ORDER BY c.n
  ON CONFLICT (organization_id, hour, site_id, dst_port, protocol, action) DO UPDATE SET ${ADD}, distinct_sources = t.distinct_sources + excluded.distinct_sources`;
const DAILY = `
  INSERT INTO flows.daily AS t (organization_id, day, site_id, dst_port, protocol, action, bytes, packets, connections)
  SELECT $1, * FROM unnest($2::timestamptz[], $3::int[], $4::int[], $5::smallint[], $6::flows.action[], $7::bigint[], $8::bigint[], $9::bigint[])
    AS d(day, site_id, dst_port, protocol, action) ORDER BY day, site_id, dst_port, protocol, action
  ON CONFLICT (organization_id, day, site_id, dst_port, protocol, action) DO UPDATE SET ${ADD}`;
const HOURLY_TOTAL = `
  INSERT INTO flows.hourly_total AS t (organization_id, hour, protocol, action, bytes, packets, connections)
  SELECT $1, * FROM unnest($2::timestamptz[], $3::smallint[], $4::flows.action[], $5::bigint[], $6::bigint[], $7::bigint[])
    AS h(hour, protocol, action) ORDER BY hour, protocol, action
  ON CONFLICT (organization_id, hour, protocol, action) DO UPDATE SET ${ADD}`;
