import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { orgScopeId } from '../common/auth/scope.js';
import { AppConfig } from '../config/app-config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SqlPool } from '../db/sql-pool.js';
import { scoreOf } from './baseline-score.js';
import { BaselineResultsService } from './baseline-results.service.js';
import type { PassRateArgs, TopFailedArgs } from './inputs/baseline-args.js';
import { BaselineGroupBy, type BaselineFailedCheck, type BaselinePassRate, type SitePosture } from './models/baseline-stats.model.js';
import { postureOf } from './posture.js';

/** Per grouping: the BaselineStat column grouped on (as text) and where the group's name comes from. */
const GROUPS: Record<BaselineGroupBy, { key: string; name: string }> = {
  [BaselineGroupBy.SCRIPT]: { key: `st."scriptId"::text`, name: `(SELECT name FROM "BaselineScript" WHERE id = g.key::int)` },
  [BaselineGroupBy.ORGANIZATION]: { key: `st."organizationId"::text`, name: `(SELECT name FROM "Organization" WHERE id = g.key::int)` },
  [BaselineGroupBy.AREA]: { key: `NULLIF(st."areaCode", '')`, name: `(SELECT name FROM "Area" WHERE code = g.key)` },
};

/**
 * Baseline statistics. Pass rates read the precomputed BaselineStat rows (a few per organisation,
 * area and script, kept exact by the statement triggers of the baseline migrations), never the
 * items, with plain SQL on the SqlPool: one statement, the names looked up after grouping.
 */
@Injectable()
export class BaselineStatsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sql: SqlPool,
    private readonly results: BaselineResultsService,
    private readonly config: AppConfig,
  ) {}

  async passRates(p: Principal, { by }: PassRateArgs): Promise<BaselinePassRate[]> {
    const orgId = orgScopeId(p);
    const g = GROUPS[by];
    const rows = await this.sql.rows<Omit<BaselinePassRate, 'passRate'>>(
      `SELECT g.*, ${g.name} AS name FROM (
         SELECT ${g.key} AS key, sum(st.results)::int AS results, sum(st."passCount")::int AS "passCount",
           sum(st."failCount")::int AS "failCount", sum(st."errorCount")::int AS "errorCount", sum(st."naCount")::int AS "naCount",
           sum(st."manualCount")::int AS "manualCount", sum(st."passWeight")::float8 AS "passWeight", sum(st."scoredWeight")::float8 AS "scoredWeight"
         FROM "BaselineStat" st
         ${orgId === null ? '' : 'WHERE st."organizationId" = $1'}
         GROUP BY 1) g
       ORDER BY g.key NULLS LAST`,
      orgId === null ? [] : [orgId],
    );
    return rows.map((r) => ({ ...r, passRate: scoreOf(r.passWeight, r.scoredWeight) }));
  }

  /**
   * Checks failed by the most sites (latest results only), from the precomputed BaselineFailStat
   * rows; the title is the check's in the newest version of the script that has it.
   */
  async topFailed(p: Principal, args: TopFailedArgs): Promise<BaselineFailedCheck[]> {
    const orgId = orgScopeId(p);
    return this.sql.rows<BaselineFailedCheck>(
      `SELECT f."scriptId", (SELECT name FROM "BaselineScript" WHERE id = f."scriptId") AS "scriptName", f."checkId",
         (SELECT c.title FROM "BaselineCheck" c JOIN "BaselineScriptVersion" v ON v.id = c."versionId"
          WHERE v."scriptId" = f."scriptId" AND c."checkId" = f."checkId" ORDER BY v.version DESC LIMIT 1) AS title,
         f.level, f."failingSites"
       FROM (SELECT "scriptId", "checkId", min(level) FILTER (WHERE sites > 0) AS level, sum(sites)::int AS "failingSites"
             FROM "BaselineFailStat"
             WHERE ($1::int IS NULL OR "organizationId" = $1::int) AND ($2::int IS NULL OR "scriptId" = $2::int)
             GROUP BY 1, 2 HAVING sum(sites) > 0
             ORDER BY "failingSites" DESC, "scriptId", "checkId" LIMIT $3) f
       ORDER BY f."failingSites" DESC, f."scriptId", f."checkId"`,
      [orgId, args.scriptId ?? null, args.limit],
    );
  }

  async posture(p: Principal, siteId: number): Promise<SitePosture> {
    const site = await this.results.visibleSite(p, siteId);
    const [baseline, answer] = await Promise.all([
      this.prisma.baselineResult.aggregate({ where: { siteId, isLatest: true }, _sum: { passWeight: true, scoredWeight: true } }),
      this.prisma.questionnaireAnswer.findFirst({ where: { organizationId: site.organizationId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { percent: true } }),
    ]);
    const weights = {
      vuln: this.config.get('POSTURE_WEIGHT_VULN'),
      baseline: this.config.get('POSTURE_WEIGHT_BASELINE'),
      questionnaire: this.config.get('POSTURE_WEIGHT_QUESTIONNAIRE'),
    };
    const parts = {
      vuln: site.securityScore,
      baseline: scoreOf(baseline._sum.passWeight ?? 0, baseline._sum.scoredWeight ?? 0),
      questionnaire: answer?.percent ?? null,
    };
    return { siteId, score: postureOf(parts, weights), vulnScore: parts.vuln, baselineScore: parts.baseline, questionnaireScore: parts.questionnaire, weights };
  }
}
