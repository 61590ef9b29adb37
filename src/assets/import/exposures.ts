// Exposures after an import: monitored ports this import saw OPEN open one (the most severe
// matching rule wins), open ones it saw again are refreshed, and open ones whose port is no
// longer OPEN, or whose asset is DOWN, close. Set-based; runs once per imported file.
import type pg from 'pg';
import type { AssetImportContext } from './asset-import.js';

export interface ExposureChanges {
  opened: number;
  closed: number;
}

export async function applyExposures(c: pg.PoolClient, ctx: AssetImportContext): Promise<ExposureChanges> {
  const { organizationId, seenAt, taskId } = ctx;
  const opened = await c.query(
    `WITH seen AS (
       SELECT sp.id, sp."assetId", sp.port, sp.protocol, sp.service FROM "ServicePort" sp
       WHERE sp."organizationId" = $1 AND sp.state = 'OPEN' AND sp."lastSeen" = $2 AND sp."lastTaskId" = $3
         AND (sp.protocol, sp.port) IN (SELECT protocol, port FROM "MonitoredPort" WHERE "organizationId" IS NULL OR "organizationId" = $1)),
     ruled AS (
       SELECT DISTINCT ON (s.id) s.*, m.id AS mid, m."riskLevel" FROM seen s
       JOIN "MonitoredPort" m ON m.protocol = s.protocol AND m.port = s.port AND (m."organizationId" IS NULL OR m."organizationId" = $1)
         AND (cardinality(m."siteIds") = 0
              OR EXISTS (SELECT 1 FROM "AssetSite" x WHERE x."assetId" = s."assetId" AND x."siteId" = ANY(m."siteIds")))
         AND (cardinality(m."tagIds") = 0
              OR EXISTS (SELECT 1 FROM "AssetSite" x JOIN "SiteTag" st ON st."siteId" = x."siteId"
                         WHERE x."assetId" = s."assetId" AND st."tagId" = ANY(m."tagIds")))
       ORDER BY s.id, m."riskLevel" DESC, m."organizationId" NULLS LAST)
     INSERT INTO "Exposure" ("organizationId", "assetId", "servicePortId", "monitoredPortId", port, protocol, service, "riskLevel", "openedAt", "lastSeen")
     SELECT $1, r."assetId", r.id, r.mid, r.port, r.protocol, r.service, r."riskLevel", $2, $2 FROM ruled r
     -- OFFSET 0 keeps this a per-row index probe: flattened into an anti-join, a first import (whose
     -- rows the planner has no statistics for yet) can be planned as a scan of every open exposure per port
     WHERE NOT EXISTS (SELECT 1 FROM "Exposure" e WHERE e."servicePortId" = r.id AND e.status = 'OPEN' OFFSET 0)`,
    [organizationId, seenAt, taskId],
  );
  await c.query(
    `UPDATE "Exposure" e SET "lastSeen" = $2, service = COALESCE(sp.service, e.service) FROM "ServicePort" sp
     WHERE e."servicePortId" = sp.id AND e."organizationId" = $1 AND e.status = 'OPEN'
       AND sp."lastSeen" = $2 AND sp."lastTaskId" = $3 AND sp.state = 'OPEN' AND e."lastSeen" < $2`,
    [organizationId, seenAt, taskId],
  );
  const closed = await c.query(
    `UPDATE "Exposure" e SET status = 'CLOSED', "closedAt" = $2,
       "closeReason" = CASE WHEN a.liveness = 'DOWN' THEN 'Asset seen down' ELSE 'Port seen ' || lower(sp.state::text) END
     FROM "ServicePort" sp JOIN "Asset" a ON a.id = sp."assetId"
     WHERE e."servicePortId" = sp.id AND e."organizationId" = $1 AND e.status = 'OPEN' AND (sp.state <> 'OPEN' OR a.liveness = 'DOWN')`,
    [organizationId, seenAt],
  );
  return { opened: opened.rowCount ?? 0, closed: closed.rowCount ?? 0 };
}
