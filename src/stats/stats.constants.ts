export const DRAIN_EVERY_MS = 1000;
