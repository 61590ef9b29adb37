import type { JobOptions } from 'bull';

export const PROBE_JOBS = { site: 'probe-site', due: 'probe-due' } as const;
export const PROBE_CONCURRENCY = 8;
export const PROBE_MAX_REDIRECTS = 5;

/** A probe is cheap to redo: few attempts, and nothing kept, so the same jobId can be queued again later. */
export const PROBE_JOB_OPTIONS: JobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: true,
  removeOnFail: true,
};

export const probeJobId = (siteId: number) => `probe-site:${siteId}`;
export interface ProbeSiteJob {
  siteId: number;
}
