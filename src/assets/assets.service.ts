import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { orgScope, orgScopeId } from '../common/auth/scope.js';
import { notFound } from '../common/errors/domain-error.js';
import { Prisma } from '../generated/prisma/client.js';
import { afterIdDesc, toConnection } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { toVuln } from '../vulns/vuln.mapper.js';
import { assetConditions } from './asset-sql.js';
import type { AssetListArgs, SiteServicePortsArgs } from './inputs/asset-filter.input.js';
import type { Asset, AssetDetail } from './models/asset.model.js';
import type { ServicePort } from './models/service-port.model.js';

const MAX_DETAIL_FINDINGS = 200;

/** Assets and their service ports, scoped to the caller's organisation. */
@Injectable()
export class AssetsService {
  constructor(private readonly prisma: PrismaService) {}

  async list(principal: Principal, args: AssetListArgs) {
    const where = assetConditions(orgScopeId(principal), args.filter ?? {});
    const after = afterIdDesc(args.after).id?.lt;
    const page = after === undefined ? where : Prisma.sql`${where} AND a.id < ${after}`;
    const [rows, total] = await Promise.all([
      this.prisma.$queryRaw<Asset[]>`
        SELECT a.id, a."organizationId", host(a.ip) AS ip, a.hostnames, a."osName", a."osFamily", a."osAccuracy", a.liveness,
          a."firstSeen", a."lastSeen",
          (SELECT count(*)::int FROM "ServicePort" p WHERE p."assetId" = a.id AND p.state = 'OPEN') AS "openPorts"
        FROM "Asset" a WHERE ${page} ORDER BY a.id DESC LIMIT ${args.first + 1}`,
      this.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Asset" a WHERE ${where}`,
    ]);
    return toConnection(rows, args.first, total[0].n, (r) => [r.id]);
  }

  /** One asset; another organisation's id answers NOT_FOUND, like a missing one. */
  async detail(principal: Principal, id: number): Promise<AssetDetail> {
    const row = await this.prisma.asset.findFirst({
      where: { id, ...orgScope(principal) },
      include: {
        ports: { orderBy: [{ protocol: 'asc' }, { port: 'asc' }] },
        sites: { include: { site: { select: { id: true, name: true, url: true } } }, orderBy: { siteId: 'asc' } },
      },
    });
    if (!row) throw notFound('Asset', id);
    const siteIds = row.sites.map((s) => s.siteId);
    const findings = siteIds.length
      ? await this.prisma.finding.findMany({
          where: { siteId: { in: siteIds }, status: 'OPEN', trashedAt: null },
          include: { entry: true, site: { select: { name: true, url: true } } },
          orderBy: [{ level: 'asc' }, { id: 'desc' }],
          take: MAX_DETAIL_FINDINGS,
        })
      : [];
    const { ports, sites, ...asset } = row;
    return {
      ...asset,
      openPorts: ports.filter((p) => p.state === 'OPEN').length,
      ports: ports.map((p) => ({ ...p, ip: row.ip })),
      sites: sites.map((s) => s.site),
      openFindings: findings.map(toVuln),
    };
  }

  /** The ports of the assets serving a site (the old site/servicePortList). */
  async sitePorts(principal: Principal, args: SiteServicePortsArgs) {
    const site = await this.prisma.site.findFirst({ where: { id: args.siteId, ...orgScope(principal) }, select: { id: true } });
    if (!site) throw notFound('Site', args.siteId);
    const where = { asset: { sites: { some: { siteId: site.id } } }, ...(args.state ? { state: args.state } : {}) };
    const [rows, total] = await Promise.all([
      this.prisma.servicePort.findMany({
        where: { ...where, ...afterIdDesc(args.after) },
        include: { asset: { select: { ip: true } } },
        orderBy: { id: 'desc' },
        take: args.first + 1,
      }),
      this.prisma.servicePort.count({ where }),
    ]);
    const ports: ServicePort[] = rows.map(({ asset, ...p }) => ({ ...p, ip: asset.ip }));
    return toConnection(ports, args.first, total, (r) => [r.id]);
  }
}
