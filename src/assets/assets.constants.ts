/** How often dirty asset statistics are rebuilt (their lag is about this plus the rebuild). */
export const STATS_EVERY_MS = 2000;
/** An organisation being written to is rebuilt once its writes pause for quietMs, or at the latest after maxLagMs. */
export const STATS_SETTLE = { quietMs: 1500, maxLagMs: 15_000 };

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
