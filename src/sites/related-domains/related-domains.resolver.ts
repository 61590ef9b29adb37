import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Roles, Scopes } from '../../common/auth/decorators.js';
import type { Principal } from '../../common/auth/principal.js';
import { IdArg } from '../../common/validation/fields.js';
import { RelatedDomainCountsArgs, RelatedDomainsArgs, SyncRelatedDomainsInput } from '../inputs/related-domain.input.js';
import { SiteIdsArgs } from '../inputs/site.input.js';
import { RelatedDomain, RelatedDomainConnection, SiteRelatedDomainCount, SyncRelatedDomainsResult } from '../models/related-domain.model.js';
import { Site } from '../models/site.model.js';
import { RelatedDomainsService } from './related-domains.service.js';

@Resolver(() => RelatedDomain)
export class RelatedDomainsResolver {
  constructor(private readonly service: RelatedDomainsService) {}

  @Query(() => RelatedDomainConnection, { description: 'relatedDomain/list' })
  relatedDomains(@CurrentPrincipal() p: Principal, @Args() args: RelatedDomainsArgs) {
    return this.service.list(p, args);
  }

  @Query(() => [SiteRelatedDomainCount], { description: 'relatedDomain/stat: related domains per site' })
  async relatedDomainCounts(@CurrentPrincipal() p: Principal, @Args() args: RelatedDomainCountsArgs) {
    const counts = await this.service.countsBySite(p, args.siteIds);
    return [...new Set(args.siteIds)].map((siteId) => ({ siteId, count: counts.get(siteId) ?? 0 }));
  }

  @Mutation(() => Site, { description: 'relatedDomain/setToSite: CONFLICT if the site already exists' })
  setRelatedDomainToSite(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.service.setToSite(p, id);
  }

  @Mutation(() => Int)
  deleteRelatedDomains(@CurrentPrincipal() p: Principal, @Args() args: SiteIdsArgs) {
    return this.service.delete(p, args.ids);
  }

  @Scopes('sync:vulns')
  @Roles('ADMIN', 'USER')
  @Mutation(() => SyncRelatedDomainsResult, {
    description: 'Pushes subdomains of a site: scanners (API key with sync:vulns of the site\'s organisation) and signed-in users who may see the site',
  })
  syncRelatedDomains(@CurrentPrincipal() p: Principal, @Args('input') input: SyncRelatedDomainsInput) {
    return this.service.sync(p, input);
  }
}
