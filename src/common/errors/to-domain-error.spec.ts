import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BadRequestException, ForbiddenException, HttpException, InternalServerErrorException, NotFoundException } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { DomainError, notFound } from './domain-error.js';
import { toDomainError } from './to-domain-error.js';

// Words that betray a database behind a message: tables, columns, constraints, camelCase identifiers, Prisma codes.
const DATABASE_WORDS = /\b(records?|rows?|columns?|tables?|constraints?|unique|violat\w*|foreign|P\d{4}|[a-z]+[A-Z]\w*)\b/;

/** Every unique constraint declared in prisma/schema/*.prisma: model and fields. */
function uniqueConstraints(): { model: string; fields: string[] }[] {
  const dir = path.resolve(import.meta.dirname, '../../../prisma/schema');
  const out: { model: string; fields: string[] }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.prisma'))) {
    let model = '';
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      model = /^model (\w+)/.exec(line)?.[1] ?? model;
      const field = /^\s+(\w+)\s.*@unique\b/.exec(line);
      if (field) out.push({ model, fields: [field[1]] });
      const compound = /@@unique\(\[([^\]]+)\]/.exec(line);
      if (compound) out.push({ model, fields: compound[1].split(',').map((f) => f.trim()) });
    }
  }
  return out;
}

/** The literal messages of every conflict(...) and DomainError(ErrorCode.CONFLICT, ...) in src/. */
function conflictMessages(): string[] {
  const src = path.resolve(import.meta.dirname, '../..');
  const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.startsWith('generated'));
  const call = /(?:\bconflict\(|ErrorCode\.CONFLICT,)\s*(['`"])((?:(?!\1).)*)\1/g;
  // template substitutions (`${task.status}`) are values, not words of the message
  return files.flatMap((f) => [...readFileSync(path.join(src, f), 'utf8').matchAll(call)].map((m) => m[2].replace(/\$\{[^}]*\}/g, '…')));
}

const prismaError = (code: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError('internal SQL detail', { code, clientVersion: '6.19.3', meta });

describe('toDomainError', () => {
  it('passes domain errors through untouched', () => {
    const e = notFound('Site', 7);
    expect(toDomainError(e)).toBe(e);
  });

  it.each([
    [new BadRequestException('bad'), 'BAD_USER_INPUT', 'bad'],
    [new BadRequestException(['a is wrong', 'b is wrong']), 'BAD_USER_INPUT', 'a is wrong; b is wrong'],
    [new ForbiddenException(), 'FORBIDDEN', 'Forbidden'],
    [new NotFoundException('gone'), 'NOT_FOUND', 'gone'],
    [new HttpException('slow down', 429), 'RATE_LIMITED', 'slow down'],
  ])('maps HTTP exception %s to its code', (e, code, message) => {
    expect(toDomainError(e)).toMatchObject({ code, message });
  });

  it('treats server-side HTTP exceptions and unknown statuses as internal', () => {
    expect(toDomainError(new InternalServerErrorException('db exploded'))).toBeNull();
    expect(toDomainError(new HttpException('teapot', 418))).toBeNull();
  });

  it('maps a unique violation to CONFLICT naming the fields (driver adapter meta)', () => {
    const e = prismaError('P2002', {
      modelName: 'Organization',
      driverAdapterError: { cause: { kind: 'UniqueConstraintViolation', constraint: { fields: ['name'] } } },
    });
    expect(toDomainError(e)).toMatchObject({ code: 'CONFLICT', message: 'An organisation with this name already exists', details: { fields: ['name'] } });
  });

  it('maps a unique violation with native-engine meta or none', () => {
    expect(toDomainError(prismaError('P2002', { modelName: 'Site', target: ['organizationId', 'url'] }))?.message).toBe(
      'This site already exists in this organisation',
    );
    expect(toDomainError(prismaError('P2002', { modelName: 'User', target: ['phone'] }))?.message).toBe('This phone number is already registered');
    expect(toDomainError(prismaError('P2002'))?.message).toBe('This already exists');
  });

  it('says what a duplicate is without database words, for every unique constraint of the schema', () => {
    const constraints = uniqueConstraints();
    expect(constraints.length).toBeGreaterThan(10);
    for (const { model, fields } of constraints) {
      const message = toDomainError(prismaError('P2002', { modelName: model, target: fields }))!.message;
      expect({ model, fields, message }).toEqual({ model, fields, message: expect.not.stringMatching(DATABASE_WORDS) });
      for (const f of fields) if (/[A-Z_]/.test(f)) expect(message).not.toContain(f);
    }
  });

  it('no CONFLICT message written in the code uses database words', () => {
    const messages = conflictMessages();
    expect(messages.length).toBeGreaterThan(10);
    for (const m of messages) expect(m).not.toMatch(DATABASE_WORDS);
  });

  it.each([
    ['P2025', 'NOT_FOUND'],
    ['P2003', 'CONFLICT'],
    ['P2000', 'BAD_USER_INPUT'],
  ])('maps Prisma %s to %s without its internal message', (code, mapped) => {
    const d = toDomainError(prismaError(code));
    expect(d?.code).toBe(mapped);
    expect(d?.message).not.toMatch(/SQL/);
  });

  it('maps a driver error for a value that does not fit its column to BAD_USER_INPUT, bare or wrapped', () => {
    const cause = (originalCode: string) => ({ originalCode, originalMessage: 'internal detail', kind: 'postgres' });
    const bare = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { name: 'DriverAdapterError', cause: cause('22021') });
    expect(toDomainError(bare)).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(toDomainError(prismaError('P2010', { driverAdapterError: { cause: cause('22003') } }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(toDomainError(prismaError('P2020', { driverAdapterError: { cause: cause('22003') } }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(toDomainError(prismaError('P2010', { driverAdapterError: { cause: cause('23505') } }))).toMatchObject({ code: 'CONFLICT' });
  });

  it('keeps server-side SQL faults internal', () => {
    const cause = (originalCode: string) => ({ originalCode, kind: 'postgres' });
    expect(toDomainError(prismaError('P2010', { driverAdapterError: { cause: cause('22012') } }))).toBeNull(); // division by zero
    expect(toDomainError(prismaError('P2010', { driverAdapterError: { cause: cause('42P01') } }))).toBeNull(); // missing table
  });

  it('treats other Prisma errors as internal', () => {
    expect(toDomainError(prismaError('P1001'))).toBeNull();
  });

  it('maps Fastify errors by their status code (bad JSON, body too large)', () => {
    const fastifyError = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });
    expect(toDomainError(fastifyError(400, 'Unexpected end of JSON input'))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(toDomainError(fastifyError(413, 'Request body is too large'))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(toDomainError(fastifyError(500, 'boom'))).toBeNull();
  });

  it.each([new Error('boom'), new TypeError('x is undefined'), 'a string', undefined, null, 42])('treats %p as internal', (e) => {
    expect(toDomainError(e)).toBeNull();
  });

  it('returns DomainError instances', () => {
    expect(toDomainError(new BadRequestException('x'))).toBeInstanceOf(DomainError);
  });
});
