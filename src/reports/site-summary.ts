import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { SqlPool } from '../db/sql-pool.js';
import type { FindingStatus, VulnLevel } from '../generated/prisma/enums.js';
import { StatsQueryService } from '../stats/stats-query.service.js';
import { LEVELS, STATUSES } from './labels.js';

/** Findings of one site by level and status (trash excluded). */
export type SiteFindingCounts = Record<VulnLevel, Record<FindingStatus, number>>;

export interface SiteSummary {
  counts: SiteFindingCounts;
  /** The oldest change to the site the statistics have not counted yet (null: they are current). */
  pendingSince: Date | null;
}

export const zeroCounts = (): SiteFindingCounts =>
  Object.fromEntries(LEVELS.map((l) => [l, Object.fromEntries(STATUSES.map((s) => [s, 0]))])) as SiteFindingCounts;

/**
 * The caller a queued report reads the statistics as: a member of the report's organisation
 * (the worker has no signed-in caller; the report was requested by someone who could see the site).
 */
export const organizationReader = (organizationId: number): Principal => ({
  kind: 'user',
  id: 0,
  username: 'reports',
  role: 'USER',
  organizationId,
  sessionId: null,
});

/**
 * The report's summary numbers, from the statistics aggregates (issue #9): the same query as
 * GraphQL's vulnTotals with a siteId filter, which reads the site's own StatSiteCount rows. The
 * aggregates trail the findings by a few seconds (statsLag); when the site has changes not yet
 * counted the report says so.
 */
@Injectable()
export class SiteSummaryService {
  constructor(
    private readonly stats: StatsQueryService,
    private readonly sql: SqlPool,
  ) {}

  async summary(principal: Principal, siteId: number): Promise<SiteSummary> {
    const counts = zeroCounts();
    for (const t of await this.stats.totals(principal, { siteId })) counts[t.level][t.status] = t.count;
    const [pending] = await this.sql.rows<{ seconds: number | null }>(
      `SELECT extract(epoch FROM LOCALTIMESTAMP - min("markedAt"))::float8 AS seconds FROM "StatDirtySite" WHERE "siteId" = $1`,
      [siteId],
    );
    const seconds = pending?.seconds;
    return { counts, pendingSince: seconds == null ? null : new Date(Date.now() - Math.max(0, seconds) * 1000) };
  }
}
