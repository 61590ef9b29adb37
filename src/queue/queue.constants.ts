import type { JobOptions } from 'bull';

/** Every queue's name in one place. */
export const QUEUES = {
  maintenance: 'maintenance',
  probe: 'probe',
  ingest: 'ingest',
  flows: 'flows',
  reports: 'reports',
  stats: 'stats',
  assets: 'assets',
  // Domain events for consumers to come (a notifier): producers never wait for them.
  events: 'events',
} as const;

/** Defaults for every job: retried with exponential backoff, kept briefly for inspection. */
export const DEFAULT_JOB_OPTIONS: JobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};

/** A probe is cheap to redo: few attempts, and nothing kept, so the same jobId can be queued again later. */
export const PROBE_JOB_OPTIONS: JobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: true,
  removeOnFail: true,
};

// Every job's name, by queue: each queue's consumer handles exactly these.

/** Jobs of the `maintenance` queue. */
export const PURGE_AUTH_JOB = 'auth.purge';

/** Jobs of the `probe` queue. */
export const PROBE_JOBS = { site: 'probe-site', due: 'probe-due' } as const;

/** Jobs of the `ingest` queue. `apply` jobs carry a batch id (and use it as job id). */
export const INGEST_JOBS = {
  apply: 'apply',
  sweep: 'sweep',
} as const;

/** Jobs of the `flows` queue. */
export const FLOW_JOBS = {
  maintain: 'maintain',
} as const;

/** Jobs of the `reports` queue. `generate` jobs carry a report id (and use it as job id). */
export const REPORT_JOBS = {
  generate: 'generate',
  cleanup: 'cleanup',
} as const;

/** Jobs of the `stats` queue. */
export const STATS_JOBS = {
  /** Recomputes the sites marked dirty (repeatable; debounced, see StatsWriterService.drain). */
  drain: 'drain',
  /** Recomputes everything from the source rows and repairs drift (repeatable on STATS_RECONCILE_CRON, and on demand). */
  reconcile: 'reconcile',
} as const;

/** Jobs of the `assets` queue. */
export const ASSET_JOBS = {
  relayEvents: 'relay-exposure-events',
  recomputeStats: 'recompute-stats',
} as const;

/** Domain events on the `events` queue (job name = event name, job id = event id). */
export const EVENT_JOBS = {
  exposureOpened: 'exposure.opened',
} as const;
