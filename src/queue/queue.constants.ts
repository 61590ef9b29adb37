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
