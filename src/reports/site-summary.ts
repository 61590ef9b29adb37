import type pg from 'pg';
import type { FindingStatus, VulnLevel } from '../generated/prisma/enums.js';

/** Findings of one site by level and status (trash excluded). */
export type SiteFindingCounts = Record<VulnLevel, Record<FindingStatus, number>>;

/**
 * The report's summary numbers, from the site's source rows. The one place to point at the
 * statistics service once it keeps per-site aggregates.
 */
export async function siteFindingCounts(db: pg.Pool | pg.PoolClient, siteId: number): Promise<SiteFindingCounts> {
  const { rows } = await db.query<{ level: VulnLevel; status: FindingStatus; n: number }>(
    `SELECT level, status, count(*)::int AS n FROM "Finding"
     WHERE "siteId" = $1 AND "trashedAt" IS NULL GROUP BY level, status`,
    [siteId],
  );
  const zero = () => ({ OPEN: 0, FIXED: 0, IGNORED: 0, FALSE_POSITIVE: 0 });
  const counts: SiteFindingCounts = { CRITICAL: zero(), HIGH: zero(), MEDIUM: zero(), LOW: zero(), INFO: zero() };
  for (const r of rows) counts[r.level][r.status] = r.n;
  return counts;
}
