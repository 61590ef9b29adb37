import type { Principal } from '../common/auth/principal.js';
import { orgScope } from '../common/auth/scope.js';
import { badInput, forbidden, notFound } from '../common/errors/domain-error.js';

/**
 * The organisation new data goes to: an administrator names it; everyone else gets their own
 * (naming another one answers like a missing organisation).
 */
export function targetOrganization(principal: Principal, requested: number | undefined): number {
  const own = orgScope(principal).organizationId;
  if (own === undefined) {
    if (requested === undefined) throw badInput('organizationId is required for administrators', { field: 'organizationId' });
    return requested;
  }
  if (own < 0) throw forbidden('You do not belong to an organisation');
  if (requested !== undefined && requested !== own) throw notFound('Organization', requested);
  return own;
}
