import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IdArg } from '../common/validation/fields.js';
import { Roles } from '../auth/decorators.js';
import { VulnEntryListArgs } from './inputs/vuln-filter.input.js';
import { CreateVulnEntryInput, UpdateVulnEntryInput } from './inputs/vuln-entry.input.js';
import { VulnEntry, VulnEntryConnection } from './models/vuln-entry.model.js';
import { VulnLibraryService } from './vuln-library.service.js';

@Resolver(() => VulnEntry)
export class VulnLibraryResolver {
  constructor(private readonly library: VulnLibraryService) {}

  @Query(() => VulnEntryConnection, { description: 'The vulnerability library, newest first' })
  vulnEntries(@Args() args: VulnEntryListArgs) {
    return this.library.list(args);
  }

  @Query(() => VulnEntry)
  vulnEntry(@IdArg() id: number) {
    return this.library.get(id);
  }

  @Roles('ADMIN')
  @Mutation(() => VulnEntry)
  createVulnEntry(@Args('input') input: CreateVulnEntryInput) {
    return this.library.create(input);
  }

  @Roles('ADMIN')
  @Mutation(() => VulnEntry)
  updateVulnEntry(@Args('input') input: UpdateVulnEntryInput) {
    return this.library.update(input);
  }

  @Roles('ADMIN')
  @Mutation(() => Boolean, { description: 'CONFLICT while findings refer to the entry' })
  deleteVulnEntry(@IdArg() id: number) {
    return this.library.delete(id);
  }
}
