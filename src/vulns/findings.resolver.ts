import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IdArg } from '../common/validation/fields.js';
import { CurrentPrincipal, Roles } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { FindingsService } from './findings.service.js';
import { PurgeVulnsInput } from './inputs/purge-vulns.input.js';
import { SetVulnStatusInput, SiteVulnListArgs, VulnIdsInput, VulnListArgs } from './inputs/vuln-filter.input.js';
import { Vuln, VulnConnection, VulnStatusChangeResult } from './models/vuln.model.js';

@Resolver(() => Vuln)
export class FindingsResolver {
  constructor(private readonly findings: FindingsService) {}

  @Query(() => VulnConnection, { description: 'Findings (not in the trash), newest first' })
  vulns(@CurrentPrincipal() p: Principal, @Args() args: VulnListArgs) {
    return this.findings.list(p, args);
  }

  @Query(() => VulnConnection, { description: "One site's findings (not in the trash), newest first" })
  siteVulns(@CurrentPrincipal() p: Principal, @Args() { siteId, ...args }: SiteVulnListArgs) {
    return this.findings.siteVulns(p, siteId, args);
  }

  @Query(() => Vuln, { description: 'One finding with its status history' })
  vuln(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.findings.detail(p, id);
  }

  @Query(() => VulnConnection, { description: 'Findings in the trash, newest first' })
  trashedVulns(@CurrentPrincipal() p: Principal, @Args() args: VulnListArgs) {
    return this.findings.list(p, args, true);
  }

  @Mutation(() => VulnStatusChangeResult, { description: 'Sets the status of up to 1000 findings; each change is kept in their history' })
  async setVulnStatus(@CurrentPrincipal() p: Principal, @Args('input') input: SetVulnStatusInput) {
    return { changed: await this.findings.setStatus(p, input) };
  }

  @Mutation(() => VulnStatusChangeResult, { description: 'Moves findings to the trash (they leave every list but the trash)' })
  async trashVulns(@CurrentPrincipal() p: Principal, @Args('input') input: VulnIdsInput) {
    return { changed: await this.findings.trash(p, input) };
  }

  @Mutation(() => VulnStatusChangeResult, { description: 'Takes findings out of the trash' })
  async restoreVulns(@CurrentPrincipal() p: Principal, @Args('input') input: VulnIdsInput) {
    return { changed: await this.findings.restore(p, input) };
  }

  @Roles('ADMIN')
  @Mutation(() => VulnStatusChangeResult, { description: 'Deletes findings in the trash for good: the given ids, or the whole trash' })
  async purgeVulns(@Args('input', { nullable: true }) input?: PurgeVulnsInput) {
    return { changed: await this.findings.purge(input?.ids) };
  }
}
