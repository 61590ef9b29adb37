/** Jobs of the `stats` queue. */
export const STATS_JOBS = {
  /** Recomputes the sites marked dirty (repeatable; debounced, see StatsWriter.drain). */
  drain: 'drain',
  /** Recomputes everything from the source rows and repairs drift (repeatable on STATS_RECONCILE_CRON, and on demand). */
  reconcile: 'reconcile',
} as const;

export const DRAIN_EVERY_MS = 1000;