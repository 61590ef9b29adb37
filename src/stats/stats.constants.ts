/** Jobs of the `stats` queue. */
export const STATS_JOBS = {
  /** Recomputes the sites marked dirty (repeatable; the worker's lag is at most about this period plus the work). */
  drain: 'drain',
  /** Recomputes everything from the source rows and repairs drift (repeatable on STATS_RECONCILE_CRON, and on demand). */
  reconcile: 'reconcile',
} as const;

export const DRAIN_EVERY_MS = 1000;