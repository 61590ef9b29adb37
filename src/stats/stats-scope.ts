// Turns a caller and a StatsFilter into SQL over the aggregate tables. The organisation comes
// from orgScope() (the one scoping rule); narrower site filters (area, tag, site) read the
// per-site rows of the matching sites, otherwise the per-organisation rollups are read.
import type { Principal } from '../common/auth/principal.js';
import { isAdmin, orgScopeId } from '../common/auth/scope.js';
import type { FindingStatus, VulnLevel } from '../generated/prisma/enums.js';
import type { StatsFilter } from './inputs/stats-filter.input.js';

/** Positional parameters for raw SQL. */
export class Params {
  readonly values: unknown[] = [];
  add(v: unknown, cast: string): string {
    this.values.push(v);
    return `$${this.values.length}::${cast}`;
  }
}

export interface ResolvedFilter {
  /** The organisation to count, 0 for every organisation. */
  organizationId: number;
  areaCode?: string;
  tagId?: number;
  siteId?: number;
  levels?: VulnLevel[];
  statuses?: FindingStatus[];
  scanner?: string;
}

export function resolveFilter(principal: Principal, f: StatsFilter = {}, defaultStatuses?: FindingStatus[]): ResolvedFilter {
  const own = orgScopeId(principal);
  return {
    organizationId: own ?? (isAdmin(principal) && f.organizationId ? f.organizationId : 0),
    areaCode: f.areaCode,
    tagId: f.tagId,
    siteId: f.siteId,
    levels: f.levels?.length ? f.levels : undefined,
    statuses: f.statuses?.length ? f.statuses : defaultStatuses,
    scanner: f.scanner,
  };
}

/** Sites in an area: the area itself and, for a province, its cities. */
export function inArea(column: string, areaCode: string, p: Params): string {
  const a = p.add(areaCode, 'text');
  return `(${column} = ${a} OR ${column} IN (SELECT code FROM "Area" WHERE "parentCode" = ${a}))`;
}

/** Conditions on "Site" s for the filter's organisation, area, tag and site. */
export function siteConditions(f: ResolvedFilter, p: Params, alias = 's'): string[] {
  const c: string[] = [];
  if (f.organizationId) c.push(`${alias}."organizationId" = ${p.add(f.organizationId, 'int')}`);
  if (f.areaCode) c.push(inArea(`${alias}."areaCode"`, f.areaCode, p));
  if (f.tagId) c.push(`EXISTS (SELECT 1 FROM "SiteTag" st WHERE st."siteId" = ${alias}.id AND st."tagId" = ${p.add(f.tagId, 'int')})`);
  if (f.siteId) c.push(`${alias}.id = ${p.add(f.siteId, 'int')}`);
  return c;
}

/**
 * FROM and WHERE over an aggregate: its rollup when the filter names no site subset the rollup
 * cannot express (rollups have the area only for counts), else the per-site rows of those sites.
 */
export function aggregateSource(
  agg: { site: string; roll: string; hasArea: boolean },
  f: ResolvedFilter,
  p: Params,
  opts: { status?: boolean } = { status: true },
): { from: string; where: string } {
  const rows: string[] = [];
  let from: string;
  if (f.tagId || f.siteId || (f.areaCode && !agg.hasArea)) {
    from = `"${agg.site}" c`;
    rows.push(`c."siteId" IN (SELECT s.id FROM "Site" s WHERE ${siteConditions(f, p).join(' AND ') || 'TRUE'})`);
  } else {
    from = `"${agg.roll}" c`;
    rows.push(`c."organizationId" = ${p.add(f.organizationId, 'int')}`);
    if (f.areaCode) rows.push(inArea('c."areaCode"', f.areaCode, p));
  }
  if (f.levels) rows.push(`c.level = ANY(${p.add(f.levels, '"VulnLevel"[]')})`);
  if (opts.status !== false && f.statuses) rows.push(`c.status = ANY(${p.add(f.statuses, '"FindingStatus"[]')})`);
  if (f.scanner) rows.push(`c.scanner = ${p.add(f.scanner, 'text')}`);
  return { from, where: rows.join(' AND ') };
}

export const COUNT_TABLES = { site: 'StatSiteCount', roll: 'StatRollCount', hasArea: true };
export const ENTRY_TABLES = { site: 'StatSiteEntry', roll: 'StatRollEntry', hasArea: false };
export const DAY_TABLES = { site: 'StatSiteDay', roll: 'StatRollDay', hasArea: false };
