import type DataLoader from 'dataloader';
import type { GqlContext } from '../graphql/gql-context.js';
import { byKeys } from '../graphql/request-loaders.js';
import type { Organization } from './models/organization.model.js';
import type { OrganizationsService } from './organizations.service.js';

/** The one organisation loader of a request: every organisation a response names (users, API keys, sites) in one query. */
export function organizationLoader(ctx: GqlContext, organizations: OrganizationsService): DataLoader<number, Organization | null> {
  return ctx.loaders.get<number, Organization | null>('organization.byId', async (ids) => byKeys(ids, await organizations.byIds(ids), (o) => o.id));
}
