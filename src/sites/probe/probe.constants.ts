export const PROBE_CONCURRENCY = 8;
export const PROBE_MAX_REDIRECTS = 5;

export const probeJobId = (siteId: number) => `probe-site:${siteId}`;
export interface ProbeSiteJob {
  siteId: number;
}
