import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { assertAllVisible, assertOrgAccess, orgScope, orgScopeId } from '../common/auth/scope.js';
import { badInput, conflict, notFound, type DomainError } from '../common/errors/domain-error.js';
import { toConnection, type Connection } from '../graphql/pagination.js';
import type { Prisma, Site } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { AreasService } from './areas/areas.service.js';
import type { CreateSiteInput, SitesArgs, UpdateSiteInput } from './inputs/site.input.js';
import { targetOrganization } from './site-access.js';
import { siteFilterSql, siteOrder } from './site-list.js';
import { SiteRepository } from './site.repository.js';
import { normaliseSiteUrl, type NormalisedSiteUrl } from './site-url.js';

@Injectable()
export class SitesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sites: SiteRepository,
    private readonly areas: AreasService,
  ) {}

  /** One page and the total in a single statement; the total is re-counted only for a page past the end. */
  async list(principal: Principal, args: SitesArgs): Promise<Connection<Site>> {
    const where = siteFilterSql(args.filter, orgScopeId(principal));
    const order = siteOrder(args.sort);
    const rows = await this.prisma.$queryRaw<(Site & { totalCount: number })[]>`
      SELECT s.*, (SELECT count(*)::int FROM "Site" s WHERE ${where}) AS "totalCount"
      FROM "Site" s
      WHERE ${where} AND ${order.after(args.after)}
      ORDER BY ${order.orderBy}
      LIMIT ${args.first + 1}::int`;
    const total = rows.length ? rows[0].totalCount : args.after ? await this.count(where) : 0;
    const sites = rows.map(({ totalCount: _total, ...site }) => site);
    return toConnection(sites, args.first, total, order.cursorOf);
  }

  private async count(where: Prisma.Sql): Promise<number> {
    const [{ n }] = await this.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Site" s WHERE ${where}`;
    return n;
  }

  /** One site the caller may see: NOT_FOUND if it does not exist or is another organisation's. */
  async get(principal: Principal, id: number): Promise<Site> {
    const site = await this.prisma.site.findUnique({ where: { id } });
    if (!site) throw notFound('Site', id);
    assertOrgAccess(principal, site.organizationId, 'Site', id);
    return site;
  }

  async create(principal: Principal, input: CreateSiteInput): Promise<Site> {
    const organizationId = targetOrganization(principal, input.organizationId);
    await this.assertOrganizationExists(organizationId);
    const url = this.normalise(input.url);
    if (input.areaCode) await this.assertArea(input.areaCode);
    if (input.ownerId) await this.assertOwner(input.ownerId, organizationId);
    const created = await this.sites.create(organizationId, [{ url, name: input.name, areaCode: input.areaCode, ownerId: input.ownerId }]);
    const id = created.get(url.url);
    if (id === undefined) throw (await this.duplicate(organizationId, url.url)) ?? conflict('This site already exists in this organisation', { field: 'url' });
    return this.prisma.site.findUniqueOrThrow({ where: { id } });
  }

  /** The organisation never changes: tags and related domains stay consistent with it. */
  async update(principal: Principal, input: UpdateSiteInput): Promise<Site> {
    const site = await this.get(principal, input.id);
    const url = input.url !== undefined ? this.normalise(input.url) : null;
    if (input.areaCode) await this.assertArea(input.areaCode);
    if (input.ownerId) await this.assertOwner(input.ownerId, site.organizationId);
    const update = this.prisma.site.update({
      where: { id: site.id },
      data: {
        ...(url ? { url: url.url, domain: url.domain } : {}),
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.areaCode !== undefined ? { areaCode: input.areaCode } : {}),
        ...(input.ownerId !== undefined ? { ownerId: input.ownerId } : {}),
      },
    });
    return url ? this.unlessDuplicate(update, site.organizationId, url.url) : update;
  }

  /** A site whose URL the organisation already has: CONFLICT naming the existing site, so the client can go to it. */
  private async unlessDuplicate(write: Promise<Site>, organizationId: number, url: string): Promise<Site> {
    try {
      return await write;
    } catch (e) {
      if ((e as { code?: string }).code !== 'P2002') throw e;
      throw (await this.duplicate(organizationId, url)) ?? e;
    }
  }

  /** CONFLICT naming the organisation's site at `url`, so the client can go to it; undefined when there is none. */
  private async duplicate(organizationId: number, url: string): Promise<DomainError | undefined> {
    const existing = await this.sites.idOf(organizationId, url);
    return existing === undefined ? undefined : conflict('This site already exists in this organisation', { field: 'url', siteId: String(existing) });
  }

  /** Deletes all of `ids` or none: every one must exist and be the caller's. Returns how many went. */
  async delete(principal: Principal, ids: number[]): Promise<number> {
    await this.assertAccessible(principal, ids);
    const { count } = await this.prisma.site.deleteMany({ where: { id: { in: ids }, ...orgScope(principal) } });
    return count;
  }

  /** NOT_FOUND naming the ids that are missing or another organisation's. */
  async assertAccessible(principal: Principal, ids: readonly number[]): Promise<{ id: number; organizationId: number }[]> {
    const unique = [...new Set(ids)];
    const rows = await this.prisma.site.findMany({ where: { id: { in: unique } }, select: { id: true, organizationId: true } });
    return assertAllVisible(principal, 'Site', unique, rows, (r) => r.organizationId);
  }

  owners(ids: readonly number[]) {
    return this.prisma.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, username: true, displayName: true } });
  }

  private normalise(input: string): NormalisedSiteUrl {
    const r = normaliseSiteUrl(input);
    if (!r.ok) throw badInput(r.error, { field: 'url' });
    return r.value;
  }

  private async assertArea(code: string): Promise<void> {
    if (!(await this.areas.existing([code])).has(code)) throw badInput(`Unknown area ${code}`, { field: 'areaCode' });
  }

  private async assertOwner(ownerId: number, organizationId: number): Promise<void> {
    const owner = await this.prisma.user.findUnique({ where: { id: ownerId }, select: { organizationId: true } });
    if (!owner || owner.organizationId !== organizationId) {
      throw badInput('The owner must be a user of the site\'s organisation', { field: 'ownerId' });
    }
  }

  async assertOrganizationExists(id: number): Promise<void> {
    if (!(await this.prisma.organization.findUnique({ where: { id }, select: { id: true } }))) throw notFound('Organization', id);
  }
}
