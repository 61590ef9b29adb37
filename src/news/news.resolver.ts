import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Public, Roles } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { IdArg } from '../common/validation/fields.js';
import type { GqlContext } from '../graphql/gql-context.js';
import { AdminNewsListArgs, NewsListArgs } from './args/news-list.args.js';
import { CreateNewsCategoryInput, CreateNewsInput, UpdateNewsCategoryInput, UpdateNewsInput } from './inputs/news.input.js';
import { News, NewsCategory, NewsConnection } from './models/news.model.js';
import { newsCategoryLoader } from './news.loaders.js';
import { NewsService } from './news.service.js';

@Resolver(() => News)
export class NewsResolver {
  constructor(private readonly service: NewsService) {}

  @Public()
  @Query(() => [NewsCategory], { description: 'News categories in display order (public)' })
  newsCategories() {
    return this.service.categories();
  }

  @Public()
  @Query(() => NewsConnection, { description: 'Published news, newest first (public)' })
  newsList(@Args() args: NewsListArgs) {
    return this.service.publicList(args);
  }

  @Public()
  @Query(() => News, { description: 'A published news item (public); drafts are NOT_FOUND' })
  news(@IdArg() id: number) {
    return this.service.publicGet(id);
  }

  @Roles('ADMIN')
  @Query(() => NewsConnection, { description: 'All news, drafts included, newest first' })
  adminNewsList(@Args() args: AdminNewsListArgs) {
    return this.service.adminList(args);
  }

  @Roles('ADMIN')
  @Query(() => News, { description: 'Any news item, drafts included' })
  adminNews(@IdArg() id: number) {
    return this.service.adminGet(id);
  }

  @Roles('ADMIN')
  @Mutation(() => NewsCategory)
  createNewsCategory(@Args('input') input: CreateNewsCategoryInput) {
    return this.service.createCategory(input);
  }

  @Roles('ADMIN')
  @Mutation(() => NewsCategory)
  updateNewsCategory(@Args('input') input: UpdateNewsCategoryInput) {
    return this.service.updateCategory(input);
  }

  @Roles('ADMIN')
  @Mutation(() => Boolean, { description: 'Deletes an empty category (CONFLICT while it has news)' })
  deleteNewsCategory(@IdArg() id: number) {
    return this.service.deleteCategory(id);
  }

  @Roles('ADMIN')
  @Mutation(() => News, { description: 'Creates a news item; its HTML content is sanitised' })
  createNews(@CurrentPrincipal() p: Principal, @Args('input') input: CreateNewsInput) {
    return this.service.create(p, input);
  }

  @Roles('ADMIN')
  @Mutation(() => News, { description: 'Changes the given fields; publishing without publishedAt publishes now' })
  updateNews(@Args('input') input: UpdateNewsInput) {
    return this.service.update(input);
  }

  @Roles('ADMIN')
  @Mutation(() => Boolean)
  deleteNews(@IdArg() id: number) {
    return this.service.delete(id);
  }

  @ResolveField(() => NewsCategory, { nullable: true })
  category(@Parent() news: News, @Context() ctx: GqlContext) {
    if (!news.categoryId) return null;
    return newsCategoryLoader(ctx, this.service).load(news.categoryId);
  }
}
