import { BadRequestException, ForbiddenException, HttpException, InternalServerErrorException, NotFoundException } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { DomainError, notFound } from './domain-error.js';
import { toDomainError } from './to-domain-error.js';

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
    [new HttpException('slow down', 429), 'TOO_MANY_REQUESTS', 'slow down'],
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
    expect(toDomainError(e)).toMatchObject({ code: 'CONFLICT', message: 'Organization with this name already exists', details: { fields: ['name'] } });
  });

  it('maps a unique violation with native-engine meta or none', () => {
    expect(toDomainError(prismaError('P2002', { modelName: 'Site', target: ['organizationId', 'url'] }))?.message).toBe(
      'Site with this organizationId and url already exists',
    );
    expect(toDomainError(prismaError('P2002'))?.message).toBe('A record with these values already exists');
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
