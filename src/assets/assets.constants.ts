/** Jobs of the `assets` queue. */
export const ASSET_JOBS = {
  relayEvents: 'relay-exposure-events',
  recomputeStats: 'recompute-stats',
} as const;

/** How often dirty asset statistics are rebuilt (their lag is about this plus the rebuild). */
export const STATS_EVERY_MS = 2000;

/** Domain events on the `events` queue (job name = event name, job id = event id). */
export const EVENT_JOBS = {
  exposureOpened: 'exposure.opened',
} as const;

/** How often queued-but-unsent exposure events are relayed (the event lag is at most about this). */
export const RELAY_EVERY_MS = 5000;
/** Events relayed per transaction. */
export const RELAY_BATCH = 1000;

export interface ExposureOpenedEvent {
  exposureId: number;
  organizationId: number;
  assetId: number;
  ip: string;
  port: number;
  protocol: string;
  service: string | null;
  riskLevel: string;
  openedAt: string;
}
