import { ErrorCode } from './error-codes.js';

/**
 * An error a service throws on purpose: its code and message reach the client as they are.
 * `details` carries machine-readable context (the offending field, a retry delay...);
 * `reasonCode` (sent as `extensions.reason`) refines the code for clients that act on it
 * (UNAUTHENTICATED + TOKEN_EXPIRED: refresh the token).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly reasonCode?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id?: unknown) =>
  new DomainError(ErrorCode.NOT_FOUND, id === undefined ? `${what} not found` : `${what} ${String(id)} not found`);
export const forbidden = (message = 'You are not allowed to do this') => new DomainError(ErrorCode.FORBIDDEN, message);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new DomainError(ErrorCode.CONFLICT, message, details);
export const badInput = (message: string, details?: Record<string, unknown>) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, details);
export const unauthenticated = (message = 'Authentication required', reason?: string) =>
  new DomainError(ErrorCode.UNAUTHENTICATED, message, undefined, reason);
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new DomainError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });
