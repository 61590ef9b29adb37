import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../common/auth/decorators.js';
import type { Principal } from '../../common/auth/principal.js';
import { IdArg } from '../../common/validation/fields.js';
import type { GqlContext } from '../../graphql/gql-context.js';
import { CreateTagInput, RenameTagInput, TagSitesInput, TagsArgs } from '../inputs/tag.input.js';
import { Tag, TagConnection } from '../models/tag.model.js';
import { tagSiteCountLoader } from '../sites.loaders.js';
import { TagsService } from './tags.service.js';

@Resolver(() => Tag)
export class TagsResolver {
  constructor(private readonly service: TagsService) {}

  @Query(() => TagConnection, { description: 'Tags the caller sees, by name (tag/list)' })
  tags(@CurrentPrincipal() p: Principal, @Args() args: TagsArgs) {
    return this.service.list(p, args);
  }

  @ResolveField(() => Int, { description: 'Number of sites carrying the tag' })
  siteCount(@Parent() tag: Tag, @Context() ctx: GqlContext) {
    return tagSiteCountLoader(ctx, this.service).load(tag.id);
  }

  @Mutation(() => Tag)
  createTag(@CurrentPrincipal() p: Principal, @Args('input') input: CreateTagInput) {
    return this.service.create(p, input);
  }

  @Mutation(() => Tag)
  renameTag(@CurrentPrincipal() p: Principal, @Args('input') input: RenameTagInput) {
    return this.service.rename(p, input);
  }

  @Mutation(() => Boolean)
  deleteTag(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.service.delete(p, id);
  }

  @Mutation(() => Int, { description: 'Adds every tag to every site; returns how many new pairs were made' })
  tagSites(@CurrentPrincipal() p: Principal, @Args('input') input: TagSitesInput) {
    return this.service.tagSites(p, input);
  }

  @Mutation(() => Int, { description: 'Removes every tag from every site; returns how many pairs were removed' })
  untagSites(@CurrentPrincipal() p: Principal, @Args('input') input: TagSitesInput) {
    return this.service.untagSites(p, input);
  }
}
