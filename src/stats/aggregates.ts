// The three aggregate families (see prisma/schema/stats.prisma): how each per-site row is
// computed from the source rows, and the statement that replaces a set of sites' rows and adds
// the difference to the rollups. Findings in the trash count nowhere (as if deleted; restoring
// one brings its numbers back).

export interface AggregateSpec {
  /** Per-site table and its rollup. */
  site: string;
  roll: string;
  /** Key columns of a site row besides siteId (scanner first), in primary-key order. */
  keys: string[];
  /** Key columns the rollup adds to organizationId (the site keys it keeps, plus areaCode for counts). */
  rollKeys: string[];
  /** Summed columns. */
  sums: string[];
  /** SELECT producing siteId, organizationId, (areaCode), keys..., sums... for the sites in $1::int[]. */
  fresh: string;
}

const LIVE = `f."siteId" = ANY($1::int[]) AND f."trashedAt" IS NULL`;

export const COUNTS: AggregateSpec = {
  site: 'StatSiteCount',
  roll: 'StatRollCount',
  keys: ['scanner', 'level', 'status'],
  rollKeys: ['areaCode', 'scanner', 'level', 'status'],
  sums: ['n'],
  fresh: `
    SELECT f."siteId", s."organizationId", COALESCE(s."areaCode", '') AS "areaCode", f.scanner, f.level, f.status, count(*)::int AS n
    FROM "Finding" f JOIN "Site" s ON s.id = f."siteId"
    WHERE ${LIVE}
    GROUP BY f."siteId", s."organizationId", s."areaCode", f.scanner, f.level, f.status`,
};

export const ENTRIES: AggregateSpec = {
  site: 'StatSiteEntry',
  roll: 'StatRollEntry',
  keys: ['scanner', 'entryId', 'level', 'status'],
  rollKeys: ['scanner', 'entryId', 'level', 'status'],
  sums: ['n'],
  fresh: `
    SELECT f."siteId", s."organizationId", f.scanner, f."entryId", f.level, f.status, count(*)::int AS n
    FROM "Finding" f JOIN "Site" s ON s.id = f."siteId"
    WHERE ${LIVE}
    GROUP BY f."siteId", s."organizationId", f.scanner, f."entryId", f.level, f.status`,
};

/**
 * Timeline events, by the finding's current level and scanner, on UTC days: a finding is opened
 * when first seen; each history row to OPEN opens it again, each row to FIXED fixes it; the open
 * count changes by +1 per opening and -1 per history row leaving OPEN. A fix's time runs from
 * the finding's last opening (first seen, or the latest history row to OPEN before the fix).
 */
export const DAYS: AggregateSpec = {
  site: 'StatSiteDay',
  roll: 'StatRollDay',
  keys: ['scanner', 'level', 'day'],
  rollKeys: ['scanner', 'level', 'day'],
  sums: ['opened', 'fixed', 'net', 'fixMs'],
  fresh: `
    SELECT e."siteId", s."organizationId", e.scanner, e.level, e.day,
           sum(e.opened)::int AS opened, sum(e.fixed)::int AS fixed, sum(e.net)::int AS net, sum(e."fixMs")::bigint AS "fixMs"
    FROM (
      SELECT f."siteId", f.scanner, f.level, f."firstSeen"::date AS day, 1 AS opened, 0 AS fixed, 1 AS net, 0::bigint AS "fixMs"
      FROM "Finding" f WHERE ${LIVE}
      UNION ALL
      SELECT f."siteId", f.scanner, f.level, h."createdAt"::date,
             (h."toStatus" = 'OPEN')::int,
             (h."toStatus" = 'FIXED')::int,
             (h."toStatus" = 'OPEN')::int - (h."fromStatus" IS NOT DISTINCT FROM 'OPEN')::int,
             CASE WHEN h."toStatus" = 'FIXED'
                  THEN floor(extract(epoch FROM h."createdAt" - GREATEST(f."firstSeen", h."openedAt")) * 1000)::bigint
                  ELSE 0 END
      FROM (
        SELECT hh."findingId", hh."fromStatus", hh."toStatus", hh."createdAt",
               max(hh."createdAt") FILTER (WHERE hh."toStatus" = 'OPEN')
                 OVER (PARTITION BY hh."findingId" ORDER BY hh.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS "openedAt"
        FROM "FindingHistory" hh
        WHERE hh."findingId" IN (SELECT f.id FROM "Finding" f WHERE ${LIVE})
      ) h JOIN "Finding" f ON f.id = h."findingId"
    ) e JOIN "Site" s ON s.id = e."siteId"
    GROUP BY e."siteId", s."organizationId", e.scanner, e.level, e.day`,
};

export const AGGREGATES = [COUNTS, ENTRIES, DAYS] as const;

const q = (c: string) => `"${c}"`;
const list = (cols: string[], prefix = '') => cols.map((c) => prefix + q(c)).join(', ');

/** Columns of a site row, in the order `fresh` produces them. */
export function siteColumns(a: AggregateSpec): string[] {
  const extra = a.rollKeys.filter((k) => !a.keys.includes(k));
  return ['siteId', 'organizationId', ...extra, ...a.keys, ...a.sums];
}

/**
 * One statement: deletes the sites' rows, inserts them afresh, and adds (new - old) per
 * organisation and for organisation 0 to the rollup. $1 = site ids.
 */
export function replaceSitesSql(a: AggregateSpec): string {
  const cols = siteColumns(a);
  const signed = (sign: string) => a.sums.map((s) => `${sign}${q(s)} AS ${q(s)}`).join(', ');
  return `
    WITH old AS (DELETE FROM ${q(a.site)} WHERE "siteId" = ANY($1::int[]) RETURNING *),
    fresh AS (${a.fresh}),
    ins AS (INSERT INTO ${q(a.site)} (${list(cols)}) SELECT ${list(cols)} FROM fresh),
    d AS (
      SELECT COALESCE(x."organizationId", 0) AS "organizationId", ${list(a.rollKeys, 'x.')},
             ${a.sums.map((s) => `sum(x.${q(s)}) AS ${q(s)}`).join(', ')}
      FROM (SELECT "organizationId", ${list(a.rollKeys)}, ${signed('-')} FROM old
            UNION ALL SELECT "organizationId", ${list(a.rollKeys)}, ${signed('')} FROM fresh) x
      GROUP BY GROUPING SETS ((x."organizationId", ${list(a.rollKeys, 'x.')}), (${list(a.rollKeys, 'x.')}))
      HAVING ${a.sums.map((s) => `sum(x.${q(s)}) <> 0`).join(' OR ')}
    )
    INSERT INTO ${q(a.roll)} ("organizationId", ${list(a.rollKeys)}, ${list(a.sums)})
    SELECT "organizationId", ${list(a.rollKeys)}, ${list(a.sums)} FROM d
    ON CONFLICT ("organizationId", ${list(a.rollKeys)}) DO UPDATE SET
      ${a.sums.map((s) => `${q(s)} = ${q(a.roll)}.${q(s)} + EXCLUDED.${q(s)}`).join(', ')}`;
}

/** Rollup rows that sum to nothing are removed (an absent row means zero). */
export function dropEmptyRollupsSql(a: AggregateSpec): string {
  return `DELETE FROM ${q(a.roll)} WHERE ${a.sums.map((s) => `${q(s)} = 0`).join(' AND ')}`;
}

/** Site rows that differ from the source rows (missing, extra or wrong), for the sites in $1. */
export function siteDriftSql(a: AggregateSpec): string {
  const cols = siteColumns(a);
  const key = ['siteId', ...a.keys];
  return `
    WITH fresh AS (${a.fresh}),
    stored AS (SELECT ${list(cols)} FROM ${q(a.site)} WHERE "siteId" = ANY($1::int[]))
    SELECT COALESCE(fresh."siteId", stored."siteId") AS "siteId", count(*)::int AS rows
    FROM fresh FULL JOIN stored ON ${key.map((k) => `fresh.${q(k)} = stored.${q(k)}`).join(' AND ')}
    WHERE (${list(cols, 'fresh.')}) IS DISTINCT FROM (${list(cols, 'stored.')})
    GROUP BY 1`;
}

/** The rollup as it should be: sums of the site rows, per organisation and in total. */
function expectedRollupSql(a: AggregateSpec): string {
  return `
    SELECT COALESCE("organizationId", 0) AS "organizationId", ${list(a.rollKeys)},
           ${a.sums.map((s) => `sum(${q(s)})::${s === 'fixMs' ? 'bigint' : 'int'} AS ${q(s)}`).join(', ')}
    FROM ${q(a.site)}
    GROUP BY GROUPING SETS (("organizationId", ${list(a.rollKeys)}), (${list(a.rollKeys)}))`;
}

/** How many rollup rows differ from the sums of the site rows. */
export function rollupDriftSql(a: AggregateSpec): string {
  const key = ['organizationId', ...a.rollKeys];
  const cols = [...key, ...a.sums];
  return `
    WITH expected AS (${expectedRollupSql(a)})
    SELECT count(*)::int AS rows
    FROM expected e FULL JOIN ${q(a.roll)} r ON ${key.map((k) => `e.${q(k)} = r.${q(k)}`).join(' AND ')}
    WHERE (${list(cols, 'e.')}) IS DISTINCT FROM (${list(cols, 'r.')})`;
}

/** Rewrites the whole rollup from the site rows (reconcile, after drift was found). */
export function rebuildRollupSql(a: AggregateSpec): string[] {
  return [
    `DELETE FROM ${q(a.roll)}`,
    `INSERT INTO ${q(a.roll)} ("organizationId", ${list(a.rollKeys)}, ${list(a.sums)})
     SELECT "organizationId", ${list(a.rollKeys)}, ${list(a.sums)} FROM (${expectedRollupSql(a)}) e`,
  ];
}
