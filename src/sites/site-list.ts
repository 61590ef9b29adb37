import { decodeCursor } from '../graphql/pagination.js';
import { badInput } from '../common/errors/domain-error.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { SiteFilter, SiteSort } from './inputs/site.input.js';
import { SiteSortField, SortDirection } from './models/enums.js';
import { likeLiteral } from './site-access.js';

type SortColumn = 'id' | 'name' | 'url' | 'lastProbedAt' | 'securityScore';

const COLUMNS: Record<SiteSortField, { column: SortColumn; nullable: boolean; date?: boolean }> = {
  ID: { column: 'id', nullable: false },
  NAME: { column: 'name', nullable: false },
  URL: { column: 'url', nullable: false },
  LAST_PROBED_AT: { column: 'lastProbedAt', nullable: true, date: true },
  SECURITY_SCORE: { column: 'securityScore', nullable: true },
};

/** A province code (`130000`) matches its cities (`1301xx`); a city code matches itself. */
export function areaPrefix(code: string): string {
  return code.replace(/(00)+$/, '') || code;
}

/** The Prisma filter for a site list (the organisation scope is added by the caller). */
export function siteWhere(filter: SiteFilter | undefined): Prisma.SiteWhereInput {
  if (!filter) return {};
  const and: Prisma.SiteWhereInput[] = [];
  const text = filter.text?.trim();
  if (text) {
    const contains = likeLiteral(text);
    and.push({ OR: [{ name: { contains, mode: 'insensitive' } }, { url: { contains, mode: 'insensitive' } }] });
  }
  if (filter.areaCode) and.push({ areaCode: { startsWith: areaPrefix(filter.areaCode) } });
  if (filter.organizationId !== undefined) and.push({ organizationId: filter.organizationId });
  if (filter.tagIds?.length) and.push({ tags: { some: { tagId: { in: filter.tagIds } } } });
  if (filter.liveness?.length) and.push({ liveness: { in: filter.liveness } });
  if (filter.riskLevels?.length) and.push({ riskLevel: { in: filter.riskLevels } });
  return and.length ? { AND: and } : {};
}

export interface SiteOrder {
  orderBy: Prisma.SiteOrderByWithRelationInput[];
  /** The keyset condition for rows after `cursor`, or {} without one. */
  after(cursor: string | undefined): Prisma.SiteWhereInput;
  cursorOf(row: { id: number; name: string; url: string; lastProbedAt: Date | null; securityScore: number | null }): unknown[];
}

/** Stable keyset ordering: the sort column (nulls last), then id in the same direction. */
export function siteOrder(sort: SiteSort | undefined): SiteOrder {
  const field = sort?.field ?? SiteSortField.ID;
  const dir = (sort?.direction ?? SortDirection.DESC) === SortDirection.ASC ? 'asc' : 'desc';
  const cmp = dir === 'asc' ? 'gt' : 'lt';
  const { column, nullable, date } = COLUMNS[field];
  if (column === 'id') {
    return {
      orderBy: [{ id: dir }],
      after: (cursor) => (cursor ? { id: { [cmp]: idOf(decodeCursor(cursor, 1)[0]) } } : {}),
      cursorOf: (row) => [row.id],
    };
  }
  return {
    orderBy: [nullable ? { [column]: { sort: dir, nulls: 'last' } } : { [column]: dir }, { id: dir }],
    after(cursor) {
      if (!cursor) return {};
      const [raw, rawId] = decodeCursor(cursor, 2);
      const id = idOf(rawId);
      if (raw === null) {
        if (!nullable) throw badInput('Invalid cursor', { field: 'after' });
        return { [column]: null, id: { [cmp]: id } };
      }
      const value = valueOf(raw, date ? 'date' : column === 'securityScore' ? 'int' : 'string');
      return {
        OR: [
          { [column]: { [cmp]: value } },
          { [column]: value, id: { [cmp]: id } },
          ...(nullable ? [{ [column]: null }] : []),
        ],
      };
    },
    cursorOf: (row) => {
      const v = row[column];
      return [v instanceof Date ? v.toISOString() : v, row.id];
    },
  };
}

function idOf(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw badInput('Invalid cursor', { field: 'after' });
  return v;
}

function valueOf(v: unknown, kind: 'date' | 'int' | 'string'): Date | number | string {
  if (kind === 'string' && typeof v === 'string') return v;
  if (kind === 'int' && typeof v === 'number' && Number.isInteger(v)) return v;
  if (kind === 'date' && typeof v === 'string' && !Number.isNaN(Date.parse(v))) return new Date(v);
  throw badInput('Invalid cursor', { field: 'after' });
}
