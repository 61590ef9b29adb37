import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IdArg } from '../common/validation/fields.js';
import { CurrentPrincipal, Roles } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { CreateOrganizationInput, RenameOrganizationInput } from './inputs/organization.input.js';
import { Organization } from './models/organization.model.js';
import { OrganizationsService } from './organizations.service.js';

@Resolver(() => Organization)
export class OrganizationsResolver {
  constructor(private readonly service: OrganizationsService) {}

  @Query(() => [Organization], { description: 'All organisations (administrators) or your own' })
  organizations(@CurrentPrincipal() principal: Principal) {
    return this.service.list(principal);
  }

  @Roles('ADMIN')
  @Mutation(() => Organization)
  createOrganization(@Args('input') input: CreateOrganizationInput) {
    return this.service.create(input.name);
  }

  @Roles('ADMIN')
  @Mutation(() => Organization)
  renameOrganization(@Args('input') input: RenameOrganizationInput) {
    return this.service.rename(input.id, input.name);
  }

  @Roles('ADMIN')
  @Mutation(() => Boolean)
  deleteOrganization(@IdArg() id: number) {
    return this.service.delete(id);
  }
}
