// SQL that writes baseline results, shared by syncBaseline chunks and file imports. Runs inside
// the ingest batch's transaction (see BatchApplierService), so a failed batch leaves nothing behind.
import type pg from 'pg';
import type { BaselineStatus, VulnLevel } from '../generated/prisma/enums.js';
import { levelWeightSql } from './baseline-score.js';

/** Aggregates of a result's items: its FAIL check ids (sorted) and their levels, in the same order. */
const FAILED_SQL = `COALESCE(array_agg("checkId" ORDER BY "checkId") FILTER (WHERE status = 'FAIL'), '{}')::text[] AS fc,
  COALESCE(array_agg(level ORDER BY "checkId") FILTER (WHERE status = 'FAIL'), '{}')::"VulnLevel"[] AS fl`;

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
       score = CASE WHEN s.sw > 0 THEN round(100.0 * s.pw / s.sw, 2)::float8 END,
       "failedChecks" = s.fc, "failedLevels" = s.fl
     FROM (SELECT ${FAILED_SQL}, count(*) FILTER (WHERE status = 'PASS')::int AS pass, count(*) FILTER (WHERE status = 'FAIL')::int AS fail,
             count(*) FILTER (WHERE status = 'ERROR')::int AS err, count(*) FILTER (WHERE status = 'NOT_APPLICABLE')::int AS na,
             count(*) FILTER (WHERE status = 'MANUAL')::int AS manual,
             COALESCE(sum(w) FILTER (WHERE status = 'PASS'), 0)::int AS pw,
             COALESCE(sum(w) FILTER (WHERE status IN ('PASS', 'FAIL', 'ERROR')), 0)::int AS sw
           FROM (SELECT "checkId", status, level, ${levelWeightSql('level')} AS w FROM "BaselineResultItem" WHERE "resultId" = $1) i) s
     WHERE r.id = $1`,
    [resultId],
  );
}

/** A result of a syncBaseline group: (site, script) of the group's task, at a script version. */
export interface GroupResult {
  siteId: number;
  scriptId: number;
  versionId: number;
}

/**
 * The results of one task for these (site, script) pairs, created on first use, in three
 * statements whatever their number: the per-(site, script) advisory locks (in key order, as
 * openResult and baselineDelete take them), one INSERT ... ON CONFLICT. A new result is not the
 * latest yet: finishResults makes it so, with its counts, in one UPDATE.
 */
export async function openResults(c: pg.PoolClient, taskId: number, rs: GroupResult[]): Promise<{ id: number; siteId: number; scriptId: number; inserted: boolean }[]> {
  await c.query(
    `SELECT pg_advisory_xact_lock(k) FROM (
       SELECT DISTINCT hashtextextended('baseline:' || site::text || ':' || script::text, 0) AS k
       FROM unnest($1::int[], $2::int[]) AS x(site, script) ORDER BY 1) l`,
    [rs.map((r) => r.siteId), rs.map((r) => r.scriptId)],
  );
  const r = await c.query<{ id: number; siteId: number; scriptId: number; inserted: boolean }>(
    `INSERT INTO "BaselineResult" ("organizationId", "siteId", "areaCode", "taskId", "scriptId", "versionId")
     SELECT s."organizationId", s.id, s."areaCode", $1, x.script, x.version
     FROM unnest($2::int[], $3::int[], $4::int[]) AS x(site, script, version) JOIN "Site" s ON s.id = x.site
     ORDER BY s.id, x.script
     ON CONFLICT ("taskId", "siteId", "scriptId") DO UPDATE SET "updatedAt" = now()
     RETURNING id, "siteId", "scriptId", (xmax = 0) AS inserted`,
    [taskId, rs.map((x) => x.siteId), rs.map((x) => x.scriptId), rs.map((x) => x.versionId)],
  );
  return r.rows;
}

/** Upserts items of several results (each check once per result) in one statement; returns, per result, the checks that were new. */
export async function writeResultItems(c: pg.PoolClient, byResult: Map<number, Map<string, ItemRow>>): Promise<Map<number, Set<string>>> {
  const cols = { resultId: [] as number[], checkId: [] as string[], title: [] as (string | null)[], status: [] as string[],
    level: [] as string[], expected: [] as (string | null)[], actual: [] as (string | null)[] };
  for (const [resultId, items] of byResult) {
    for (const i of items.values()) {
      cols.resultId.push(resultId);
      cols.checkId.push(i.checkId);
      cols.title.push(i.title);
      cols.status.push(i.status);
      cols.level.push(i.level);
      cols.expected.push(i.expected);
      cols.actual.push(i.actual);
    }
  }
  const created = new Map<number, Set<string>>();
  if (!cols.resultId.length) return created;
  const r = await c.query<{ resultId: number; checkId: string }>(
    `WITH w AS (
       INSERT INTO "BaselineResultItem" ("resultId", "checkId", title, status, level, expected, actual)
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::"BaselineStatus"[], $5::"VulnLevel"[], $6::text[], $7::text[])
       ON CONFLICT ("resultId", "checkId") DO UPDATE SET title = EXCLUDED.title, status = EXCLUDED.status,
         level = EXCLUDED.level, expected = EXCLUDED.expected, actual = EXCLUDED.actual
       RETURNING "resultId", "checkId", (xmax = 0) AS inserted)
     SELECT "resultId", "checkId" FROM w WHERE inserted`,
    [cols.resultId, cols.checkId, cols.title, cols.status, cols.level, cols.expected, cols.actual],
  );
  for (const x of r.rows) {
    let set = created.get(x.resultId);
    if (!set) created.set(x.resultId, (set = new Set()));
    set.add(x.checkId);
  }
  return created;
}

/**
 * One UPDATE for a group's results: counts, weights and score recomputed from their items; the
 * new ones (`fresh`) become their site's latest for the script and the previous latest stops
 * being it. One statement, so the statistics triggers change BaselineStat once, in key order.
 */
export async function finishResults(c: pg.PoolClient, ids: number[], fresh: boolean[]): Promise<void> {
  if (!ids.length) return;
  await c.query(
    `WITH t AS (SELECT * FROM unnest($1::int[], $2::bool[]) AS t(id, fresh)),
     agg AS (
       SELECT "resultId" AS id, ${FAILED_SQL}, count(*) FILTER (WHERE status = 'PASS')::int AS pass, count(*) FILTER (WHERE status = 'FAIL')::int AS fail,
         count(*) FILTER (WHERE status = 'ERROR')::int AS err, count(*) FILTER (WHERE status = 'NOT_APPLICABLE')::int AS na,
         count(*) FILTER (WHERE status = 'MANUAL')::int AS manual,
         COALESCE(sum(${levelWeightSql('level')}) FILTER (WHERE status = 'PASS'), 0)::int AS pw,
         COALESCE(sum(${levelWeightSql('level')}) FILTER (WHERE status IN ('PASS', 'FAIL', 'ERROR')), 0)::int AS sw
       FROM "BaselineResultItem" WHERE "resultId" = ANY($1::int[]) GROUP BY 1),
     prev AS (
       SELECT p.id FROM t JOIN "BaselineResult" n ON n.id = t.id AND t.fresh
       JOIN "BaselineResult" p ON p."siteId" = n."siteId" AND p."scriptId" = n."scriptId" AND p."isLatest" AND p.id <> n.id),
     u AS (
       SELECT t.id, true AS cur, t.fresh, COALESCE(a.pass, 0) AS pass, COALESCE(a.fail, 0) AS fail, COALESCE(a.err, 0) AS err,
         COALESCE(a.na, 0) AS na, COALESCE(a.manual, 0) AS manual, COALESCE(a.pw, 0) AS pw, COALESCE(a.sw, 0) AS sw,
         COALESCE(a.fc, '{}') AS fc, COALESCE(a.fl, '{}') AS fl
       FROM t LEFT JOIN agg a ON a.id = t.id
       UNION ALL
       SELECT id, false, false, 0, 0, 0, 0, 0, 0, 0, NULL, NULL FROM prev)
     UPDATE "BaselineResult" r SET
       "isLatest" = CASE WHEN NOT u.cur THEN false WHEN u.fresh THEN true ELSE r."isLatest" END,
       "passCount" = CASE WHEN u.cur THEN u.pass ELSE r."passCount" END, "failCount" = CASE WHEN u.cur THEN u.fail ELSE r."failCount" END,
       "errorCount" = CASE WHEN u.cur THEN u.err ELSE r."errorCount" END, "naCount" = CASE WHEN u.cur THEN u.na ELSE r."naCount" END,
       "manualCount" = CASE WHEN u.cur THEN u.manual ELSE r."manualCount" END,
       "passWeight" = CASE WHEN u.cur THEN u.pw ELSE r."passWeight" END, "scoredWeight" = CASE WHEN u.cur THEN u.sw ELSE r."scoredWeight" END,
       score = CASE WHEN NOT u.cur THEN r.score WHEN u.sw > 0 THEN round(100.0 * u.pw / u.sw, 2)::float8 END,
       "failedChecks" = CASE WHEN u.cur THEN u.fc ELSE r."failedChecks" END, "failedLevels" = CASE WHEN u.cur THEN u.fl ELSE r."failedLevels" END,
       "updatedAt" = CASE WHEN u.cur THEN now() ELSE r."updatedAt" END
     FROM u WHERE r.id = u.id`,
    [ids, fresh],
  );
}
