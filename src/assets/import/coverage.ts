// The coverage rule of port scans: a port the same scanner saw earlier on a host this scan
// found up, inside the port ranges this scan probed, and that this scan did not list, is closed.
import type pg from 'pg';
import type { AssetImportContext } from './asset-import.js';

/** Inclusive port ranges a scan probed for one protocol ("TCP"/"UDP"). */
export interface Coverage {
  protocol: string;
  ranges: [number, number][];
}

/** Closes the uncovered ports of `ips` (with a history entry each); answers how many. */
export async function closeUncovered(c: pg.PoolClient, ctx: AssetImportContext, ips: string[], coverage: Coverage[]): Promise<number> {
  if (!ips.length || !coverage.length) return 0;
  const flat = coverage.flatMap((cv) => cv.ranges.map(([lo, hi]) => ({ pr: cv.protocol, lo, hi })));
  // lastSeen < seenAt: not seen by this scan, nor by any later one.
  const r = await c.query(
    `WITH r AS (SELECT * FROM json_to_recordset($5::json) AS r(pr "PortProtocol", lo int, hi int)),
     gone AS (
       SELECT sp.id, sp.state FROM "ServicePort" sp JOIN "Asset" a ON a.id = sp."assetId"
       WHERE a."organizationId" = $1 AND a.ip = ANY($2::inet[]) AND sp.scanner = $3 AND sp.state <> 'CLOSED'
         AND sp."lastSeen" < $4 AND EXISTS (SELECT 1 FROM r WHERE r.pr = sp.protocol AND sp.port BETWEEN r.lo AND r.hi)
       ORDER BY sp.id FOR UPDATE OF sp),
     closed AS (
       UPDATE "ServicePort" sp SET state = 'CLOSED', "stateChangedAt" = $4, "lastTaskId" = $6
       FROM gone WHERE sp.id = gone.id RETURNING sp.id)
     INSERT INTO "ServicePortHistory" ("servicePortId", "fromState", "toState", "taskId", reason)
     SELECT gone.id, gone.state, 'CLOSED', $6, $7 FROM gone JOIN closed ON closed.id = gone.id`,
    [ctx.organizationId, ips, ctx.scanner, ctx.seenAt, JSON.stringify(flat), ctx.taskId,
      `Not listed by task ${ctx.taskId} (${ctx.scanner}), a later scan that probed this port`],
  );
  return r.rowCount ?? 0;
}

/** Known assets a scan found down (and not seen since) become DOWN. Unknown ones are not created. */
export async function markDown(c: pg.PoolClient, ctx: AssetImportContext, ips: string[]): Promise<void> {
  if (!ips.length) return;
  await c.query(
    `UPDATE "Asset" SET liveness = 'DOWN', "updatedAt" = now()
     WHERE "organizationId" = $1 AND ip = ANY($2::inet[]) AND "lastSeen" < $3 AND liveness <> 'DOWN'`,
    [ctx.organizationId, ips, ctx.seenAt],
  );
}
