// SQL that writes baseline results, shared by syncBaseline chunks and file imports. Runs inside
// the ingest batch's transaction (see BatchApplier), so a failed batch leaves nothing behind.
import type pg from 'pg';
import type { BaselineStatus, VulnLevel } from '../generated/prisma/enums.js';
import { levelWeightSql } from './baseline-score.js';

export interface ItemRow {
  checkId: string;
  title: string | null;
  status: BaselineStatus;
  level: VulnLevel;
  expected: string | null;
  actual: string | null;
}

export interface ResultKey {
  taskId: number;
  siteId: number;
  scriptId: number;
  versionId: number;
}

/**
 * The result of (task, site, script), created on first use. A new result becomes its site's
 * latest for the script (the highest id); the advisory lock serialises that switch per site and
 * script across workers.
 */
export async function openResult(c: pg.PoolClient, k: ResultKey): Promise<{ id: number; versionId: number }> {
  await c.query(`SELECT pg_advisory_xact_lock(hashtextextended('baseline:' || $1::text || ':' || $2::text, 0))`, [k.siteId, k.scriptId]);
  const r = await c.query<{ id: number; versionId: number; inserted: boolean }>(
    `INSERT INTO "BaselineResult" ("organizationId", "siteId", "areaCode", "taskId", "scriptId", "versionId")
     SELECT s."organizationId", s.id, s."areaCode", $1, $3, $4 FROM "Site" s WHERE s.id = $2
     ON CONFLICT ("taskId", "siteId", "scriptId") DO UPDATE SET "updatedAt" = now()
     RETURNING id, "versionId", (xmax = 0) AS inserted`,
    [k.taskId, k.siteId, k.scriptId, k.versionId],
  );
  const row = r.rows[0];
  if (row.inserted) {
    await c.query(
      `UPDATE "BaselineResult" SET "isLatest" = (id = $3) WHERE "siteId" = $1 AND "scriptId" = $2 AND ("isLatest" OR id = $3)`,
      [k.siteId, k.scriptId, row.id],
    );
  }
  return { id: row.id, versionId: row.versionId };
}

/** Upserts items (a later push of a check replaces it, unless `keepFirst`); returns how many were new. */
export async function writeItems(c: pg.PoolClient, resultId: number, items: ItemRow[], keepFirst = false): Promise<{ created: number; updated: number }> {
  if (!items.length) return { created: 0, updated: 0 };
  const col = <K extends keyof ItemRow>(k: K) => items.map((i) => i[k]);
  const r = await c.query<{ inserted: boolean }>(
    `INSERT INTO "BaselineResultItem" ("resultId", "checkId", title, status, level, expected, actual)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::"BaselineStatus"[], $5::"VulnLevel"[], $6::text[], $7::text[])
     ON CONFLICT ("resultId", "checkId") DO ${keepFirst ? 'NOTHING' : `UPDATE SET title = EXCLUDED.title, status = EXCLUDED.status,
       level = EXCLUDED.level, expected = EXCLUDED.expected, actual = EXCLUDED.actual`}
     RETURNING (xmax = 0) AS inserted`,
    [resultId, col('checkId'), col('title'), col('status'), col('level'), col('expected'), col('actual')],
  );
  const created = r.rows.filter((x) => x.inserted).length;
  return { created, updated: r.rows.length - created };
}

/** Recomputes a result's counts, weights and score from its items (see baseline-score.ts). */
export async function refreshResult(c: pg.PoolClient, resultId: number): Promise<void> {
  await c.query(
    `UPDATE "BaselineResult" r SET "passCount" = s.pass, "failCount" = s.fail, "errorCount" = s.err, "naCount" = s.na,
       "manualCount" = s.manual, "passWeight" = s.pw, "scoredWeight" = s.sw, "updatedAt" = now(),
       score = CASE WHEN s.sw > 0 THEN round(100.0 * s.pw / s.sw, 2)::float8 END
     FROM (SELECT count(*) FILTER (WHERE status = 'PASS')::int AS pass, count(*) FILTER (WHERE status = 'FAIL')::int AS fail,
             count(*) FILTER (WHERE status = 'ERROR')::int AS err, count(*) FILTER (WHERE status = 'NOT_APPLICABLE')::int AS na,
             count(*) FILTER (WHERE status = 'MANUAL')::int AS manual,
             COALESCE(sum(w) FILTER (WHERE status = 'PASS'), 0)::int AS pw,
             COALESCE(sum(w) FILTER (WHERE status IN ('PASS', 'FAIL', 'ERROR')), 0)::int AS sw
           FROM (SELECT status, ${levelWeightSql('level')} AS w FROM "BaselineResultItem" WHERE "resultId" = $1) i) s
     WHERE r.id = $1`,
    [resultId],
  );
}
