import { notFound } from '../errors/domain-error.js';
import type { Principal } from './principal.js';

/**
 * The organisation filter for a caller: empty for administrators, the caller's organisation
 * for everyone else (a user without one sees nothing). Every list, count and statistic of
 * organisation-owned data goes through this, so they cannot disagree.
 */
export function orgScope(principal: Principal): { organizationId?: number } {
  if (principal.kind === 'user' && principal.role === 'ADMIN') return {};
  return { organizationId: principal.organizationId ?? -1 };
}

/** For raw SQL: the organisation id to filter on, or null for "all" (administrators). */
export function orgScopeId(principal: Principal): number | null {
  return orgScope(principal).organizationId ?? null;
}

/** Whether the caller may see data of `organizationId`. */
export function canSeeOrg(principal: Principal, organizationId: number | null): boolean {
  const scope = orgScope(principal);
  return scope.organizationId === undefined || scope.organizationId === organizationId;
}

/**
 * Throws NOT_FOUND unless the caller may act on data of `organizationId`: exactly the answer a
 * missing `what` `id` gets, so another organisation's ids reveal nothing (no existence oracle).
 */
export function assertOrgAccess(principal: Principal, organizationId: number | null, what: string, id: unknown): void {
  if (!canSeeOrg(principal, organizationId)) throw notFound(what, id);
}

/**
 * For operations on several ids: NOT_FOUND naming the ids that are missing or another
 * organisation's (the two are indistinguishable); returns the rows otherwise.
 */
export function assertAllVisible<T extends { id: number }>(
  principal: Principal,
  what: string,
  ids: readonly number[],
  rows: T[],
  orgOf: (row: T) => number | null,
): T[] {
  const visible = new Set(rows.filter((r) => canSeeOrg(principal, orgOf(r))).map((r) => r.id));
  const hidden = [...new Set(ids)].filter((id) => !visible.has(id));
  if (hidden.length) throw notFound(what, hidden.join(', '));
  return rows;
}

export const isAdmin = (p: Principal | undefined): boolean => p?.kind === 'user' && p.role === 'ADMIN';
