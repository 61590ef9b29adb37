import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { orgScopeId } from '../common/auth/scope.js';
import { notFound } from '../common/errors/domain-error.js';
import { Prisma } from '../generated/prisma/client.js';
import { afterIdDesc, toConnection } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { BaselineListArgs, LatestBaselineArgs } from './inputs/baseline-args.js';
import type { BaselineChanges, BaselineItemChange, BaselineResult, BaselineResultDetail } from './models/baseline-result.model.js';

type Row = Prisma.BaselineResultGetPayload<{ include: { script: { select: { name: true } }; version: { select: { version: true } } } }>;
const INCLUDE = { script: { select: { name: true } }, version: { select: { version: true } } } as const;
const toResult = ({ script, version, ...r }: Row): BaselineResult => ({ ...r, scriptName: script.name, version: version.version });

/**
 * Baseline results, scoped like everything else: users see their organisation's; another
 * organisation's result or site answers NOT_FOUND, as a missing one does.
 */
@Injectable()
export class BaselineResultsService {
  constructor(private readonly prisma: PrismaService) {}

  /** A site's results, newest first. */
  async list(p: Principal, args: BaselineListArgs) {
    await this.visibleSite(p, args.siteId);
    const where: Prisma.BaselineResultWhereInput = { siteId: args.siteId, ...(args.scriptId ? { scriptId: args.scriptId } : {}) };
    return this.page(where, args);
  }

  /** The latest result of every site and script in scope (optionally one site or script), newest first. */
  async latest(p: Principal, args: LatestBaselineArgs) {
    if (args.siteId) await this.visibleSite(p, args.siteId);
    const where: Prisma.BaselineResultWhereInput = {
      isLatest: true,
      ...this.scope(p),
      ...(args.siteId ? { siteId: args.siteId } : {}),
      ...(args.scriptId ? { scriptId: args.scriptId } : {}),
    };
    return this.page(where, args);
  }

  async detail(p: Principal, id: number): Promise<BaselineResultDetail> {
    const row = await this.visible(p, id);
    const items = await this.prisma.baselineResultItem.findMany({ where: { resultId: id }, orderBy: { checkId: 'asc' } });
    return { ...toResult(row), items };
  }

  /** Deletes a result; when it was its site's latest for the script, the previous one becomes latest. */
  async delete(p: Principal, id: number): Promise<boolean> {
    const row = await this.visible(p, id);
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('baseline:' || ${row.siteId}::text || ':' || ${row.scriptId}::text, 0))`;
      const gone = await tx.baselineResult.deleteMany({ where: { id } });
      if (!gone.count) return;
      await tx.$executeRaw`
        UPDATE "BaselineResult" SET "isLatest" = true
        WHERE id = (SELECT max(id) FROM "BaselineResult" WHERE "siteId" = ${row.siteId} AND "scriptId" = ${row.scriptId})
          AND NOT "isLatest"`;
    });
    return true;
  }

  /** Items that changed since the previous result of the same site and script. */
  async changes(p: Principal, id: number): Promise<BaselineChanges> {
    const row = await this.visible(p, id);
    const prev = await this.prisma.baselineResult.findFirst({
      where: { siteId: row.siteId, scriptId: row.scriptId, id: { lt: id } },
      orderBy: { id: 'desc' },
      select: { id: true },
    });
    const rows = await this.prisma.$queryRaw<BaselineItemChange[]>`
      SELECT cur."checkId", cur.title, cur.level, old.status AS before, cur.status AS after
      FROM "BaselineResultItem" cur
      LEFT JOIN "BaselineResultItem" old ON old."resultId" = ${prev?.id ?? null}::int AND old."checkId" = cur."checkId"
      WHERE cur."resultId" = ${id}
        AND ((cur.status = 'FAIL' AND old.status IS DISTINCT FROM 'FAIL') OR (cur.status = 'PASS' AND old.status IN ('FAIL', 'ERROR')))
      ORDER BY cur."checkId"`;
    return {
      resultId: id,
      previousResultId: prev?.id ?? null,
      newlyFailing: rows.filter((r) => r.after === 'FAIL'),
      newlyPassing: rows.filter((r) => r.after === 'PASS'),
    };
  }

  private async page(where: Prisma.BaselineResultWhereInput, args: { first: number; after?: string | null }) {
    const [rows, total] = await Promise.all([
      this.prisma.baselineResult.findMany({ where: { ...where, ...afterIdDesc(args.after) }, include: INCLUDE, orderBy: { id: 'desc' }, take: args.first + 1 }),
      this.prisma.baselineResult.count({ where }),
    ]);
    return toConnection(rows.map(toResult), args.first, total, (r) => [r.id]);
  }

  private scope(p: Principal): { organizationId?: number } {
    const orgId = orgScopeId(p);
    return orgId === null ? {} : { organizationId: orgId };
  }

  private async visible(p: Principal, id: number): Promise<Row> {
    const row = await this.prisma.baselineResult.findFirst({ where: { id, ...this.scope(p) }, include: INCLUDE });
    if (!row) throw notFound('Baseline result', id);
    return row;
  }

  async visibleSite(p: Principal, siteId: number) {
    const site = await this.prisma.site.findFirst({ where: { id: siteId, ...this.scope(p) }, select: { id: true, organizationId: true, securityScore: true } });
    if (!site) throw notFound('Site', siteId);
    return site;
  }
}
