import { HttpException } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { DomainError } from './domain-error.js';
import { ErrorCode } from './error-codes.js';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.BAD_USER_INPUT,
  422: ErrorCode.BAD_USER_INPUT,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

function httpMessage(e: HttpException): string {
  const body = e.getResponse();
  if (typeof body === 'string') return body;
  const msg = (body as { message?: unknown }).message;
  if (Array.isArray(msg)) return msg.join('; ');
  return typeof msg === 'string' ? msg : e.message;
}

/** The columns of a violated unique constraint: `meta.target` (native engine) or the driver adapter's cause. */
function uniqueFields(meta: Record<string, unknown> | undefined): string[] {
  const adapter = meta?.driverAdapterError as { cause?: { constraint?: { fields?: unknown } } } | undefined;
  const fields = meta?.target ?? adapter?.cause?.constraint?.fields;
  return [fields].flat().filter((f): f is string => typeof f === 'string');
}

/** What a duplicate is, in the user's words (never a model or column name), by model and then by field. */
const DUPLICATES: Record<string, string | Record<string, string>> = {
  Organization: 'An organisation with this name already exists',
  User: {
    username: 'This username is already registered',
    phone: 'This phone number is already registered',
    email: 'This email address is already registered',
    externalId: 'This partner account is already linked to a user',
  },
  Site: 'This site already exists in this organisation',
  Tag: 'A tag with this name already exists in this organisation',
  RelatedDomain: 'This related domain is already listed for the site',
  NewsCategory: 'A news category with this name already exists',
  QuestionnaireVersion: 'This questionnaire version already exists',
  IngestBatch: 'This idempotency key was already used',
};

function duplicateMessage(model: string, fields: string[]): string {
  const entry = DUPLICATES[model];
  if (typeof entry === 'string') return entry;
  const byField = entry && fields.map((f) => entry[f]).find(Boolean);
  return byField ?? 'This already exists';
}

/** SQLSTATEs that mean a value sent by the client does not fit its column (not server faults like 22012, division by zero). */
const INPUT_DATA_STATES = new Set(['22001', '22003', '22007', '22008', '22021', '22026', '22P02', '22P05']);

/**
 * PostgreSQL's SQLSTATE behind a driver-adapter error: wrapped by Prisma (raw queries: P2010) or
 * thrown bare (a NUL byte in a string on create).
 */
function sqlState(e: unknown): string | undefined {
  const err = e as { name?: string; cause?: { originalCode?: unknown }; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  const code = err?.meta?.driverAdapterError?.cause?.originalCode ?? (err?.name === 'DriverAdapterError' ? err.cause?.originalCode : undefined);
  return typeof code === 'string' ? code : undefined;
}

/**
 * Maps anything thrown to a DomainError, or to null when it is an internal fault whose
 * message must not reach the client (it is logged instead).
 */
export function toDomainError(e: unknown): DomainError | null {
  if (e instanceof DomainError) return e;
  if (e instanceof HttpException) {
    const code = STATUS_CODES[e.getStatus()];
    return code ? new DomainError(code, httpMessage(e)) : null;
  }
  if (e instanceof Prisma.PrismaClientKnownRequestError) {
    if (e.code === 'P2002') {
      const fields = uniqueFields(e.meta);
      const message = duplicateMessage(typeof e.meta?.modelName === 'string' ? e.meta.modelName : '', fields);
      return new DomainError(ErrorCode.CONFLICT, message, fields.length ? { fields } : undefined);
    }
    if (e.code === 'P2025') return new DomainError(ErrorCode.NOT_FOUND, 'Not found');
    if (e.code === 'P2020') return new DomainError(ErrorCode.BAD_USER_INPUT, 'A value is out of range for its field');
    if (e.code === 'P2003') return new DomainError(ErrorCode.CONFLICT, 'Other items still refer to it; remove them first');
    if (e.code === 'P2000') return new DomainError(ErrorCode.BAD_USER_INPUT, 'A value is too long for its field');
  }
  const state = sqlState(e);
  if (state && INPUT_DATA_STATES.has(state)) return new DomainError(ErrorCode.BAD_USER_INPUT, 'A value is not valid for its field (out of range, too long or malformed)');
  if (state === '23505') return new DomainError(ErrorCode.CONFLICT, 'Already exists');
  const status = (e as { statusCode?: unknown })?.statusCode; // Fastify errors (bad JSON, body limit)
  if (typeof status === 'number' && STATUS_CODES[status]) {
    return new DomainError(STATUS_CODES[status], (e as Error).message);
  }
  return null;
}
