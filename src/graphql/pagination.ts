import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Type } from '@nestjs/common';
import { badInput } from '../common/errors/domain-error.js';

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
  after?: string;
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

export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length) return values;
  } catch {
    // fall through
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
export function afterIdDesc(after: string | undefined): { id?: { lt: number } } {
  if (!after) return {};
  const [id] = decodeCursor(after, 1);
  if (typeof id !== 'number' || !Number.isInteger(id)) throw badInput('Invalid cursor', { field: 'after' });
  return { id: { lt: id } };
}
