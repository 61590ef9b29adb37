import { Injectable, Logger } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { AGGREGATES, dropEmptyRollupsSql, rebuildRollupSql, replaceSitesSql, rollupDriftSql, siteDriftSql } from './aggregates.js';
import { UPDATE_SCORES_SQL } from '../sites/score.js';

type Tx = Prisma.TransactionClient;

/** Serialises every writer of the aggregates (worker drains, reconcile), across processes. */
const STATS_LOCK = 7_303_010_901;
/** Sites recomputed per statement. */
const DRAIN_CHUNK = 200;
/** Debounce of the drain: quiet period, and the most a change waits (the lag bound, plus the work). */
export const SETTLE_SECONDS = 2;
export const MAX_WAIT_SECONDS = 30;

export interface ReconcileReport {
  sitesChecked: number;
  sitesRepaired: number;
  siteRowsRepaired: number;
  rollupRowsRepaired: number;
  scoresRepaired: number;
  durationMs: number;
}

/** Recomputes aggregates from the source rows: dirty sites (drain) or everything (reconcile). */
@Injectable()
export class StatsWriterService {
  private readonly log = new Logger(StatsWriterService.name);

  constructor(private readonly prisma: PrismaService) {}

  /**
   * Recomputes the sites marked dirty, oldest first, a chunk per transaction, until none is left
   * or `budgetMs` has passed. Returns how many site recomputations were done (0 when another
   * process holds the lock: it is draining already).
   */
  async drain(budgetMs = 10_000): Promise<number> {
    const end = Date.now() + budgetMs;
    let total = 0;
    while (Date.now() < end) {
      const n = await this.tx(async (tx) => {
        if (!(await this.tryLock(tx))) return -1;
        // Debounced: a site is taken once its changes have paused for SETTLE_SECONDS, or its
        // oldest change waited MAX_WAIT_SECONDS (so a burst of batches costs one recompute, and
        // sustained ingestion still bounds the lag).
        const claimed = await tx.$queryRawUnsafe<{ siteId: number }[]>(
          `DELETE FROM "StatDirtySite" WHERE "siteId" IN (
             SELECT "siteId" FROM "StatDirtySite" GROUP BY "siteId"
             HAVING max("markedAt") < LOCALTIMESTAMP - interval '${SETTLE_SECONDS} seconds'
                 OR min("markedAt") < LOCALTIMESTAMP - interval '${MAX_WAIT_SECONDS} seconds'
             ORDER BY min("markedAt") LIMIT ${DRAIN_CHUNK * 10})
           RETURNING "siteId"`,
        );
        const ids = [...new Set(claimed.map((r) => r.siteId))];
        await this.recompute(tx, ids);
        return ids.length;
      });
      if (n <= 0) break;
      total += n;
    }
    if (total) this.log.debug(`stats: ${total} sites recomputed`);
    return total;
  }

  /**
   * Recomputes every site from the source rows and compares: sites whose rows differ are
   * recomputed (which also corrects their share of the rollups), then rollups that still differ
   * from the sums of the site rows are rebuilt, then scores. Returns what was repaired.
   */
  async reconcile(): Promise<ReconcileReport> {
    const started = Date.now();
    const report = await this.tx(async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${STATS_LOCK})`);
      const ids = (
        await tx.$queryRawUnsafe<{ id: number }[]>(
          `SELECT id FROM "Site" UNION ${AGGREGATES.map((a) => `SELECT DISTINCT "siteId" FROM "${a.site}"`).join(' UNION ')}`,
        )
      ).map((r) => r.id);
      const drifted = new Set<number>();
      let siteRowsRepaired = 0;
      for (const a of AGGREGATES) {
        for (const r of await tx.$queryRawUnsafe<{ siteId: number; rows: number }[]>(siteDriftSql(a), ids)) {
          drifted.add(r.siteId);
          siteRowsRepaired += r.rows;
        }
      }
      await this.recompute(tx, [...drifted]);
      let rollupRowsRepaired = 0;
      for (const a of AGGREGATES) {
        const [{ rows }] = await tx.$queryRawUnsafe<{ rows: number }[]>(rollupDriftSql(a));
        if (!rows) continue;
        rollupRowsRepaired += rows;
        for (const sql of rebuildRollupSql(a)) await tx.$executeRawUnsafe(sql);
      }
      const scores = await tx.$queryRawUnsafe<{ id: number }[]>(UPDATE_SCORES_SQL, ids);
      return {
        sitesChecked: ids.length,
        sitesRepaired: drifted.size,
        siteRowsRepaired,
        rollupRowsRepaired,
        scoresRepaired: scores.length,
      };
    }, 600_000);
    const result = { ...report, durationMs: Date.now() - started };
    if (report.sitesRepaired || report.rollupRowsRepaired || report.scoresRepaired) this.log.warn(`stats reconcile repaired drift: ${JSON.stringify(result)}`);
    return result;
  }

  /** Replaces the sites' rows of every aggregate, adjusts the rollups, updates the scores. */
  private async recompute(tx: Tx, siteIds: number[]): Promise<void> {
    if (!siteIds.length) return;
    siteIds.sort((a, b) => a - b);
    for (let i = 0; i < siteIds.length; i += DRAIN_CHUNK) {
      const chunk = siteIds.slice(i, i + DRAIN_CHUNK);
      for (const a of AGGREGATES) await tx.$executeRawUnsafe(replaceSitesSql(a), chunk);
      await tx.$executeRawUnsafe(UPDATE_SCORES_SQL, chunk);
    }
    for (const a of AGGREGATES) await tx.$executeRawUnsafe(dropEmptyRollupsSql(a));
  }

  private async tryLock(tx: Tx): Promise<boolean> {
    const [r] = await tx.$queryRawUnsafe<{ ok: boolean }[]>(`SELECT pg_try_advisory_xact_lock(${STATS_LOCK}) AS ok`);
    return r.ok;
  }

  private tx<T>(fn: (tx: Tx) => Promise<T>, timeout = 120_000): Promise<T> {
    return this.prisma.$transaction(fn, { timeout, maxWait: 10_000 });
  }
}
