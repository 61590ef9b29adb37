import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { conflict, notFound } from '../common/errors/domain-error.js';
import type { News as NewsRow, Prisma } from '../generated/prisma/client.js';
import { afterIdDesc, decodeCursor, toConnection, type Connection } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { AdminNewsListArgs, NewsListArgs } from './args/news-list.args.js';
import { sanitizeNewsHtml } from './html-sanitizer.js';
import type { CreateNewsCategoryInput, CreateNewsInput, UpdateNewsCategoryInput, UpdateNewsInput } from './inputs/news.input.js';

/** Published and due: what anonymous readers may see. */
const visibleNow = (): Prisma.NewsWhereInput => ({ published: true, publishedAt: { lte: new Date() } });

/**
 * News categories and items. Content is sanitised on every write, so whatever is stored can be
 * rendered as HTML. Readers see published items whose publishedAt has passed; drafts and
 * scheduled items are NOT_FOUND for everyone but administrators (through the admin queries).
 */
@Injectable()
export class NewsService {
  constructor(private readonly prisma: PrismaService) {}

  categories() {
    return this.prisma.newsCategory.findMany({ orderBy: [{ position: 'asc' }, { name: 'asc' }] });
  }

  categoriesByIds(ids: readonly number[]) {
    return this.prisma.newsCategory.findMany({ where: { id: { in: [...ids] } } });
  }

  createCategory(input: CreateNewsCategoryInput) {
    return this.prisma.newsCategory.create({ data: { name: input.name.trim(), position: input.position } });
  }

  async updateCategory(input: UpdateNewsCategoryInput) {
    await this.category(input.id);
    return this.prisma.newsCategory.update({
      where: { id: input.id },
      data: { ...(input.name != null ? { name: input.name.trim() } : {}), ...(input.position != null ? { position: input.position } : {}) },
    });
  }

  /** Only an empty category can go; its news is never deleted as a side effect. */
  async deleteCategory(id: number): Promise<boolean> {
    await this.category(id);
    const count = await this.prisma.news.count({ where: { categoryId: id } });
    if (count) throw conflict(`The category still has ${count} news items; move or delete them first`, { newsCount: count });
    await this.prisma.newsCategory.delete({ where: { id } });
    return true;
  }

  /** Public list: newest publication first, keyset cursor on (publishedAt, id). */
  async publicList(args: NewsListArgs): Promise<Connection<NewsRow>> {
    const where: Prisma.NewsWhereInput = { ...visibleNow(), ...(args.categoryId ? { categoryId: args.categoryId } : {}) };
    const [rows, total] = await Promise.all([
      this.prisma.news.findMany({
        where: { AND: [where, afterPublished(args.after)] },
        orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
        take: args.first + 1,
      }),
      this.prisma.news.count({ where }),
    ]);
    return toConnection(rows, args.first, total, (n) => [n.publishedAt!.toISOString(), n.id]);
  }

  /** A published item; anything else is NOT_FOUND, whoever asks (admins use `adminGet`). */
  async publicGet(id: number): Promise<NewsRow> {
    const row = await this.prisma.news.findFirst({ where: { id, ...visibleNow() } });
    if (!row) throw notFound('News', id);
    return row;
  }

  async adminList(args: AdminNewsListArgs): Promise<Connection<NewsRow>> {
    const where: Prisma.NewsWhereInput = {
      ...(args.categoryId ? { categoryId: args.categoryId } : {}),
      ...(args.published !== undefined && args.published !== null ? { published: args.published } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.news.findMany({ where: { ...where, ...afterIdDesc(args.after) }, orderBy: { id: 'desc' }, take: args.first + 1 }),
      this.prisma.news.count({ where }),
    ]);
    return toConnection(rows, args.first, total, (n) => [n.id]);
  }

  async adminGet(id: number): Promise<NewsRow> {
    const row = await this.prisma.news.findUnique({ where: { id } });
    if (!row) throw notFound('News', id);
    return row;
  }

  async create(principal: Principal, input: CreateNewsInput): Promise<NewsRow> {
    if (input.categoryId) await this.category(input.categoryId);
    return this.prisma.news.create({
      data: {
        title: input.title.trim(),
        summary: input.summary ?? null,
        content: sanitizeNewsHtml(input.content),
        coverImageUrl: input.coverImageUrl ?? null,
        categoryId: input.categoryId ?? null,
        published: input.published,
        publishedAt: input.publishedAt ?? (input.published ? new Date() : null),
        authorId: principal.kind === 'user' ? principal.id : null,
      },
    });
  }

  async update(input: UpdateNewsInput): Promise<NewsRow> {
    const current = await this.adminGet(input.id);
    if (input.categoryId) await this.category(input.categoryId);
    const published = input.published ?? current.published;
    let publishedAt = input.publishedAt !== undefined ? input.publishedAt : current.publishedAt;
    if (published && !publishedAt) publishedAt = new Date(); // first publication
    const data: Prisma.NewsUncheckedUpdateInput = {
      ...(input.title != null ? { title: input.title.trim() } : {}),
      ...(input.summary !== undefined ? { summary: input.summary } : {}),
      ...(input.content != null ? { content: sanitizeNewsHtml(input.content) } : {}),
      ...(input.coverImageUrl !== undefined ? { coverImageUrl: input.coverImageUrl } : {}),
      ...(input.categoryId !== undefined ? { categoryId: input.categoryId } : {}),
      published,
      publishedAt,
    };
    return this.prisma.news.update({ where: { id: input.id }, data });
  }

  async delete(id: number): Promise<boolean> {
    await this.adminGet(id);
    await this.prisma.news.delete({ where: { id } });
    return true;
  }

  private async category(id: number) {
    const row = await this.prisma.newsCategory.findUnique({ where: { id } });
    if (!row) throw notFound('News category', id);
    return row;
  }
}

/** Keyset condition for "after this (publishedAt, id)" in descending order. */
function afterPublished(after: string | null | undefined): Prisma.NewsWhereInput {
  if (!after) return {};
  const [date, id] = decodeCursor(after, ['date', 'id']);
  return { OR: [{ publishedAt: { lt: date } }, { publishedAt: date, id: { lt: id } }] };
}
