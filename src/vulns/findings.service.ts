import { Injectable } from '@nestjs/common';
import { assertOrgAccess, isAdmin, orgScope, orgScopeId } from '../common/auth/scope.js';
import type { Principal } from '../common/auth/principal.js';
import { badInput, notFound } from '../common/errors/domain-error.js';
import { containsText } from '../common/text/like.js';
import type { FindingStatus } from '../generated/prisma/enums.js';
import type { Prisma } from '../generated/prisma/client.js';
import { afterIdDesc, toConnection } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { SetVulnStatusInput, VulnFilter, VulnIdsInput, VulnListArgs } from './inputs/vuln-filter.input.js';
import { toVuln } from './vuln.mapper.js';

const INCLUDE = { entry: true, site: { select: { name: true, url: true } } } as const;

/** Findings: queries with organisation scoping, status changes with history, and the trash. */
@Injectable()
export class FindingsService {
  constructor(private readonly prisma: PrismaService) {}

  async list(principal: Principal, args: VulnListArgs, trashed = false) {
    const where = await this.where(principal, args.filter ?? {}, trashed);
    const [rows, total] = await Promise.all([
      this.prisma.finding.findMany({
        where: { ...where, ...afterIdDesc(args.after) },
        include: INCLUDE,
        orderBy: { id: 'desc' },
        take: args.first + 1,
      }),
      this.prisma.finding.count({ where }),
    ]);
    return toConnection(rows.map(toVuln), args.first, total, (r) => [r.id]);
  }

  async siteVulns(principal: Principal, siteId: number, args: VulnListArgs) {
    const site = await this.prisma.site.findUnique({ where: { id: siteId }, select: { organizationId: true } });
    if (!site) throw notFound('Site', siteId);
    assertOrgAccess(principal, site.organizationId, 'Site', siteId);
    return this.list(principal, { ...args, filter: { ...args.filter, siteId } });
  }

  async detail(principal: Principal, id: number) {
    const row = await this.prisma.finding.findUnique({
      where: { id },
      include: { ...INCLUDE, history: { orderBy: { id: 'asc' }, include: { user: { select: { username: true } } } } },
    });
    if (!row) throw notFound('Vuln', id);
    assertOrgAccess(principal, row.organizationId, 'Vuln', id);
    return {
      ...toVuln(row),
      history: row.history.map(({ user, ...h }) => ({ ...h, username: user?.username ?? null })),
    };
  }

  /** Changes the status of many findings at once; each real change gets a history row. */
  async setStatus(principal: Principal, input: SetVulnStatusInput): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      await this.assertVisible(tx, principal, input.ids);
      return this.changeStatus(tx, principal, input.ids, input.status, input.reason ?? `Set to ${input.status} by hand`);
    });
  }

  async trash(principal: Principal, input: VulnIdsInput): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      await this.assertVisible(tx, principal, input.ids);
      const r = await tx.finding.updateMany({ where: { id: { in: input.ids }, trashedAt: null }, data: { trashedAt: new Date() } });
      return r.count;
    });
  }

  async restore(principal: Principal, input: VulnIdsInput): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      await this.assertVisible(tx, principal, input.ids);
      const r = await tx.finding.updateMany({ where: { id: { in: input.ids }, trashedAt: { not: null } }, data: { trashedAt: null } });
      return r.count;
    });
  }

  /** Administrators delete findings from the trash for good (all of it, or the given ids). */
  async purge(ids: number[] | undefined): Promise<number> {
    const r = await this.prisma.finding.deleteMany({ where: { trashedAt: { not: null }, ...(ids ? { id: { in: ids } } : {}) } });
    return r.count;
  }

  private async where(principal: Principal, f: VulnFilter, trashed: boolean): Promise<Prisma.FindingWhereInput> {
    const scope = orgScope(principal);
    const and: Prisma.FindingWhereInput[] = [];
    if (f.organizationId && isAdmin(principal)) and.push({ organizationId: f.organizationId });
    if (f.taskId) and.push(await this.ofTask(f.taskId));
    if (f.text) {
      const c = containsText(f.text);
      and.push({ OR: [{ url: c }, { parameter: c }, { entry: { name: c } }] });
    }
    return {
      ...scope,
      trashedAt: trashed ? { not: null } : null,
      ...(f.siteId ? { siteId: f.siteId } : {}),
      ...(f.levels?.length ? { level: { in: f.levels } } : {}),
      ...(f.statuses?.length ? { status: { in: f.statuses } } : {}),
      ...(f.kind || f.name
        ? { entry: { ...(f.kind ? { kind: f.kind } : {}), ...(f.name ? { name: containsText(f.name) } : {}) } }
        : {}),
      lastSeen: { ...(f.seenFrom ? { gte: f.seenFrom } : {}), ...(f.seenTo ? { lt: f.seenTo } : {}) },
      firstSeen: { ...(f.firstSeenFrom ? { gte: f.firstSeenFrom } : {}), ...(f.firstSeenTo ? { lt: f.firstSeenTo } : {}) },
      ...(and.length ? { AND: and } : {}),
    };
  }

  /**
   * Findings a task found first (taskId, indexed) or was the last to see (lastTaskId). lastTaskId
   * has no index on purpose (a re-sighting changes it; see Finding in vulns.prisma), so the
   * condition is narrowed to the task's sites, which hold every finding a task can write (the
   * applier accepts records for the task's sites only): the scan reads the (siteId, status) index
   * and the findings of those sites, never the whole table.
   */
  private async ofTask(taskId: number): Promise<Prisma.FindingWhereInput> {
    const sites = await this.prisma.taskSite.findMany({ where: { taskId }, select: { siteId: true } });
    return { siteId: { in: sites.map((s) => s.siteId) }, OR: [{ taskId }, { lastTaskId: taskId }] };
  }

  /** NOT_FOUND unless every id is a finding the caller may see (other organisations' ids look absent). */
  private async assertVisible(tx: Prisma.TransactionClient, principal: Principal, ids: number[]): Promise<void> {
    const unique = [...new Set(ids)];
    const visible = await tx.finding.count({ where: { id: { in: unique }, ...orgScope(principal) } });
    if (visible !== unique.length) throw notFound('Vuln');
  }

  private async changeStatus(
    tx: Prisma.TransactionClient,
    principal: Principal,
    ids: number[],
    status: FindingStatus,
    reason: string,
  ): Promise<number> {
    if (reason.length > 1000) throw badInput('reason is too long', { field: 'reason' });
    const userId = principal.kind === 'user' ? principal.id : null;
    const apiKeyId = principal.kind === 'apiKey' ? principal.id : null;
    const org = orgScopeId(principal);
    return tx.$executeRaw`
      WITH old AS (
        SELECT id, status FROM "Finding"
        WHERE id = ANY(${ids}::int[]) AND status <> ${status}::"FindingStatus"
          AND (${org}::int IS NULL OR "organizationId" = ${org}::int)
        FOR UPDATE
      ), changed AS (
        UPDATE "Finding" f SET status = ${status}::"FindingStatus", "statusChangedAt" = now()
        FROM old WHERE f.id = old.id
        RETURNING f.id, old.status AS "fromStatus"
      )
      INSERT INTO "FindingHistory" ("findingId", "fromStatus", "toStatus", "userId", "apiKeyId", reason)
      SELECT id, "fromStatus", ${status}::"FindingStatus", ${userId}::int, ${apiKeyId}::int, ${reason} FROM changed`;
  }
}
