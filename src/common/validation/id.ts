import { applyDecorators, Injectable, type PipeTransform } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { badInput } from '../errors/domain-error.js';

/** Largest id a PostgreSQL `integer` (SERIAL) column holds. */
export const MAX_ID = 2_147_483_647;

/**
 * For `@Args('id', { type: () => ID }, ParseIdPipe) id: number`: a positive integer id that fits
 * the database column, else BAD_USER_INPUT (ParseIntPipe lets "99999999999" through to Prisma,
 * which fails with an internal error).
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    const id = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(id) || id < 1 || id > MAX_ID) throw badInput(`Invalid id ${JSON.stringify(value)}`, { field: 'id' });
    return id;
  }
}

/** For an input class field declared `@Field(() => ID)`: converts and checks it like ParseIdPipe. */
export const IsId = () => applyDecorators(Type(() => Number), IsInt(), Min(1), Max(MAX_ID));
