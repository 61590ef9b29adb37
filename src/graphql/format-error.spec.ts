import type { GraphQLFormattedError } from 'graphql';
import { formatGqlError } from './format-error.js';

const err = (code: string | undefined, message = 'original message'): GraphQLFormattedError => ({
  message,
  locations: [{ line: 1, column: 3 }],
  path: ['field'],
  extensions: { ...(code ? { code } : {}), stacktrace: ['Error: x', '    at secret.ts:1:1'] },
});

describe('formatGqlError', () => {
  it.each(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE'])(
    "turns Apollo's %s into BAD_USER_INPUT, keeping the message and the reason",
    (code) => {
      const f = formatGqlError(err(code, 'Syntax Error: Expected Name'));
      expect(f.message).toBe('Syntax Error: Expected Name');
      expect(f.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: code });
    },
  );

  it.each(['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'CONFLICT', 'RATE_LIMITED'])('keeps our own %s as it is, without the stack', (code) => {
    const f = formatGqlError({ ...err(code, 'Site 3 not found'), extensions: { code, details: { id: 3 }, stacktrace: ['x'] } });
    expect(f).toEqual({ message: 'Site 3 not found', locations: [{ line: 1, column: 3 }], path: ['field'], extensions: { code, details: { id: 3 } } });
  });

  it.each([undefined, 'INTERNAL_SERVER_ERROR', 'SOMETHING_ELSE'])('hides the message of an error coded %s', (code) => {
    const f = formatGqlError(err(code, 'relation "User" does not exist'));
    expect(f).toEqual({ message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['field'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('never lets a stack trace out', () => {
    for (const code of ['BAD_USER_INPUT', 'NOT_FOUND', undefined]) {
      expect(JSON.stringify(formatGqlError(err(code)))).not.toMatch(/stacktrace|secret\.ts/);
    }
  });
});
