import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { IdArg } from '../common/validation/fields.js';
import { AssetsService } from './assets.service.js';
import { AssetListArgs, AssetStatsArgs, SiteServicePortsArgs } from './inputs/asset-filter.input.js';
import { AssetStats } from './models/asset-stats.model.js';
import { AssetStatsService } from './asset-stats.service.js';
import { Asset, AssetConnection, AssetDetail } from './models/asset.model.js';
import { ServicePortConnection } from './models/service-port.model.js';

@Resolver(() => Asset)
export class AssetsResolver {
  constructor(
    private readonly service: AssetsService,
    private readonly statistics: AssetStatsService,
  ) {}

  @Query(() => AssetConnection, { description: 'Assets (hosts found by port scans), newest first' })
  assets(@CurrentPrincipal() p: Principal, @Args() args: AssetListArgs) {
    return this.service.list(p, args);
  }

  @Query(() => AssetDetail, { description: 'One asset with its ports, the sites it serves and their open findings' })
  asset(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.service.detail(p, id);
  }

  @Query(() => ServicePortConnection, { description: 'The ports of the assets serving a site, newest first (old site/servicePortList)' })
  siteServicePorts(@CurrentPrincipal() p: Principal, @Args() args: SiteServicePortsArgs) {
    return this.service.sitePorts(p, args);
  }

  @Query(() => AssetStats, { description: 'Asset statistics: liveness, OS families, top ports and services, exposures, asset vulnerabilities (old stat/* and ass/stat/*)' })
  assetStats(@CurrentPrincipal() p: Principal, @Args() { organizationId, top }: AssetStatsArgs) {
    return this.statistics.stats(p, organizationId, top);
  }
}
