import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal.js';
import { assertAllVisible, assertOrgAccess, orgScope } from '../../common/auth/scope.js';
import { badInput, notFound } from '../../common/errors/domain-error.js';
import type { Tag } from '../../generated/prisma/client.js';
import { decodeCursor, toConnection, type Connection } from '../../graphql/pagination.js';
import { PrismaService } from '../../prisma/prisma.service.js';
import type { CreateTagInput, RenameTagInput, TagSitesInput, TagsArgs } from '../inputs/tag.input.js';
import { containsText } from '../../common/text/like.js';
import { targetOrganization } from '../site-access.js';
import { SitesService } from '../sites.service.js';

@Injectable()
export class TagsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sites: SitesService,
  ) {}

  /** Tags the caller sees, by name. */
  async list(principal: Principal, args: TagsArgs): Promise<Connection<Tag>> {
    const text = args.text?.trim();
    const where = {
      ...(args.organizationId !== undefined ? { organizationId: args.organizationId } : {}),
      ...(text ? { name: containsText(text) } : {}),
      ...orgScope(principal),
    };
    let after = {};
    if (args.after) {
      const [name, id] = decodeCursor(args.after, ['text', 'id']);
      after = { OR: [{ name: { gt: name } }, { name, id: { gt: id } }] };
    }
    const [rows, total] = await Promise.all([
      this.prisma.tag.findMany({ where: { AND: [where, after] }, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: args.first + 1 }),
      this.prisma.tag.count({ where }),
    ]);
    return toConnection(rows, args.first, total, (t) => [t.name, t.id]);
  }

  async create(principal: Principal, input: CreateTagInput): Promise<Tag> {
    const organizationId = targetOrganization(principal, input.organizationId);
    await this.sites.assertOrganizationExists(organizationId);
    return this.prisma.tag.create({ data: { organizationId, name: input.name.trim() } });
  }

  async rename(principal: Principal, input: RenameTagInput): Promise<Tag> {
    const tag = await this.get(principal, input.id);
    return this.prisma.tag.update({ where: { id: tag.id }, data: { name: input.name.trim() } });
  }

  async delete(principal: Principal, id: number): Promise<boolean> {
    const tag = await this.get(principal, id);
    await this.prisma.tag.delete({ where: { id: tag.id } });
    return true;
  }

  /** Adds every tag to every site; returns how many new (site, tag) pairs were made. */
  async tagSites(principal: Principal, input: TagSitesInput): Promise<number> {
    const { tagIds, siteIds } = await this.checkPairs(principal, input);
    return this.prisma.$executeRaw`
      INSERT INTO "SiteTag" ("siteId", "tagId")
      SELECT s, t FROM unnest(${siteIds}::int[]) s CROSS JOIN unnest(${tagIds}::int[]) t
      ON CONFLICT DO NOTHING`;
  }

  /** Removes every tag from every site; returns how many pairs were removed. */
  async untagSites(principal: Principal, input: TagSitesInput): Promise<number> {
    const { tagIds, siteIds } = await this.checkPairs(principal, input);
    const { count } = await this.prisma.siteTag.deleteMany({ where: { tagId: { in: tagIds }, siteId: { in: siteIds } } });
    return count;
  }

  /** Tags of many sites at once (for the Site.tags DataLoader). */
  async tagsOfSites(siteIds: readonly number[]): Promise<Map<number, Tag[]>> {
    const rows = await this.prisma.siteTag.findMany({
      where: { siteId: { in: [...siteIds] } },
      include: { tag: true },
      orderBy: { tag: { name: 'asc' } },
    });
    const bySite = new Map<number, Tag[]>();
    for (const r of rows) bySite.set(r.siteId, [...(bySite.get(r.siteId) ?? []), r.tag]);
    return bySite;
  }

  /** Site counts of many tags at once (for the Tag.siteCount DataLoader). */
  async siteCounts(tagIds: readonly number[]): Promise<Map<number, number>> {
    const groups = await this.prisma.siteTag.groupBy({ by: ['tagId'], where: { tagId: { in: [...tagIds] } }, _count: { _all: true } });
    return new Map(groups.map((g) => [g.tagId, g._count._all]));
  }

  private async get(principal: Principal, id: number): Promise<Tag> {
    const tag = await this.prisma.tag.findUnique({ where: { id } });
    if (!tag) throw notFound('Tag', id);
    assertOrgAccess(principal, tag.organizationId, 'Tag', id);
    return tag;
  }

  /** All tags and sites must exist, be the caller's, and belong to one organisation. */
  private async checkPairs(principal: Principal, input: TagSitesInput) {
    const tagIds = [...new Set(input.tagIds)];
    const siteIds = [...new Set(input.siteIds)];
    const tags = await this.prisma.tag.findMany({ where: { id: { in: tagIds } }, select: { id: true, organizationId: true } });
    assertAllVisible(principal, 'Tag', tagIds, tags, (t) => t.organizationId);
    const sites = await this.sites.assertAccessible(principal, siteIds);
    const orgs = new Set([...tags, ...sites].map((x) => x.organizationId));
    if (orgs.size > 1) throw badInput('Tags and sites must belong to the same organisation');
    return { tagIds, siteIds };
  }
}
