import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../common/errors/error-codes.js';

// Apollo's own codes for requests that never reached a resolver: all are the client's mistake.
const CLIENT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE']);
const KNOWN = new Set<string>(Object.values(ErrorCode));

/**
 * Apollo re-labels every validation and parse error (GRAPHQL_VALIDATION_FAILED, ..._PARSE_FAILED):
 * the query-limit rule's own code is on the original error, the parser's token limit only in its message.
 */
function queryLimitError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | null {
  const { stacktrace: _stack, reason: _reason, ...extensions } = formatted.extensions ?? {};
  const original = (error as { originalError?: { extensions?: Record<string, unknown> } } | undefined)?.originalError;
  if (original?.extensions?.code === ErrorCode.QUERY_TOO_COMPLEX) {
    return { ...formatted, extensions: { ...extensions, code: ErrorCode.QUERY_TOO_COMPLEX } };
  }
  const tokens = formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && /Document contains more th(?:an|at) (\d+) tokens/.exec(formatted.message);
  if (!tokens) return null;
  const max = Number(tokens[1]);
  return {
    message: `The query document has more than ${max} tokens; send large inputs as variables`,
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, details: { max } },
  };
}

/**
 * Last stop for every GraphQL error: client mistakes become BAD_USER_INPUT (the original code
 * kept as `reason`), codes we did not set become INTERNAL_SERVER_ERROR with a generic message,
 * and no stack trace leaves the server.
 */
export function formatGqlError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  const limit = queryLimitError(formatted, error);
  if (limit) return limit;
  const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
  const code = String(formatted.extensions?.code ?? '');
  if (CLIENT_CODES.has(code)) {
    return { ...formatted, extensions: { ...extensions, code: ErrorCode.BAD_USER_INPUT, reason: code } };
  }
  if (KNOWN.has(code) && (code as ErrorCode) !== ErrorCode.INTERNAL_SERVER_ERROR) return { ...formatted, extensions };
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
