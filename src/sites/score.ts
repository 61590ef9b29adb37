// The site security score and risk level, computed from the site's OPEN findings that are not
// in the trash. The SQL (used) and TypeScript (documentation, test reference) versions must
// agree: test/stats/stats.integration-spec.ts compares every site's stored score with this one.
import type { RiskLevel, VulnLevel } from '../generated/prisma/enums.js';

/** Penalty per open finding of each level, and the most that level can take off. */
export const SCORE_WEIGHTS: Record<VulnLevel, { each: number; cap: number }> = {
  CRITICAL: { each: 50, cap: 100 },
  HIGH: { each: 20, cap: 50 },
  MEDIUM: { each: 8, cap: 30 },
  LOW: { each: 3, cap: 15 },
  INFO: { each: 1, cap: 5 },
};

export const SCORE_DESCRIPTION =
  'Security score 0-100 from the open findings not in the trash: 100 minus, per level, ' +
  'min(cap, weight x count) with CRITICAL 50 each (cap 100), HIGH 20 (cap 50), MEDIUM 8 (cap 30), ' +
  'LOW 3 (cap 15), INFO 1 (cap 5), floored at 0; so one critical (-50) outweighs any number of infos (-5 at most). ' +
  'Null while the site has no finding outside the trash. Kept current by the statistics worker.';

export const RISK_DESCRIPTION =
  'Highest level among the open findings: CRITICAL, HIGH or MEDIUM; LOW for only low or info findings; NONE without open findings.';

export type LevelCounts = Record<VulnLevel, number>;

export function securityScore(open: LevelCounts): number {
  let penalty = 0;
  for (const [level, w] of Object.entries(SCORE_WEIGHTS) as [VulnLevel, { each: number; cap: number }][]) {
    penalty += Math.min(w.cap, w.each * open[level]);
  }
  return Math.max(0, 100 - penalty);
}

export function riskLevel(open: LevelCounts): RiskLevel {
  if (open.CRITICAL > 0) return 'CRITICAL';
  if (open.HIGH > 0) return 'HIGH';
  if (open.MEDIUM > 0) return 'MEDIUM';
  if (open.LOW + open.INFO > 0) return 'LOW';
  return 'NONE';
}

const openOf = (level: VulnLevel) => `COALESCE(sum(c.n) FILTER (WHERE c.status = 'OPEN' AND c.level = '${level}'), 0)`;

/**
 * Sets securityScore and riskLevel of the sites in $1 from their StatSiteCount rows (already
 * current in the same transaction); writes only rows that change. Returns the changed ids.
 */
export const UPDATE_SCORES_SQL = `
  WITH counts AS (
    SELECT s.id,
           count(c."siteId") > 0 AS "hasFindings",
           ${(Object.keys(SCORE_WEIGHTS) as VulnLevel[]).map((l) => `${openOf(l)}::int AS "${l}"`).join(',\n           ')}
    FROM "Site" s LEFT JOIN "StatSiteCount" c ON c."siteId" = s.id
    WHERE s.id = ANY($1::int[])
    GROUP BY s.id
  ), scored AS (
    SELECT id,
           CASE WHEN "hasFindings" THEN GREATEST(0, 100 - (${(Object.entries(SCORE_WEIGHTS) as [VulnLevel, { each: number; cap: number }][])
             .map(([l, w]) => `LEAST(${w.cap}, ${w.each} * "${l}")`)
             .join(' + ')})) END AS score,
           (CASE WHEN "CRITICAL" > 0 THEN 'CRITICAL' WHEN "HIGH" > 0 THEN 'HIGH' WHEN "MEDIUM" > 0 THEN 'MEDIUM'
                 WHEN "LOW" + "INFO" > 0 THEN 'LOW' ELSE 'NONE' END)::"RiskLevel" AS risk
    FROM counts
  )
  UPDATE "Site" s SET "securityScore" = scored.score, "riskLevel" = scored.risk
  FROM scored
  WHERE s.id = scored.id AND (s."securityScore" IS DISTINCT FROM scored.score OR s."riskLevel" <> scored.risk)
  RETURNING s.id`;
