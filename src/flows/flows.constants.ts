/** Records per syncFlow call. */
export const MAX_SYNC_RECORDS = 10_000;
/** Rejections stored per batch (the count is always exact). */
export const MAX_STORED_REJECTIONS = 1000;
/** A record may end at most this far past the server's clock (sensor clock skew). */
export const MAX_FUTURE_MS = 60 * 60 * 1000;
/** Longest NDJSON line accepted (a record is a few hundred bytes). */
export const MAX_LINE_BYTES = 64 * 1024;
/** One hour in milliseconds: the grain of the hourly aggregates and of the source sets. */
export const HOUR_MS = 3_600_000;
