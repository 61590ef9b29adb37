import { Injectable } from '@nestjs/common';
import { assertOrgAccess, isAdmin, orgScope, orgScopeId } from '../common/auth/scope.js';
import type { Principal } from '../common/auth/principal.js';
import { badInput, notFound } from '../common/errors/domain-error.js';
import { containsText } from '../common/text/like.js';
import type { Prisma } from '../generated/prisma/client.js';
import { toConnection } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { FindingRepository } from './finding.repository.js';
import type { SetVulnStatusInput, VulnFilter, VulnIdsInput, VulnListArgs } from './inputs/vuln-filter.input.js';
import { toVuln } from './vuln.mapper.js';

/** Findings: organisation scoping, filters, status changes with history, and the trash. */
@Injectable()
export class FindingsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly findings: FindingRepository,
  ) {}

  async list(principal: Principal, args: VulnListArgs, trashed = false) {
    const where = await this.where(principal, args.filter ?? {}, trashed);
    const [rows, total] = await this.findings.page(where, args.after, args.first + 1);
    return toConnection(rows.map(toVuln), args.first, total, (r) => [r.id]);
  }

  async siteVulns(principal: Principal, siteId: number, args: VulnListArgs) {
    const site = await this.prisma.site.findUnique({ where: { id: siteId }, select: { organizationId: true } });
    if (!site) throw notFound('Site', siteId);
    assertOrgAccess(principal, site.organizationId, 'Site', siteId);
    return this.list(principal, { ...args, filter: { ...args.filter, siteId } });
  }

  async detail(principal: Principal, id: number) {
    const row = await this.findings.detail(id);
    if (!row) throw notFound('Vuln', id);
    assertOrgAccess(principal, row.organizationId, 'Vuln', id);
    return {
      ...toVuln(row),
      history: row.history.map(({ user, ...h }) => ({ ...h, username: user?.username ?? null })),
    };
  }

  /** Changes the status of many findings at once; each real change gets a history row. */
  async setStatus(principal: Principal, input: SetVulnStatusInput): Promise<number> {
    const reason = input.reason ?? `Set to ${input.status} by hand`;
    if (reason.length > 1000) throw badInput('reason is too long', { field: 'reason' });
    const by = { userId: principal.kind === 'user' ? principal.id : null, apiKeyId: principal.kind === 'apiKey' ? principal.id : null, reason };
    return visibleOrNotFound(await this.findings.setStatus(input.ids, orgScopeId(principal), input.status, by));
  }

  async trash(principal: Principal, input: VulnIdsInput): Promise<number> {
    return visibleOrNotFound(await this.findings.trash(input.ids, orgScopeId(principal), true));
  }

  async restore(principal: Principal, input: VulnIdsInput): Promise<number> {
    return visibleOrNotFound(await this.findings.trash(input.ids, orgScopeId(principal), false));
  }

  /** Administrators delete findings from the trash for good (all of it, or the given ids). */
  purge(ids: number[] | undefined): Promise<number> {
    return this.findings.purge(ids);
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
    return { siteId: { in: await this.findings.siteIdsOfTask(taskId) }, OR: [{ taskId }, { lastTaskId: taskId }] };
  }
}

/** A change answers null when an id is not a finding the caller may see: NOT_FOUND (other organisations' ids look absent). */
function visibleOrNotFound(changed: number | null): number {
  if (changed === null) throw notFound('Vuln');
  return changed;
}
