import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { orgScope, orgScopeId } from '../common/auth/scope.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { AreaLevel, RiskLevel } from './models/enums.js';
import type { AreaSiteCount, OrgSiteCount, RiskLevelCount } from './models/site-stats.model.js';

/** Site statistics: GROUP BY queries over indexed columns, scoped like every site list. */
@Injectable()
export class SiteStatsService {
  constructor(private readonly prisma: PrismaService) {}

  /** Organisations the caller sees, with their site counts (zero included). */
  async orgList(principal: Principal): Promise<OrgSiteCount[]> {
    const orgId = orgScopeId(principal);
    const rows = await this.prisma.organization.findMany({
      where: orgId === null ? {} : { id: orgId },
      select: { id: true, name: true, _count: { select: { sites: true } } },
      orderBy: { name: 'asc' },
    });
    return rows.map((r) => ({ organizationId: r.id, name: r.name, siteCount: r._count.sites }));
  }

  /**
   * Sites per province (cities rolled up into their province) or per city. Sites without an
   * area (or with only a province, when counting cities) form a row with a null area.
   */
  async areaStat(principal: Principal, level: AreaLevel, parentCode?: string): Promise<AreaSiteCount[]> {
    const orgId = orgScopeId(principal);
    const rows = await this.prisma.$queryRaw<{ code: string | null; name: string | null; level: AreaLevel | null; n: number }[]>`
      SELECT g.code, a."name", a."level", g.n
      FROM (
        SELECT CASE
                 WHEN ${level}::text = 'PROVINCE' THEN (CASE WHEN sa."level" = 'CITY' THEN sa."parentCode" ELSE sa."code" END)
                 ELSE (CASE WHEN sa."level" = 'CITY' THEN sa."code" END)
               END AS code,
               count(*)::int AS n
        FROM "Site" s LEFT JOIN "Area" sa ON sa."code" = s."areaCode"
        WHERE (${orgId}::int IS NULL OR s."organizationId" = ${orgId}::int)
          AND (${parentCode ?? null}::text IS NULL OR sa."parentCode" = ${parentCode ?? null}::text OR sa."code" = ${parentCode ?? null}::text)
        GROUP BY 1
      ) g LEFT JOIN "Area" a ON a."code" = g.code
      ORDER BY g.n DESC, g.code NULLS LAST`;
    return rows.map((r) => ({ areaCode: r.code, areaName: r.name, level: r.level, siteCount: r.n }));
  }

  /** Sites per risk level; every level appears, with zero when it has no site. */
  async safeStat(principal: Principal): Promise<RiskLevelCount[]> {
    const groups = await this.prisma.site.groupBy({ by: ['riskLevel'], where: orgScope(principal), _count: { _all: true } });
    const counts = new Map(groups.map((g) => [g.riskLevel, g._count._all]));
    return Object.values(RiskLevel).map((riskLevel) => ({ riskLevel, siteCount: counts.get(riskLevel) ?? 0 }));
  }
}
