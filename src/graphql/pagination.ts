import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Type } from '@nestjs/common';
import { badInput } from '../common/errors/domain-error.js';
import { boundedDate } from '../common/validation/bounded-date.js';
import { isCleanText } from '../common/validation/clean-text.js';

export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: `Page size, 1-${MAX_PAGE_SIZE}` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge already seen' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  after?: string | null; // null, as Relay clients send on the first page, means the start
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** A Relay connection type for `T` (`SiteConnection`, `VulnConnection`...). */
export function Paginated<T>(classRef: Type<T>): Type<Connection<T>> {
  @ObjectType(`${classRef.name}Edge`)
  abstract class Edge {
    @Field() cursor: string;
    @Field(() => classRef) node: T;
  }

  @ObjectType({ isAbstract: true })
  abstract class PaginatedType implements Connection<T> {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => [classRef]) nodes: T[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int) totalCount: number;
  }
  return PaginatedType as unknown as Type<Connection<T>>;
}

/** Keyset cursors: the sort values of the last row, opaque to clients. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** What a cursor position holds: an id or int (PostgreSQL int4), text, a date; `?` allows null. */
export type CursorPart = 'id' | 'int' | 'text' | 'date' | 'int?' | 'text?' | 'date?';
type PartValue<P extends CursorPart> = P extends 'id' | 'int' ? number : P extends 'text' ? string : P extends 'date' ? Date
  : P extends 'int?' ? number | null : P extends 'text?' ? string | null : Date | null;

const INT4_MAX = 2_147_483_647;

function part(value: unknown, kind: CursorPart): unknown {
  if (value === null) return kind.endsWith('?') ? null : undefined;
  switch (kind.replace('?', '')) {
    case 'id':
      return Number.isInteger(value) && (value as number) > 0 && (value as number) <= INT4_MAX ? value : undefined;
    case 'int':
      return Number.isInteger(value) && Math.abs(value as number) <= INT4_MAX ? value : undefined;
    case 'text':
      return typeof value === 'string' && value.length <= 1000 && isCleanText(value) ? value : undefined;
    default:
      return boundedDate(value) ?? undefined;
  }
}

/**
 * The one cursor decoder: a base64url JSON array of exactly `parts.length` values, each of its
 * kind and in range (ids and ints fit int4, dates are ISO in 1970-9999, text is well-formed).
 * Anything else is BAD_USER_INPUT "Invalid cursor", never an error further down.
 */
export function decodeCursor<const P extends readonly CursorPart[]>(cursor: string, parts: P): { [K in keyof P]: PartValue<P[K]> } {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  if (Array.isArray(values) && values.length === parts.length) {
    const decoded = values.map((v, i) => part(v, parts[i]));
    if (!decoded.includes(undefined)) return decoded as { [K in keyof P]: PartValue<P[K]> };
  }
  throw badInput('Invalid cursor', { field: 'after' });
}

/**
 * Builds a connection from `first + 1` rows fetched after the cursor, in a stable order;
 * `cursorOf` returns the row's sort values (ending with its unique id).
 */
export function toConnection<T>(rows: T[], first: number, totalCount: number, cursorOf: (row: T) => unknown[]): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(cursorOf(node)) }));
  return {
    edges,
    nodes: page,
    totalCount,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** Prisma `where` for "after this id" when a list is ordered by id descending. */
export function afterIdDesc(after: string | null | undefined): { id?: { lt: number } } {
  if (!after) return {};
  const [id] = decodeCursor(after, ['id']);
  return { id: { lt: id } };
}
