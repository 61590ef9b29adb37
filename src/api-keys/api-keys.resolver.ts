import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { IdArg } from '../common/validation/fields.js';
import type { GqlContext } from '../graphql/gql-context.js';
import { Organization } from '../organizations/models/organization.model.js';
import { organizationLoader } from '../organizations/organizations.loaders.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { CurrentPrincipal, Roles, Scopes } from '../common/auth/decorators.js';
import type { ApiKeyPrincipal, UserPrincipal } from '../common/auth/principal.js';
import { ApiKey, ApiKeyConnection, CreatedApiKey } from './models/api-key.model.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeysArgs, CreateApiKeyInput } from './inputs/create-api-key.input.js';

@Resolver(() => ApiKey)
export class ApiKeysResolver {
  constructor(
    private readonly service: ApiKeysService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Roles('ADMIN')
  @Mutation(() => CreatedApiKey, { description: 'A scanner key for an organisation; the secret is returned this once' })
  createApiKey(@CurrentPrincipal() admin: UserPrincipal, @Args('input') input: CreateApiKeyInput) {
    return this.service.create(admin, input);
  }

  @Roles('ADMIN')
  @Query(() => ApiKeyConnection, { description: 'API keys, newest first, of one organisation or all' })
  apiKeys(@Args() args: ApiKeysArgs) {
    return this.service.list(args);
  }

  @Roles('ADMIN')
  @Mutation(() => ApiKey)
  revokeApiKey(@IdArg() id: number) {
    return this.service.revoke(id);
  }

  @Scopes()
  @Query(() => ApiKey, { description: 'For scanners: the API key making the request (any scope)' })
  apiKeyWhoAmI(@CurrentPrincipal() principal: ApiKeyPrincipal) {
    return this.service.whoAmI(principal);
  }

  @ResolveField(() => Organization)
  organization(@Parent() key: ApiKey, @Context() ctx: GqlContext) {
    return organizationLoader(ctx, this.organizations).load(key.organizationId);
  }
}
