import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { isAdmin, orgScope, orgScopeId } from '../common/auth/scope.js';
import type { Prisma } from '../generated/prisma/client.js';
import { afterIdDesc, toConnection } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { ExposureFilter, ExposureListArgs } from './inputs/monitored-port.input.js';
import type { ExposureCount } from './models/monitored-port.model.js';

/** Exposures (monitored ports found open), scoped to the caller's organisation. */
@Injectable()
export class ExposuresService {
  constructor(private readonly prisma: PrismaService) {}

  async list(principal: Principal, args: ExposureListArgs) {
    const where = this.where(principal, args.filter ?? {});
    const [rows, total] = await Promise.all([
      this.prisma.exposure.findMany({
        where: { ...where, ...afterIdDesc(args.after) },
        include: { asset: { select: { ip: true } } },
        orderBy: { id: 'desc' },
        take: args.first + 1,
      }),
      this.prisma.exposure.count({ where }),
    ]);
    return toConnection(rows.map(({ asset, ...e }) => ({ ...e, ip: asset.ip })), args.first, total, (r) => [r.id]);
  }

  /** OPEN exposures per organisation and risk level (one row per organisation that has any). */
  async counts(principal: Principal, organizationId?: number): Promise<ExposureCount[]> {
    const org = orgScopeId(principal) ?? organizationId ?? null;
    const groups = await this.prisma.exposure.groupBy({
      by: ['organizationId', 'riskLevel'],
      where: { status: 'OPEN', ...(org === null ? {} : { organizationId: org }) },
      _count: { _all: true },
      orderBy: [{ organizationId: 'asc' }],
    });
    const byOrg = new Map<number, ExposureCount>();
    for (const g of groups) {
      const c = byOrg.get(g.organizationId) ?? { organizationId: g.organizationId, total: 0, critical: 0, high: 0, medium: 0, low: 0, none: 0 };
      const key = g.riskLevel.toLowerCase() as 'critical' | 'high' | 'medium' | 'low' | 'none';
      c[key] += g._count._all;
      c.total += g._count._all;
      byOrg.set(g.organizationId, c);
    }
    return [...byOrg.values()];
  }

  private where(principal: Principal, f: ExposureFilter): Prisma.ExposureWhereInput {
    return {
      ...orgScope(principal),
      ...(f.organizationId && isAdmin(principal) ? { organizationId: f.organizationId } : {}),
      ...(f.assetId ? { assetId: f.assetId } : {}),
      ...(f.port ? { port: f.port } : {}),
      ...(f.riskLevels?.length ? { riskLevel: { in: f.riskLevels } } : {}),
      status: f.status ?? 'OPEN',
    };
  }
}
