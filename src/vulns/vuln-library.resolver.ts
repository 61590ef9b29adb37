import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IdArg } from '../common/validation/fields.js';
import { CurrentPrincipal, Roles } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { VulnEntryListArgs } from './inputs/vuln-filter.input.js';
import { CreateVulnEntryInput, UpdateVulnEntryInput } from './inputs/vuln-entry.input.js';
import { VulnEntry, VulnEntryConnection } from './models/vuln-entry.model.js';
import { VulnLibraryService } from './vuln-library.service.js';

@Resolver(() => VulnEntry)
export class VulnLibraryResolver {
  constructor(private readonly library: VulnLibraryService) {}

  @Query(() => VulnEntryConnection, { description: "The vulnerability library, newest first: curated entries and your organisation's own" })
  vulnEntries(@CurrentPrincipal() p: Principal, @Args() args: VulnEntryListArgs) {
    return this.library.list(p, args);
  }

  @Query(() => VulnEntry)
  vulnEntry(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.library.get(p, id);
  }

  @Roles('ADMIN')
  @Mutation(() => VulnEntry)
  createVulnEntry(@Args('input') input: CreateVulnEntryInput) {
    return this.library.create(input);
  }

  @Roles('ADMIN')
  @Mutation(() => VulnEntry)
  updateVulnEntry(@CurrentPrincipal() p: Principal, @Args('input') input: UpdateVulnEntryInput) {
    return this.library.update(p, input);
  }

  @Roles('ADMIN')
  @Mutation(() => Boolean, { description: 'CONFLICT while findings refer to the entry' })
  deleteVulnEntry(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.library.delete(p, id);
  }
}
