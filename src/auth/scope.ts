import { forbidden } from '../common/errors/domain-error.js';
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

/** Throws FORBIDDEN unless the caller may act on data of `organizationId`. */
export function assertOrgAccess(principal: Principal, organizationId: number | null): void {
  const scope = orgScope(principal);
  if (scope.organizationId !== undefined && scope.organizationId !== organizationId) {
    throw forbidden('This belongs to another organisation');
  }
}

export const isAdmin = (p: Principal | undefined): boolean => p?.kind === 'user' && p.role === 'ADMIN';
