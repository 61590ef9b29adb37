import type DataLoader from 'dataloader';
import type { Principal } from '../common/auth/principal.js';
import type { GqlContext } from '../graphql/gql-context.js';
import { byKeys } from '../graphql/request-loaders.js';
import type { AreasService } from './areas/areas.service.js';
import type { Area } from './models/area.model.js';
import type { SiteOwner } from './models/site.model.js';
import type { Tag } from './models/tag.model.js';
import type { RelatedDomainsService } from './related-domains/related-domains.service.js';
import type { SitesService } from './sites.service.js';
import type { TagsService } from './tags/tags.service.js';

// The request's loaders for the fields of sites and tags: one query per field for a whole response.

export function areaLoader(ctx: GqlContext, areas: AreasService): DataLoader<string, Area | null> {
  return ctx.loaders.get<string, Area | null>('site.area', async (codes) => byKeys(codes, await areas.byCodes(codes), (a) => a.code));
}

export function siteOwnerLoader(ctx: GqlContext, sites: SitesService): DataLoader<number, SiteOwner | null> {
  return ctx.loaders.get<number, SiteOwner | null>('site.owner', async (ids) => byKeys(ids, await sites.owners(ids), (u) => u.id));
}

export function siteTagsLoader(ctx: GqlContext, tags: TagsService): DataLoader<number, Tag[]> {
  return ctx.loaders.get<number, Tag[]>('site.tags', async (ids) => {
    const bySite = await tags.tagsOfSites(ids);
    return ids.map((id) => bySite.get(id) ?? []);
  });
}

/** Related domains per site, as many as `principal` may see. */
export function relatedDomainCountLoader(ctx: GqlContext, principal: Principal, related: RelatedDomainsService): DataLoader<number, number> {
  return ctx.loaders.get<number, number>('site.relatedDomainCount', async (ids) => {
    const counts = await related.countsBySite(principal, ids);
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

export function tagSiteCountLoader(ctx: GqlContext, tags: TagsService): DataLoader<number, number> {
  return ctx.loaders.get<number, number>('tag.siteCount', async (ids) => {
    const counts = await tags.siteCounts(ids);
    return ids.map((id) => counts.get(id) ?? 0);
  });
}
