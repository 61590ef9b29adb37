import type { Env } from '../../config/env.schema.js';

/** The expensive operations, each with its own counters and limits (env RATE_LIMIT_<CLASS>[_PER_IP]). */
export const RATE_LIMIT_CLASSES = {
  export: { perCaller: 'RATE_LIMIT_EXPORT', perIp: 'RATE_LIMIT_EXPORT_PER_IP', what: 'exports' },
  report: { perCaller: 'RATE_LIMIT_REPORT', perIp: 'RATE_LIMIT_REPORT_PER_IP', what: 'report requests' },
  ingest: { perCaller: 'RATE_LIMIT_INGEST', perIp: 'RATE_LIMIT_INGEST_PER_IP', what: 'ingestion calls' },
} as const satisfies Record<string, { perCaller: keyof Env; perIp: keyof Env; what: string }>;

export type RateLimitClass = keyof typeof RATE_LIMIT_CLASSES;

export const RATE_LIMIT_CLASS = 'xsc:rateLimitClass';
