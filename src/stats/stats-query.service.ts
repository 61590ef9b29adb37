import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { assertOrgAccess, isAdmin } from '../common/auth/scope.js';
import { RiskLevel, type AreaLevel, type FindingStatus, type VulnLevel } from '../generated/prisma/enums.js';
import { SqlPool } from '../db/sql-pool.js';
import type { StatsFilter } from './inputs/stats-filter.input.js';
import type {
  AreaVulnCount, KindCount, LevelCount, LevelStatusCount, NameCount, RelatedDomainStat, RiskDistributionCount, SiteRisk,
} from './models/stats.models.js';
import { COUNT_TABLES, ENTRY_TABLES, Params, aggregateSource, resolveFilter, siteConditions, type ResolvedFilter } from './stats-scope.js';

export const LEVELS: VulnLevel[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];
export const STATUSES: FindingStatus[] = ['OPEN', 'FIXED', 'IGNORED', 'FALSE_POSITIVE'];
const OPEN: FindingStatus[] = ['OPEN'];

/** Every level of `f` (all when unfiltered), with the counts of `rows` and zero elsewhere. */
export function byLevel(rows: { level: VulnLevel; n: number }[], levels: VulnLevel[] = LEVELS): LevelCount[] {
  const m = new Map<VulnLevel, number>();
  for (const r of rows) m.set(r.level, (m.get(r.level) ?? 0) + Number(r.n));
  return LEVELS.filter((l) => levels.includes(l)).map((level) => ({ level, count: m.get(level) ?? 0 }));
}

/** Finding statistics read from the aggregates (never from the findings themselves). */
@Injectable()
export class StatsQueryService {
  constructor(private readonly sql: SqlPool) {}

  /** The filter as the caller may use it: a non-administrator naming another organisation is refused. */
  resolve(principal: Principal, f: StatsFilter | undefined, defaultStatuses?: FindingStatus[]): ResolvedFilter {
    if (f?.organizationId && !isAdmin(principal)) assertOrgAccess(principal, f.organizationId, 'Organization', f.organizationId);
    return resolveFilter(principal, f, defaultStatuses);
  }

  async totals(principal: Principal, filter?: StatsFilter): Promise<LevelStatusCount[]> {
    const f = this.resolve(principal, filter);
    const p = new Params();
    const src = aggregateSource(COUNT_TABLES, f, p);
    const rows = await this.query<{ level: VulnLevel; status: FindingStatus; n: number }>(
      `SELECT c.level, c.status, sum(c.n)::int AS n FROM ${src.from} WHERE ${src.where} GROUP BY 1, 2`,
      p,
    );
    const m = new Map(rows.map((r) => [`${r.level}:${r.status}`, r.n]));
    return LEVELS.filter((l) => !f.levels || f.levels.includes(l)).flatMap((level) =>
      STATUSES.filter((s) => !f.statuses || f.statuses.includes(s)).map((status) => ({ level, status, count: m.get(`${level}:${status}`) ?? 0 })),
    );
  }

  async levels(principal: Principal, filter?: StatsFilter): Promise<LevelCount[]> {
    const f = this.resolve(principal, filter, OPEN);
    const p = new Params();
    const src = aggregateSource(COUNT_TABLES, f, p);
    const rows = await this.query<{ level: VulnLevel; n: number }>(`SELECT c.level, sum(c.n)::int AS n FROM ${src.from} WHERE ${src.where} GROUP BY 1`, p);
    return byLevel(rows, f.levels);
  }

  async areas(principal: Principal, filter: StatsFilter | undefined, level: AreaLevel, parentCode?: string): Promise<AreaVulnCount[]> {
    const f = this.resolve(principal, filter, OPEN);
    const p = new Params();
    const src = aggregateSource(COUNT_TABLES, f, p);
    const lv = p.add(level, 'text');
    const parent = parentCode ? ` AND (a."parentCode" = ${p.add(parentCode, 'text')} OR a.code = $${p.values.length}::text)` : '';
    const rows = await this.query<{ code: string | null; name: string | null; alevel: AreaLevel | null; level: VulnLevel; n: number }>(
      `SELECT g.code, an.name, an.level AS alevel, g.level, g.n FROM (
         SELECT CASE WHEN ${lv} = 'PROVINCE' THEN (CASE WHEN a.level = 'CITY' THEN a."parentCode" ELSE a.code END)
                     ELSE (CASE WHEN a.level = 'CITY' THEN a.code END) END AS code,
                c.level, sum(c.n)::int AS n
         FROM ${src.from} LEFT JOIN "Area" a ON a.code = c."areaCode"
         WHERE ${src.where}${parent}
         GROUP BY 1, 2
       ) g LEFT JOIN "Area" an ON an.code = g.code`,
      p,
    );
    const groups = new Map<string, { code: string | null; name: string | null; alevel: AreaLevel | null; rows: typeof rows }>();
    for (const r of rows) {
      const key = r.code ?? '';
      if (!groups.has(key)) groups.set(key, { code: r.code, name: r.name, alevel: r.alevel, rows: [] });
      groups.get(key)!.rows.push(r);
    }
    return [...groups.values()]
      .map((g) => {
        const levels = byLevel(g.rows, f.levels);
        return { areaCode: g.code, areaName: g.name, level: g.alevel, count: levels.reduce((s, l) => s + l.count, 0), byLevel: levels };
      })
      .filter((a) => a.count > 0)
      .sort((a, b) => b.count - a.count || (a.areaCode ?? '~').localeCompare(b.areaCode ?? '~'));
  }

  async kinds(principal: Principal, filter?: StatsFilter): Promise<KindCount[]> {
    const f = this.resolve(principal, filter, OPEN);
    const p = new Params();
    const src = aggregateSource(ENTRY_TABLES, f, p);
    return this.query<KindCount>(
      `SELECT e.kind, sum(g.n)::int AS count
       FROM (SELECT c."entryId", sum(c.n) AS n FROM ${src.from} WHERE ${src.where} GROUP BY 1) g JOIN "VulnEntry" e ON e.id = g."entryId"
       GROUP BY 1 HAVING sum(g.n) > 0 ORDER BY 2 DESC, 1 NULLS LAST`,
      p,
    );
  }

  async names(principal: Principal, filter: StatsFilter | undefined, first: number): Promise<NameCount[]> {
    const f = this.resolve(principal, filter, OPEN);
    const p = new Params();
    const src = aggregateSource(ENTRY_TABLES, f, p);
    return this.query<NameCount>(
      `SELECT e.id AS "entryId", e.name, e.kind, e.level, g.n AS count
       FROM (SELECT c."entryId", sum(c.n)::int AS n FROM ${src.from} WHERE ${src.where} GROUP BY 1 HAVING sum(c.n) > 0
             ORDER BY 2 DESC, 1 LIMIT ${p.add(first, 'int')}) g
       JOIN "VulnEntry" e ON e.id = g."entryId" ORDER BY g.n DESC, e.id`,
      p,
    );
  }

  /** Lowest scores first; sites without a score (no findings) are left out. Level, status and scanner filters do not apply. */
  async riskiestSites(principal: Principal, filter: StatsFilter | undefined, first: number): Promise<SiteRisk[]> {
    const f = this.resolve(principal, filter);
    const p = new Params();
    const where = [...siteConditions(f, p), 's."securityScore" IS NOT NULL'].join(' AND ');
    const rows = await this.query<Omit<SiteRisk, 'open'> & { open: { level: VulnLevel; n: number }[] | null }>(
      `SELECT t.*, (SELECT json_agg(json_build_object('level', c.level, 'n', c.n)) FROM "StatSiteCount" c
                    WHERE c."siteId" = t."siteId" AND c.status = 'OPEN') AS open
       FROM (SELECT s.id AS "siteId", s."organizationId", s.name, s.url, s."securityScore", s."riskLevel"
             FROM "Site" s WHERE ${where} ORDER BY s."securityScore", s.id LIMIT ${p.add(first, 'int')}) t
       ORDER BY t."securityScore", t."siteId"`,
      p,
    );
    return rows.map((r) => ({ ...r, open: byLevel(r.open ?? []) }));
  }

  /** Sites per risk level (organisation, area, tag and site filters apply). */
  async riskDistribution(principal: Principal, filter?: StatsFilter): Promise<RiskDistributionCount[]> {
    const f = this.resolve(principal, filter);
    const p = new Params();
    const rows = await this.query<{ riskLevel: RiskLevel; n: number }>(
      `SELECT s."riskLevel", count(*)::int AS n FROM "Site" s WHERE ${siteConditions(f, p).join(' AND ') || 'TRUE'} GROUP BY 1`,
      p,
    );
    const m = new Map(rows.map((r) => [r.riskLevel, r.n]));
    return Object.values(RiskLevel).map((riskLevel) => ({ riskLevel, siteCount: m.get(riskLevel) ?? 0 }));
  }

  /**
   * Related domains, counted from their own table (a few per site: an index-only GROUP BY is
   * as fast as an aggregate would be). Organisation, area, tag and site filters apply.
   */
  async relatedDomains(principal: Principal, filter: StatsFilter | undefined, first: number): Promise<RelatedDomainStat> {
    const f = this.resolve(principal, filter);
    const p = new Params();
    const sites = `SELECT s.id, s.name, s."organizationId" FROM "Site" s WHERE ${siteConditions(f, p).join(' AND ') || 'TRUE'}`;
    const [row] = await this.query<RelatedDomainStat>(
      `WITH per AS (
         SELECT d."siteId", count(*)::int AS n, count(*) FILTER (WHERE d.source = 'PROBE')::int AS probe
         FROM "RelatedDomain" d WHERE d."siteId" IN (SELECT id FROM (${sites}) x) GROUP BY 1
       ), named AS (SELECT per.*, s.name, s."organizationId" FROM per JOIN "Site" s ON s.id = per."siteId")
       SELECT COALESCE(sum(n), 0)::int AS total, COALESCE(sum(probe), 0)::int AS probe, COALESCE(sum(n - probe), 0)::int AS scanner,
         COALESCE((SELECT json_agg(t) FROM (SELECT "siteId", name, n AS count FROM named ORDER BY n DESC, "siteId"
                   LIMIT ${p.add(first, 'int')}) t), '[]') AS sites,
         COALESCE((SELECT json_agg(t) FROM (SELECT o.id AS "organizationId", o.name, sum(n)::int AS count FROM named
                   JOIN "Organization" o ON o.id = named."organizationId" GROUP BY o.id ORDER BY 3 DESC, 1) t), '[]') AS organizations
       FROM named`,
      p,
    );
    return row;
  }

  query<T>(sql: string, p: Params): Promise<T[]> {
    return this.sql.rows<T>(sql, p.values);
  }
}
