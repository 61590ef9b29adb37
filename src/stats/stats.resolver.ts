import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Roles } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { AreaVulnStatArgs, StatsArgs, TimelineArgs, TopStatsArgs } from './inputs/stats-filter.input.js';
import {
  AreaVulnCount, KindCount, LevelCount, LevelStatusCount, NameCount, RelatedDomainStat, RiskDistributionCount, SiteRisk,
  StatsLag, StatsReconcileReport, VulnTimeline,
} from './models/stats.models.js';
import { StatsLagService } from './stats-lag.service.js';
import { StatsQueryService } from './stats-query.service.js';
import { StatsWriterService } from './stats-writer.service.js';
import { TimelineService } from './timeline.service.js';

/**
 * Dashboard statistics (the old vul/stat/*, site/safeStat, relatedDomain/stat), read from
 * aggregates the stats worker keeps current; see statsLag for how current.
 */
@Resolver()
export class StatsResolver {
  constructor(
    private readonly stats: StatsQueryService,
    private readonly timelines: TimelineService,
    private readonly lagService: StatsLagService,
    private readonly writer: StatsWriterService,
  ) {}

  @Query(() => [LevelStatusCount], { description: 'Findings (not in the trash) per level and status; every pair listed (vul/stat/count)' })
  vulnTotals(@CurrentPrincipal() p: Principal, @Args() { filter }: StatsArgs) {
    return this.stats.totals(p, filter);
  }

  @Query(() => [LevelCount], { description: 'Findings per level, open only unless statuses are given (vul/stat/level)' })
  vulnLevelStat(@CurrentPrincipal() p: Principal, @Args() { filter }: StatsArgs) {
    return this.stats.levels(p, filter);
  }

  @Query(() => [AreaVulnCount], { description: 'Findings per province or city of their site, most first (vul/stat/area)' })
  vulnAreaStat(@CurrentPrincipal() p: Principal, @Args() { filter, level, parentCode }: AreaVulnStatArgs) {
    return this.stats.areas(p, filter, level, parentCode);
  }

  @Query(() => [KindCount], { description: "Findings per library entry's kind, most first (vul/stat/kind)" })
  vulnKindStat(@CurrentPrincipal() p: Principal, @Args() { filter }: StatsArgs) {
    return this.stats.kinds(p, filter);
  }

  @Query(() => [NameCount], { description: 'The library entries with the most findings (vul/stat/name)' })
  vulnNameStat(@CurrentPrincipal() p: Principal, @Args() { filter, first }: TopStatsArgs) {
    return this.stats.names(p, filter, first);
  }

  @Query(() => [SiteRisk], { description: 'Sites with the lowest security scores' })
  riskiestSites(@CurrentPrincipal() p: Principal, @Args() { filter, first }: TopStatsArgs) {
    return this.stats.riskiestSites(p, filter, first);
  }

  @Query(() => [RiskDistributionCount], { description: 'Sites per risk level (site/safeStat, with filters)' })
  siteRiskDistribution(@CurrentPrincipal() p: Principal, @Args() { filter }: StatsArgs) {
    return this.stats.riskDistribution(p, filter);
  }

  @Query(() => VulnTimeline, { description: 'Opened, fixed and open findings per level over time, with the previous period (vul/stat/range)' })
  vulnTimeline(@CurrentPrincipal() p: Principal, @Args() { filter, from, to, interval }: TimelineArgs) {
    return this.timelines.timeline(p, filter, from, to, interval);
  }

  @Query(() => RelatedDomainStat, { description: 'Related domains per site and per organisation (relatedDomain/stat)' })
  relatedDomainStat(@CurrentPrincipal() p: Principal, @Args() { filter, first }: TopStatsArgs) {
    return this.stats.relatedDomains(p, filter, first);
  }

  @Roles('ADMIN')
  @Query(() => StatsLag, { description: 'How far the statistics are behind the findings (administrators)' })
  statsLag() {
    return this.lagService.lag();
  }

  @Roles('ADMIN')
  @Mutation(() => StatsReconcileReport, {
    description: 'Recomputes every statistic from the findings, repairs any drift and reports it (administrators; also runs hourly)',
  })
  reconcileStats() {
    return this.writer.reconcile();
  }
}
