import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../common/errors/error-codes.js';

// Apollo's own codes for requests that never reached a resolver: all are the client's mistake.
const CLIENT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE']);
const KNOWN = new Set<string>(Object.values(ErrorCode));

/**
 * Last stop for every GraphQL error: client mistakes become BAD_USER_INPUT (the original code
 * kept as `reason`), codes we did not set become INTERNAL_SERVER_ERROR with a generic message,
 * and no stack trace leaves the server.
 */
export function formatGqlError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? '');
  const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
  if (CLIENT_CODES.has(code)) {
    return { ...formatted, extensions: { ...extensions, code: ErrorCode.BAD_USER_INPUT, reason: code } };
  }
  if (KNOWN.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) return { ...formatted, extensions };
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
