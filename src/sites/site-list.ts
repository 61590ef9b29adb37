import { Prisma, type Site } from '../generated/prisma/client.js';
import { decodeCursor } from '../graphql/pagination.js';
import type { SiteFilter, SiteSort } from './inputs/site.input.js';
import { SiteSortField, SortDirection } from './models/enums.js';
import { likeContains } from '../common/text/like.js';

/**
 * The site list as one SQL statement (page and total in a single round trip): the list is the
 * hottest query of the product, and this keeps it to one plan and one network exchange.
 * Every value is a bind parameter; identifiers come from the fixed maps below.
 */

type Kind = 'int' | 'text' | 'date';
const COLUMNS: Record<SiteSortField, { column: keyof Site; nullable: boolean; kind: Kind }> = {
  ID: { column: 'id', nullable: false, kind: 'int' },
  NAME: { column: 'name', nullable: false, kind: 'text' },
  URL: { column: 'url', nullable: false, kind: 'text' },
  LAST_PROBED_AT: { column: 'lastProbedAt', nullable: true, kind: 'date' },
  SECURITY_SCORE: { column: 'securityScore', nullable: true, kind: 'int' },
};

/** A province code (`130000`) matches its cities (`1301xx`); a city code matches itself. */
export function areaPrefix(code: string): string {
  return code.replace(/(00)+$/, '') || code;
}

/** WHERE conditions on `s` ("Site") for a filter and an organisation scope (null = every organisation). */
export function siteFilterSql(filter: SiteFilter | undefined, scopeOrgId: number | null): Prisma.Sql {
  const conds: Prisma.Sql[] = [];
  if (scopeOrgId !== null) conds.push(Prisma.sql`s."organizationId" = ${scopeOrgId}::int`);
  if (filter?.organizationId !== undefined) conds.push(Prisma.sql`s."organizationId" = ${filter.organizationId}::int`);
  const text = filter?.text?.trim();
  if (text) {
    const pattern = likeContains(text);
    conds.push(Prisma.sql`(s."name" ILIKE ${pattern} OR s."url" ILIKE ${pattern})`);
  }
  if (filter?.areaCode) conds.push(Prisma.sql`s."areaCode" LIKE ${`${areaPrefix(filter.areaCode)}%`}`);
  if (filter?.tagIds?.length) {
    conds.push(Prisma.sql`EXISTS (SELECT 1 FROM "SiteTag" st WHERE st."siteId" = s."id" AND st."tagId" = ANY(${filter.tagIds}::int[]))`);
  }
  if (filter?.liveness?.length) conds.push(Prisma.sql`s."liveness" = ANY(${filter.liveness}::"Liveness"[])`);
  if (filter?.riskLevels?.length) conds.push(Prisma.sql`s."riskLevel" = ANY(${filter.riskLevels}::"RiskLevel"[])`);
  return conds.length ? Prisma.join(conds, ' AND ') : Prisma.sql`TRUE`;
}

export interface SiteOrder {
  orderBy: Prisma.Sql;
  /** The keyset condition for rows after `cursor` (TRUE without one). */
  after(cursor: string | null | undefined): Prisma.Sql;
  cursorOf: (row: Site) => unknown[];
}

/** Stable keyset ordering: the sort column (nulls last), then id in the same direction. */
export function siteOrder(sort: SiteSort | undefined): SiteOrder {
  const { column, nullable, kind } = COLUMNS[sort?.field ?? SiteSortField.ID];
  const asc = (sort?.direction ?? SortDirection.DESC) === SortDirection.ASC;
  const dir = Prisma.raw(asc ? 'ASC' : 'DESC');
  const cmp = Prisma.raw(asc ? '>' : '<');
  const col = Prisma.raw(`s."${column}"`);
  if (column === 'id') {
    return {
      orderBy: Prisma.sql`s."id" ${dir}`,
      after: (cursor) => (cursor ? Prisma.sql`s."id" ${cmp} ${decodeCursor(cursor, ['id'])[0]}::int` : Prisma.sql`TRUE`),
      cursorOf: (row) => [row.id],
    };
  }
  return {
    orderBy: nullable ? Prisma.sql`${col} ${dir} NULLS LAST, s."id" ${dir}` : Prisma.sql`${col} ${dir}, s."id" ${dir}`,
    after(cursor) {
      if (!cursor) return Prisma.sql`TRUE`;
      const [raw, id] = decodeCursor(cursor, [`${kind}${nullable ? '?' : ''}`, 'id'] as const);
      if (raw === null) return Prisma.sql`(${col} IS NULL AND s."id" ${cmp} ${id}::int)`;
      const value = typedValue(raw);
      const tail = nullable ? Prisma.sql` OR ${col} IS NULL` : Prisma.empty;
      return Prisma.sql`(${col} ${cmp} ${value} OR (${col} = ${value} AND s."id" ${cmp} ${id}::int)${tail})`;
    },
    cursorOf: (row) => {
      const v = row[column];
      return [v instanceof Date ? v.toISOString() : v, row.id];
    },
  };
}

/** A decoded cursor value (decodeCursor checked its kind) as a typed bind parameter. */
function typedValue(v: number | string | Date): Prisma.Sql {
  // Prisma stores DateTime as UTC in "timestamp without time zone": the ISO string's Z is dropped by the cast.
  if (v instanceof Date) return Prisma.sql`${v.toISOString()}::timestamp`;
  return typeof v === 'string' ? Prisma.sql`${v}::text` : Prisma.sql`${v}::int`;
}
