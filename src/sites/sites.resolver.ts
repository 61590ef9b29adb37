import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { IdArg } from '../common/validation/fields.js';
import type { GqlContext } from '../graphql/gql-context.js';
import { Organization } from '../organizations/models/organization.model.js';
import { organizationLoader } from '../organizations/organizations.loaders.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { AreasService } from './areas/areas.service.js';
import { areaLoader, relatedDomainCountLoader, siteOwnerLoader, siteTagsLoader } from './sites.loaders.js';
import { CreateSitesInput, ImportSitesCsvInput } from './inputs/site-batch.input.js';
import { CreateSiteInput, SiteIdsArgs, SitesArgs, UpdateSiteInput } from './inputs/site.input.js';
import { Area } from './models/area.model.js';
import { AreaStatArgs } from './inputs/area.args.js';
import { SiteBatchResult } from './models/site-batch.model.js';
import { AreaSiteCount, OrgSiteCount, RiskLevelCount } from './models/site-stats.model.js';
import { Site, SiteConnection, SiteOwner } from './models/site.model.js';
import { Tag } from './models/tag.model.js';
import { ProbeQueueService } from './probe/probe-queue.service.js';
import { RelatedDomainsService } from './related-domains/related-domains.service.js';
import { SiteImportService } from './site-import.service.js';
import { SiteStatsService } from './site-stats.service.js';
import { SitesService } from './sites.service.js';
import { TagsService } from './tags/tags.service.js';

@Resolver(() => Site)
export class SitesResolver {
  constructor(
    private readonly service: SitesService,
    private readonly importer: SiteImportService,
    private readonly stats: SiteStatsService,
    private readonly probes: ProbeQueueService,
  ) {}

  @Query(() => SiteConnection, { description: 'Sites the caller sees, filtered and sorted (site/list)' })
  sites(@CurrentPrincipal() p: Principal, @Args() args: SitesArgs) {
    return this.service.list(p, args);
  }

  @Query(() => Site, { description: 'site/detail' })
  site(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.service.get(p, id);
  }

  @Query(() => [OrgSiteCount], { description: 'Organisations with their site counts (site/orgList)' })
  siteOrgList(@CurrentPrincipal() p: Principal) {
    return this.stats.orgList(p);
  }

  @Query(() => [AreaSiteCount], { description: 'Sites per province (cities rolled up) or per city (site/areaStat)' })
  siteAreaStat(@CurrentPrincipal() p: Principal, @Args() args: AreaStatArgs) {
    return this.stats.areaStat(p, args.level, args.parentCode);
  }

  @Query(() => [RiskLevelCount], { description: 'Sites per risk level (site/safeStat)' })
  siteSafeStat(@CurrentPrincipal() p: Principal) {
    return this.stats.safeStat(p);
  }

  @Mutation(() => Site, { description: 'site/add' })
  createSite(@CurrentPrincipal() p: Principal, @Args('input') input: CreateSiteInput) {
    return this.service.create(p, input);
  }

  @Mutation(() => SiteBatchResult, { description: 'site/batchAdd: up to 10,000 rows, one result per row' })
  createSites(@CurrentPrincipal() p: Principal, @Args('input') input: CreateSitesInput) {
    return this.importer.createMany(p, input.organizationId, input.rows);
  }

  @Mutation(() => SiteBatchResult, { description: 'site/batchAdd from CSV text (header: url,name,areaCode)' })
  importSitesCsv(@CurrentPrincipal() p: Principal, @Args('input') input: ImportSitesCsvInput) {
    return this.importer.importCsv(p, input.organizationId, input.csv);
  }

  @Mutation(() => Site, { description: 'site/update' })
  updateSite(@CurrentPrincipal() p: Principal, @Args('input') input: UpdateSiteInput) {
    return this.service.update(p, input);
  }

  @Mutation(() => Int, { description: 'site/delete: all given sites or none; returns how many were deleted' })
  deleteSites(@CurrentPrincipal() p: Principal, @Args() args: SiteIdsArgs) {
    return this.service.delete(p, args.ids);
  }

  @Mutation(() => Int, { description: 'Queues a probe of each site; returns how many were queued' })
  probeSites(@CurrentPrincipal() p: Principal, @Args() args: SiteIdsArgs) {
    return this.probes.probeSites(p, args.ids);
  }
}

/** Site fields that need other rows, each batched per request through a DataLoader. */
@Resolver(() => Site)
export class SiteFieldsResolver {
  constructor(
    private readonly service: SitesService,
    private readonly organizations: OrganizationsService,
    private readonly areas: AreasService,
    private readonly tagService: TagsService,
    private readonly relatedDomains: RelatedDomainsService,
  ) {}

  @ResolveField(() => Organization)
  organization(@Parent() site: Site, @Context() ctx: GqlContext) {
    return organizationLoader(ctx, this.organizations).load(site.organizationId);
  }

  @ResolveField(() => Area, { nullable: true })
  area(@Parent() site: Site, @Context() ctx: GqlContext) {
    if (!site.areaCode) return null;
    return areaLoader(ctx, this.areas).load(site.areaCode);
  }

  @ResolveField(() => SiteOwner, { nullable: true })
  owner(@Parent() site: Site, @Context() ctx: GqlContext) {
    if (!site.ownerId) return null;
    return siteOwnerLoader(ctx, this.service).load(site.ownerId);
  }

  @ResolveField(() => [Tag])
  tags(@Parent() site: Site, @Context() ctx: GqlContext) {
    return siteTagsLoader(ctx, this.tagService).load(site.id);
  }

  @ResolveField(() => Int)
  relatedDomainCount(@Parent() site: Site, @Context() ctx: GqlContext, @CurrentPrincipal() p: Principal) {
    return relatedDomainCountLoader(ctx, p, this.relatedDomains).load(site.id);
  }
}
