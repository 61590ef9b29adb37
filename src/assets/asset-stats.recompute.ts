// Rebuilds one organisation's AssetStat rows from the source rows (exact by construction).
import type pg from 'pg';

/** Risk score of an asset: open findings of the sites it serves, weighted by level. */
export const RISK_WEIGHTS = { CRITICAL: 10, HIGH: 5, MEDIUM: 2, LOW: 1, INFO: 0 } as const;
/** Riskiest assets kept per organisation. */
export const RISKY_KEPT = 100;

// Open, not trashed findings of the sites an asset serves: one row per (asset, finding).
const ASSET_FINDINGS = `"AssetSite" x JOIN "Asset" a ON a.id = x."assetId"
  JOIN "Finding" f ON f."siteId" = x."siteId" AND f.status = 'OPEN' AND f."trashedAt" IS NULL
  WHERE a."organizationId" = $1`;

export const STAT_QUERIES: Record<string, string> = {
  liveness: `SELECT liveness::text, count(*) FROM "Asset" WHERE "organizationId" = $1 GROUP BY 1`,
  os: `SELECT COALESCE("osFamily", 'unknown'), count(*) FROM "Asset" WHERE "organizationId" = $1 GROUP BY 1`,
  port: `SELECT protocol::text || '/' || port, count(*) FROM "ServicePort" WHERE "organizationId" = $1 AND state = 'OPEN' GROUP BY 1`,
  service: `SELECT COALESCE(lower(service), 'unknown'), count(*) FROM "ServicePort" WHERE "organizationId" = $1 AND state = 'OPEN' GROUP BY 1`,
  exposure: `SELECT "riskLevel"::text, count(*) FROM "Exposure" WHERE "organizationId" = $1 AND status = 'OPEN' GROUP BY 1`,
  vulnLevel: `SELECT f.level::text, count(*) FROM ${ASSET_FINDINGS} GROUP BY 1`,
  vulnKind: `SELECT COALESCE(e.kind, 'unknown'), count(*) FROM ${ASSET_FINDINGS.replace('WHERE', 'JOIN "VulnEntry" e ON e.id = f."entryId" WHERE')} GROUP BY 1`,
  riskyAsset: `SELECT a.id::text, sum(CASE f.level WHEN 'CRITICAL' THEN ${RISK_WEIGHTS.CRITICAL} WHEN 'HIGH' THEN ${RISK_WEIGHTS.HIGH}
      WHEN 'MEDIUM' THEN ${RISK_WEIGHTS.MEDIUM} WHEN 'LOW' THEN ${RISK_WEIGHTS.LOW} ELSE 0 END) AS score
    FROM ${ASSET_FINDINGS} GROUP BY a.id HAVING sum(CASE WHEN f.level <> 'INFO' THEN 1 ELSE 0 END) > 0
    ORDER BY score DESC, a.id LIMIT ${RISKY_KEPT}`,
};

/** Replaces the organisation's statistics (inside the caller's transaction). */
export async function recomputeOrganization(c: pg.PoolClient, organizationId: number): Promise<void> {
  await c.query('DELETE FROM "AssetStat" WHERE "organizationId" = $1', [organizationId]);
  for (const [kind, query] of Object.entries(STAT_QUERIES)) {
    await c.query(
      `INSERT INTO "AssetStat" ("organizationId", kind, key, count) SELECT $1, '${kind}', left(s.k, 200), s.n FROM (${query}) AS s(k, n)`,
      [organizationId],
    );
  }
}
