import type DataLoader from 'dataloader';
import type { GqlContext } from '../graphql/gql-context.js';
import { byKeys } from '../graphql/request-loaders.js';
import type { NewsCategory } from './models/news.model.js';
import type { NewsService } from './news.service.js';

/** The request's news-category loader: the categories of a whole news list in one query. */
export function newsCategoryLoader(ctx: GqlContext, news: NewsService): DataLoader<number, NewsCategory | null> {
  return ctx.loaders.get<number, NewsCategory | null>('news.categoryById', async (ids) => byKeys(ids, await news.categoriesByIds(ids), (c) => c.id));
}
