import { badInput } from '../errors/domain-error.js';

/** The dates the API accepts anywhere (filters, expiresAt, publishedAt, cursors): years 1970-9999. */
export const MIN_DATE = new Date('1970-01-01T00:00:00.000Z');
export const MAX_DATE = new Date('9999-12-31T23:59:59.999Z');

// An ISO 8601 date-time with a four-digit year and an explicit offset (no "+275760-..." years).
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The Date of an ISO 8601 date-time within MIN_DATE..MAX_DATE, or null. */
export function boundedDate(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO.test(value)) return null;
  const date = new Date(value);
  const time = date.getTime();
  return Number.isNaN(time) || time < MIN_DATE.getTime() || time > MAX_DATE.getTime() ? null : date;
}

export const dateRangeMessage = 'must be an ISO 8601 date-time (e.g. 2026-01-31T12:00:00Z) between the years 1970 and 9999';

/** boundedDate() or BAD_USER_INPUT naming the field. */
export function requireBoundedDate(value: unknown, field: string): Date {
  const date = boundedDate(value);
  if (!date) throw badInput(`${field} ${dateRangeMessage}`, { field });
  return date;
}
