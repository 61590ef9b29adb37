import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { IdArg } from '../common/validation/fields.js';
import { CurrentPrincipal, Roles } from '../common/auth/decorators.js';
import type { UserPrincipal } from '../common/auth/principal.js';
import type { GqlContext } from '../graphql/gql-context.js';
import { Organization } from '../organizations/models/organization.model.js';
import { organizationLoader } from '../organizations/organizations.loaders.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { CreateUserInput, ResetUserPasswordInput, UpdateProfileInput, UpdateUserInput, UsersArgs } from './inputs/user.inputs.js';
import { User, UserConnection } from './models/user.model.js';
import { UsersService } from './users.service.js';

@Resolver(() => User)
export class UsersResolver {
  constructor(
    private readonly service: UsersService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Query(() => User, { description: 'The signed-in user' })
  me(@CurrentPrincipal() principal: UserPrincipal) {
    return this.service.me(principal);
  }

  @Mutation(() => User)
  updateProfile(@CurrentPrincipal() principal: UserPrincipal, @Args('input') input: UpdateProfileInput) {
    return this.service.updateProfile(principal, input);
  }

  @Query(() => User, { description: 'A user of your organisation (administrators: any user)' })
  user(@CurrentPrincipal() principal: UserPrincipal, @IdArg() id: number) {
    return this.service.get(principal, id);
  }

  @Roles('ADMIN')
  @Query(() => UserConnection, { description: 'User management: every user, newest first' })
  users(@CurrentPrincipal() principal: UserPrincipal, @Args() args: UsersArgs) {
    return this.service.list(principal, args.filter, args);
  }

  @Roles('ADMIN')
  @Mutation(() => User)
  createUser(@Args('input') input: CreateUserInput) {
    return this.service.create(input);
  }

  @Roles('ADMIN')
  @Mutation(() => User, { description: 'Change role, organisation, disabled flag; disabling ends the user\'s sessions' })
  updateUser(@CurrentPrincipal() principal: UserPrincipal, @Args('input') input: UpdateUserInput) {
    return this.service.update(principal, input);
  }

  @Roles('ADMIN')
  @Mutation(() => User, { description: 'Set a new password; ends all of the user\'s sessions' })
  resetUserPassword(@CurrentPrincipal() principal: UserPrincipal, @Args('input') input: ResetUserPasswordInput) {
    return this.service.resetPassword(principal, input.id, input.newPassword);
  }

  @ResolveField(() => Organization, { nullable: true })
  organization(@Parent() user: User, @Context() ctx: GqlContext) {
    if (user.organizationId === null) return null;
    return organizationLoader(ctx, this.organizations).load(user.organizationId);
  }
}
