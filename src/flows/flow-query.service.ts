import { Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import type { Principal } from '../common/auth/principal.js';
import { assertOrgAccess, orgScopeId } from '../common/auth/scope.js';
import { badInput, notFound } from '../common/errors/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { decodeCursor, encodeCursor } from '../graphql/pagination.js';
import { findBatch, type BatchRow } from './flow-batches.js';
import { HOUR_MS } from './flows.constants.js';
import { SqlPool } from '../db/sql-pool.js';
import type { DeniedFlowsArgs, FlowAggregatesArgs, FlowFilterArgs, FlowPageArgs, FlowsArgs } from './inputs/flow-query.args.js';
import { FlowDimension, type FlowAggregate } from './models/flow-aggregate.model.js';
import type { FlowHourly, FlowHourlyConnection } from './models/flow-hourly.model.js';
import { FlowAction, type DeniedFlow, type DeniedFlowConnection, type Flow, type FlowConnection } from './models/flow.model.js';

const DAY_MS = 86_400_000;

/** Group key of each dimension in flows.hourly and in flows.daily (SOURCE reads raw records instead). */
const KEYS: Record<Exclude<FlowDimension, FlowDimension.SOURCE>, { hourly: string; daily: string }> = {
  HOUR: { hourly: 'hour', daily: 'day' }, // (HOUR never reads flows.daily)
  DAY: { hourly: "date_trunc('day', hour, 'UTC')", daily: 'day' },
  SITE: { hourly: 'site_id', daily: 'site_id' },
  PORT: { hourly: 'dst_port', daily: 'dst_port' },
  PROTOCOL: { hourly: 'protocol', daily: 'protocol' },
  ACTION: { hourly: 'action', daily: 'action' },
};

/** Dimensions flows.hourly_total (organisation, hour, protocol, action) can group by. */
const TOTAL_DIMENSIONS: FlowDimension[] = [FlowDimension.HOUR, FlowDimension.DAY, FlowDimension.PROTOCOL, FlowDimension.ACTION];

/** A WHERE clause under construction, its parameters numbered as they are added. */
class Where {
  readonly parts: string[] = [];
  /** `params` may be shared with other clauses of the same statement. */
  constructor(readonly params: unknown[] = []) {}
  add(sql: (...p: string[]) => string, ...values: unknown[]): this {
    const names = values.map((v) => `$${this.params.push(v)}`);
    this.parts.push(sql(...names));
    return this;
  }
  toString(): string {
    return this.parts.join(' AND ');
  }
}

/** Reads flow records, batches and aggregates, always within the caller's organisation (orgScope). */
@Injectable()
export class FlowQueryService {
  constructor(
    private readonly db: SqlPool,
    private readonly config: AppConfig,
  ) {}

  async batch(p: Principal, id: string): Promise<BatchRow> {
    const row = await findBatch(this.db.pool, 'id', id);
    if (!row) throw notFound('Flow batch', id);
    assertOrgAccess(p, row.organizationId, 'Flow batch', id);
    return row;
  }

  async flows(p: Principal, args: FlowsArgs): Promise<FlowConnection> {
    await this.assertIdsVisible(p, args);
    const w = this.filters(p, args, 'time_start');
    if (args.address) w.add((x) => `(src_addr <<= ${x} OR dst_addr <<= ${x})`, cidr(args.address));
    if (args.assetId !== undefined) w.add((x) => `asset_id = ${x}`, args.assetId);
    afterCursor(w, args.after, '');
    const r = await this.db.pool.query<Flow>(
      `SELECT ${FLOW_COLUMNS('', 'asset_id')} FROM flows.record WHERE ${w} ORDER BY time_start, id LIMIT ${args.first + 1}`,
      w.params,
    );
    return page(r.rows, args.first, flowSortValues);
  }

  /**
   * Denied connections to monitored ports: records with action DENY whose destination port and
   * protocol (6 TCP, 17 UDP) are those of a monitored-port rule of the record's organisation or a
   * global default, the rule's site and tag limits met by the record's site (Flow.siteId) or a
   * site the destination asset serves. The most severe matching rule is reported (the
   * organisation's own on a tie), as exposures do. Rules and ports are matched when read, so
   * rules added or removed after the records arrived count as they are now. Oldest first; walks
   * the partial index of denied records in time order.
   */
  async deniedFlows(p: Principal, args: DeniedFlowsArgs): Promise<DeniedFlowConnection> {
    if (args.from >= args.to) throw badInput('from must be before to', { field: 'from' });
    await this.assertIdsVisible(p, args);
    const w = new Where().add((x) => `r.time_start >= ${x}`, args.from).add((x) => `r.time_start < ${x}`, args.to);
    w.parts.push(`r.action = 'DENY'`);
    const org = orgScopeId(p);
    if (org !== null) w.add((x) => `r.organization_id = ${x}`, org);
    if (args.assetId !== undefined) w.add((x) => `a.id = ${x}`, args.assetId);
    if (args.siteId !== undefined) w.add((x) => `r.site_id = ${x}`, args.siteId);
    if (args.port !== undefined) w.add((x) => `r.dst_port = ${x}`, args.port);
    afterCursor(w, args.after, 'r.');
    const r = await this.db.pool.query<DeniedFlow>(
      `SELECT ${FLOW_COLUMNS('r.', 'r.asset_id')}, m.id AS "monitoredPortId", m."riskLevel", sp.id AS "servicePortId", sp.service
       FROM flows.record r
       LEFT JOIN "Asset" a ON a."organizationId" = r.organization_id AND a.ip = r.dst_addr
       CROSS JOIN LATERAL (${MONITORED_RULE}) m
       LEFT JOIN "ServicePort" sp ON sp."assetId" = a.id AND sp.port = r.dst_port AND sp.protocol = m.protocol AND sp.state = 'OPEN'
       WHERE ${w} ORDER BY r.time_start, r.id LIMIT ${args.first + 1}`,
      w.params,
    );
    return page(r.rows, args.first, flowSortValues);
  }

  /**
   * The hourly rows (flowStatis) of whole hours [from, to) with the filters, in time order (then
   * organisation, site with no site last, port, protocol, action: the order of flows.hourly's key,
   * so a page is a walk of that index), kept FLOW_STATS_RETENTION_DAYS.
   */
  async hourly(p: Principal, args: FlowPageArgs): Promise<FlowHourlyConnection> {
    assertWholeHours(args);
    await this.assertIdsVisible(p, args);
    const w = this.filters(p, args, 'hour');
    if (args.after) afterHourlyCursor(w, args.after);
    const r = await this.db.pool.query<FlowHourly & { org: number }>(
      `SELECT hour, organization_id AS org, site_id AS "siteId", dst_port AS "dstPort", protocol, action, bytes::float8 AS bytes,
              packets::float8 AS packets, connections::float8 AS connections, distinct_sources::int AS "distinctSources"
       FROM flows.hourly WHERE ${w} ORDER BY hour, organization_id, site_id NULLS LAST, dst_port, protocol, action LIMIT ${args.first + 1}`,
      w.params,
    );
    return page(r.rows, args.first, (n) => [n.hour.toISOString(), n.org, n.siteId, n.dstPort, n.protocol, n.action]);
  }

  /**
   * Totals per group over whole hours [from, to), from the aggregate tables (SOURCE: from the raw
   * records). distinctSources is counted from the per-hour source sets, when asked for and kept.
   */
  async aggregates(p: Principal, args: FlowAggregatesArgs, withSources: boolean): Promise<FlowAggregate[]> {
    assertWholeHours(args);
    await this.assertIdsVisible(p, args);
    if (args.groupBy === FlowDimension.SOURCE) return this.topSources(p, args);
    const key = KEYS[args.groupBy];
    const byTime = args.groupBy === FlowDimension.HOUR || args.groupBy === FlowDimension.DAY;
    const totals = this.totals(p, args);
    const r = await this.db.pool.query<FlowAggregate>(
      `SELECT key, sum(bytes)::float8 AS bytes, sum(packets)::float8 AS packets, sum(connections)::float8 AS connections
       FROM (${totals.sql}) AS totals GROUP BY 1 ORDER BY ${byTime ? '1' : '2 DESC, 1'} LIMIT ${args.limit}`,
      totals.params,
    );
    const sources = withSources && args.from.getTime() >= this.rawKeptSince() ? await this.distinctSources(p, args, key.hourly, r.rows) : null;
    return r.rows.map((row) => ({ ...row, key: keyText(row.key), distinctSources: sources ? (sources.get(keyText(row.key)) ?? 0) : null }));
  }

  /**
   * (key, bytes, packets, connections) rows covering [from, to) from the smallest tables that
   * answer exactly: flows.hourly_total for HOUR, DAY, PROTOCOL and ACTION without site or port; otherwise a daily
   * table for the whole UTC days and its hourly one for the hours of partial days at either end
   * (flows.daily/hourly, or the per-port or per-site ones when the filters allow).
   */
  private totals(p: Principal, args: FlowAggregatesArgs): { sql: string; params: unknown[] } {
    const key = KEYS[args.groupBy as Exclude<FlowDimension, FlowDimension.SOURCE>];
    const hours = this.filters(p, args, 'hour');
    // Without a site or port filter, time, protocol and action groups read the per-hour totals
    // (a few rows an hour, whatever the number of sites and ports).
    const overall = args.siteId === undefined && args.port === undefined;
    if (overall && TOTAL_DIMENSIONS.includes(args.groupBy)) {
      return { sql: `SELECT ${key.hourly} AS key, bytes, packets, connections FROM flows.hourly_total WHERE ${hours}`, params: hours.params };
    }
    if (args.groupBy === FlowDimension.HOUR) {
      return { sql: `SELECT hour AS key, bytes, packets, connections FROM flows.hourly WHERE ${hours}`, params: hours.params };
    }
    // Narrower rollups when the filters allow: by port without a site filter, by site without a
    // port, protocol or action filter (each a fraction of the rows of flows.hourly / daily).
    let [hourlyTable, dailyTable] = ['flows.hourly', 'flows.daily'];
    if (args.groupBy === FlowDimension.PORT && args.siteId === undefined) [hourlyTable, dailyTable] = ['flows.hourly_port', 'flows.daily_port'];
    if (args.groupBy === FlowDimension.SITE && args.port === undefined && args.protocol === undefined && args.action === undefined) {
      [hourlyTable, dailyTable] = ['flows.hourly_site', 'flows.daily_site'];
    }
    const firstDay = new Date(Math.ceil(args.from.getTime() / DAY_MS) * DAY_MS);
    const endDay = new Date(Math.floor(args.to.getTime() / DAY_MS) * DAY_MS);
    const hourly = `SELECT ${key.hourly} AS key, bytes, packets, connections FROM ${hourlyTable} WHERE ${hours}`;
    if (firstDay >= endDay) return { sql: hourly, params: hours.params };
    hours.add((a, b) => `NOT (hour >= ${a} AND hour < ${b})`, firstDay, endDay);
    const days = this.filters(p, { ...args, from: firstDay, to: endDay }, 'day', hours.params);
    return {
      sql: `SELECT ${key.daily} AS key, bytes, packets, connections FROM ${dailyTable} WHERE ${days}
            UNION ALL SELECT ${key.hourly}, bytes, packets, connections FROM ${hourlyTable} WHERE ${hours}`,
      params: hours.params,
    };
  }

  private async distinctSources(p: Principal, args: FlowAggregatesArgs, key: string, groups: FlowAggregate[]): Promise<Map<string, number>> {
    if (!groups.length) return new Map();
    // Rebuilds the hours' source sets that PostgreSQL lost (an unlogged table) before counting.
    const hours = new Where().add((x) => `hour >= ${x}`, args.from).add((x) => `hour < ${x}`, args.to);
    const org = orgScopeId(p);
    if (org !== null) hours.add((x) => `organization_id = ${x}`, org);
    await this.db.pool.query(
      `SELECT flows.restore_hour_sources(organization_id, array_agg(DISTINCT hour ORDER BY hour)) FROM flows.hourly_total WHERE ${hours} GROUP BY organization_id`,
      hours.params,
    );
    const w = this.filters(p, args, 'hour');
    const r = await this.db.pool.query<{ key: unknown; n: number }>(
      `SELECT ${key} AS key, count(DISTINCT src_addr)::int AS n FROM flows.hour_source_cells WHERE ${w} GROUP BY 1`,
      w.params,
    );
    return new Map(r.rows.map((row) => [keyText(row.key), row.n]));
  }

  private async topSources(p: Principal, args: FlowAggregatesArgs): Promise<FlowAggregate[]> {
    const w = this.filters(p, args, 'time_start');
    const r = await this.db.pool.query<FlowAggregate>(
      `SELECT host(src_addr) AS key, sum(bytes)::float8 AS bytes, sum(packets)::float8 AS packets, count(*)::float8 AS connections, 1 AS "distinctSources"
       FROM flows.record WHERE ${w} GROUP BY src_addr ORDER BY 2 DESC, 1 LIMIT ${args.limit}`,
      w.params,
    );
    return r.rows;
  }

  private filters(p: Principal, args: FlowFilterArgs, timeColumn: string, params?: unknown[]): Where {
    if (args.from >= args.to) throw badInput('from must be before to', { field: 'from' });
    const w = new Where(params).add((x) => `${timeColumn} >= ${x}`, args.from).add((x) => `${timeColumn} < ${x}`, args.to);
    const org = orgScopeId(p);
    if (org !== null) w.add((x) => `organization_id = ${x}`, org);
    if (args.siteId !== undefined) w.add((x) => `site_id = ${x}`, args.siteId);
    if (args.port !== undefined) w.add((x) => `dst_port = ${x}`, args.port);
    if (args.protocol !== undefined) w.add((x) => `protocol = ${x}`, args.protocol);
    if (args.action !== undefined) w.add((x) => `action = ${x}::flows.action`, args.action);
    return w;
  }

  /** NOT_FOUND for a site or asset filter naming one that is missing or another organisation's. */
  private async assertIdsVisible(p: Principal, args: { siteId?: number; assetId?: number }): Promise<void> {
    if (args.siteId !== undefined) await this.assertVisible(p, 'Site', args.siteId);
    if (args.assetId !== undefined) await this.assertVisible(p, 'Asset', args.assetId);
  }

  /** NOT_FOUND for an asset or site id that is missing or another organisation's (the same answer). */
  private async assertVisible(p: Principal, table: 'Asset' | 'Site', id: number): Promise<void> {
    const r = await this.db.pool.query<{ org: number }>(`SELECT "organizationId" AS org FROM "${table}" WHERE id = $1`, [id]);
    if (!r.rows.length) throw notFound(table, id);
    assertOrgAccess(p, r.rows[0].org, table, id);
  }

  /** Start of the oldest UTC day whose raw records (and hour source sets) are kept. */
  private rawKeptSince(): number {
    return Math.floor(Date.now() / DAY_MS) * DAY_MS - this.config.get('FLOW_RETENTION_DAYS') * DAY_MS;
  }
}

/**
 * The most severe monitored-port rule that applies to the denied record `r` (destination asset
 * `a`, if any): same port and protocol, a global default or the record's organisation's, and
 * its site and tag limits met by the record's site or a site the asset serves.
 */
const MONITORED_RULE = `
  SELECT m.id, m.protocol, m."riskLevel" FROM "MonitoredPort" m
  WHERE m.port = r.dst_port AND m.protocol = (CASE r.protocol WHEN 6 THEN 'TCP' WHEN 17 THEN 'UDP' END)::"PortProtocol"
    AND (m."organizationId" IS NULL OR m."organizationId" = r.organization_id)
    AND (cardinality(m."siteIds") = 0 OR r.site_id = ANY(m."siteIds")
         OR EXISTS (SELECT 1 FROM "AssetSite" x WHERE x."assetId" = a.id AND x."siteId" = ANY(m."siteIds")))
    AND (cardinality(m."tagIds") = 0
         OR EXISTS (SELECT 1 FROM "SiteTag" st WHERE st."tagId" = ANY(m."tagIds")
                    AND (st."siteId" = r.site_id OR st."siteId" IN (SELECT x."siteId" FROM "AssetSite" x WHERE x."assetId" = a.id))))
  ORDER BY m."riskLevel" DESC, m."organizationId" NULLS LAST
  LIMIT 1`;

/** Columns of a Flow from flows.record aliased `alias` (e.g. 'r.'), the asset id from `asset`. */
const FLOW_COLUMNS = (t: string, asset: string) =>
  `${t}id::text AS id, ${t}site_id AS "siteId", ${asset} AS "assetId", ${t}time_start AS start, ${t}time_end AS "end",
   host(${t}src_addr) AS "srcAddr", ${t}src_port AS "srcPort", host(${t}dst_addr) AS "dstAddr", ${t}dst_port AS "dstPort",
   ${t}protocol AS protocol, ${t}bytes::float8 AS bytes, ${t}packets::float8 AS packets, ${t}action AS action`;

/** Keyset paging on (time_start, id) of flows.record aliased `t`. */
function afterCursor(w: Where, after: string | null | undefined, t: string): void {
  if (!after) return;
  const [time, id] = decodeCursor(after, ['date', 'text'] as const);
  if (!/^\d{1,18}$/.test(id)) throw badInput('Invalid cursor', { field: 'after' });
  w.add((x, y) => `(${t}time_start, ${t}id) > (${x}::timestamptz, ${y}::bigint)`, time, id);
}

/**
 * Keyset paging on flows.hourly's order: (hour, organization_id, site_id NULLS LAST, dst_port,
 * protocol, action). Written out for the null site, which a row comparison cannot order.
 */
function afterHourlyCursor(w: Where, after: string): void {
  const [hour, org, site, port, protocol, action] = decodeCursor(after, ['date', 'id', 'int?', 'int', 'int', 'text'] as const);
  if (!(Object.values(FlowAction) as string[]).includes(action)) throw badInput('Invalid cursor', { field: 'after' });
  const sameCell = (x: string, y: string, z: string) => `(dst_port, protocol, action) > (${x}, ${y}, ${z}::flows.action)`;
  // Within the hour and organisation: after a row of no site, the later rows of no site; after a
  // row of a site, the later rows of that site, of later sites, and every row of no site.
  const inOrg = (s: string | null, x: string, y: string, z: string) =>
    s === null
      ? `site_id IS NULL AND ${sameCell(x, y, z)}`
      : `site_id IS NULL OR site_id > ${s} OR (site_id = ${s} AND ${sameCell(x, y, z)})`;
  // `hour >= h` on its own too: the index scan then starts at the cursor's hour instead of filtering every earlier row.
  const sql = (h: string, o: string, s: string | null, x: string, y: string, z: string) =>
    `hour >= ${h} AND (hour > ${h} OR (hour = ${h} AND (organization_id > ${o} OR (organization_id = ${o} AND (${inOrg(s, x, y, z)})))))`;
  if (site === null) w.add((h, o, x, y, z) => sql(h, o, null, x, y, z), hour, org, port, protocol, action);
  else w.add((h, o, s, x, y, z) => sql(h, o, s, x, y, z), hour, org, site, port, protocol, action);
}

function assertWholeHours(args: { from: Date; to: Date }): void {
  if (args.from.getTime() % HOUR_MS || args.to.getTime() % HOUR_MS) throw badInput('from and to must be whole hours (UTC)', { field: 'from' });
}

/** Sort values of a flow record in its cursor (afterCursor reads them back). */
const flowSortValues = (f: Flow) => [f.start.toISOString(), f.id];

/** A connection page of the first `first` rows (one more was read to tell whether another page follows). */
function page<T>(rows: T[], first: number, sortValues: (row: T) => unknown[]) {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(sortValues(node)) }));
  return { edges, nodes, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

function keyText(key: unknown): string {
  if (key instanceof Date) return key.toISOString();
  return key === null ? '' : String(key);
}

function cidr(text: string): string {
  try {
    const [address, bits] = text.includes('/') ? ipaddr.parseCIDR(text) : [ipaddr.parse(text), undefined];
    return bits === undefined ? address.toString() : `${address.toString()}/${bits}`;
  } catch {
    throw badInput('address must be an IP address or CIDR block', { field: 'address' });
  }
}
