import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Roles, Scopes } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { RequestSiteReportArgs } from './inputs/request-site-report.args.js';
import { Report } from './models/report.model.js';
import { ReportsService } from './reports.service.js';
import { RateLimited } from '../common/rate-limit/rate-limited.decorator.js';

@Resolver(() => Report)
export class ReportsResolver {
  constructor(private readonly reports: ReportsService) {}

  @Roles('ADMIN', 'USER')
  @Scopes('read:vulns')
  @RateLimited('report')
  @Mutation(() => Report, { description: "Queues a Word report of a site's findings; follow it with report(id), then GET its downloadPath" })
  requestSiteReport(@CurrentPrincipal() p: Principal, @Args() { siteId, lang, filter }: RequestSiteReportArgs) {
    return this.reports.request(p, siteId, lang, filter);
  }

  @Roles('ADMIN', 'USER')
  @Scopes('read:vulns')
  @Query(() => Report, { description: 'A requested report and its status (NOT_FOUND once expired)' })
  report(@CurrentPrincipal() p: Principal, @Args('id', { type: () => ID }) id: string) {
    return this.reports.get(p, id);
  }
}
