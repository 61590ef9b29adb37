import { Injectable } from '@nestjs/common';
import { getDomain } from 'tldts';
import type { Principal } from '../../common/auth/principal.js';
import { assertAllVisible, assertOrgAccess, orgScope } from '../../common/auth/scope.js';
import { conflict, notFound } from '../../common/errors/domain-error.js';
import type { Prisma, RelatedDomain, Site } from '../../generated/prisma/client.js';
import type { RelatedDomainSource } from '../../generated/prisma/enums.js';
import { afterIdDesc, toConnection, type Connection } from '../../graphql/pagination.js';
import { PrismaService } from '../../prisma/prisma.service.js';
import type { RelatedDomainsArgs, SyncRelatedDomainsInput } from '../inputs/related-domain.input.js';
import type { SyncRelatedDomainsResult } from '../models/related-domain.model.js';
import { likeLiteral } from '../../common/text/like.js';
import { checkHostname, toAsciiHostname } from '../site-url.js';
import { SiteRepository } from '../site.repository.js';
import { SitesService } from '../sites.service.js';

@Injectable()
export class RelatedDomainsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sites: SitesService,
    private readonly siteRows: SiteRepository,
  ) {}

  async list(principal: Principal, args: RelatedDomainsArgs): Promise<Connection<RelatedDomain>> {
    const f = args.filter;
    const text = f?.text?.trim().toLowerCase();
    const scope = orgScope(principal);
    const where: Prisma.RelatedDomainWhereInput = {
      ...(scope.organizationId !== undefined ? { site: { organizationId: scope.organizationId } } : {}),
      ...(f?.siteId !== undefined ? { siteId: f.siteId } : {}),
      ...(f?.source ? { source: f.source } : {}),
      ...(text ? { hostname: { contains: likeLiteral(text) } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.relatedDomain.findMany({ where: { ...where, ...afterIdDesc(args.after) }, orderBy: { id: 'desc' }, take: args.first + 1 }),
      this.prisma.relatedDomain.count({ where }),
    ]);
    return toConnection(rows, args.first, total, (r) => [r.id]);
  }

  /** Related-domain counts of the given sites the caller may see (others count as zero). */
  async countsBySite(principal: Principal, siteIds: readonly number[]): Promise<Map<number, number>> {
    const scope = orgScope(principal);
    const groups = await this.prisma.relatedDomain.groupBy({
      by: ['siteId'],
      where: { siteId: { in: [...siteIds] }, ...(scope.organizationId !== undefined ? { site: { organizationId: scope.organizationId } } : {}) },
      _count: { _all: true },
    });
    return new Map(groups.map((g) => [g.siteId, g._count._all]));
  }

  /** Host names pushed by a scanner (API key of the site's organisation). Invalid or foreign names are returned as rejected. */
  async sync(principal: Principal, input: SyncRelatedDomainsInput): Promise<SyncRelatedDomainsResult> {
    const site = await this.sites.get(principal, input.siteId);
    const own = new URL(site.url).hostname;
    const accepted = new Set<string>();
    const rejected: string[] = [];
    for (const raw of input.hostnames) {
      const ascii = toAsciiHostname(raw);
      const host = ascii ? checkHostname(ascii) : null;
      if (host?.ok && !host.value.isIp && host.value.hostname !== own && getDomain(host.value.hostname) === site.domain) {
        accepted.add(host.value.hostname);
      } else rejected.push(raw);
    }
    await this.record(site.id, [...accepted], 'SCANNER');
    return { accepted: accepted.size, rejected };
  }

  /** Inserts new host names and refreshes `lastSeen` of known ones, in one statement. */
  async record(siteId: number, hostnames: string[], source: RelatedDomainSource): Promise<void> {
    if (!hostnames.length) return;
    await this.prisma.$executeRaw`
      INSERT INTO "RelatedDomain" ("siteId", "hostname", "source")
      SELECT ${siteId}::int, h, ${source}::"RelatedDomainSource" FROM unnest(${hostnames}::text[]) h
      ON CONFLICT ("siteId", "hostname") DO UPDATE SET "lastSeen" = now()`;
  }

  /** Promotes a related domain to a site of the same organisation; CONFLICT if that site exists. */
  async setToSite(principal: Principal, id: number): Promise<Site> {
    const related = await this.prisma.relatedDomain.findUnique({ where: { id }, include: { site: true } });
    if (!related) throw notFound('Related domain', id);
    const parent = related.site;
    assertOrgAccess(principal, parent.organizationId, 'Related domain', id);
    const scheme = new URL(parent.url).protocol;
    const candidates = [`http://${related.hostname}`, `https://${related.hostname}`];
    const existing = await this.prisma.site.findFirst({
      where: { organizationId: parent.organizationId, url: { in: candidates } },
      select: { id: true },
    });
    if (existing) throw conflict(`${related.hostname} is already a site`, { siteId: existing.id });
    const url = { url: `${scheme}//${related.hostname}`, hostname: related.hostname, domain: parent.domain, isIp: false };
    const created = await this.siteRows.create(parent.organizationId, [{ url, areaCode: parent.areaCode, ownerId: parent.ownerId }]);
    const siteId = created.get(url.url);
    if (siteId === undefined) throw conflict(`${related.hostname} is already a site`); // created meanwhile
    return this.prisma.site.findUniqueOrThrow({ where: { id: siteId } });
  }

  async delete(principal: Principal, ids: number[]): Promise<number> {
    const rows = await this.prisma.relatedDomain.findMany({ where: { id: { in: ids } }, select: { id: true, site: { select: { organizationId: true } } } });
    assertAllVisible(principal, 'Related domain', ids, rows, (r) => r.site.organizationId);
    const { count } = await this.prisma.relatedDomain.deleteMany({ where: { id: { in: ids } } });
    return count;
  }
}
