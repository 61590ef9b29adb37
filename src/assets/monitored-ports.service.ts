import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { isAdmin, orgScope, orgScopeId } from '../common/auth/scope.js';
import { badInput, conflict, forbidden, notFound } from '../common/errors/domain-error.js';
import type { MonitoredPort } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { CreateMonitoredPortInput, UpdateMonitoredPortInput } from './inputs/monitored-port.input.js';

/**
 * Monitored ports: global defaults (administrators) and organisation rules (administrators, and
 * users for their own organisation). Users see the defaults and their organisation's rules.
 */
@Injectable()
export class MonitoredPortsService {
  constructor(private readonly prisma: PrismaService) {}

  list(principal: Principal, organizationId?: number): Promise<MonitoredPort[]> {
    const org = orgScopeId(principal) ?? organizationId;
    return this.prisma.monitoredPort.findMany({
      where: org === undefined ? {} : { OR: [{ organizationId: null }, { organizationId: org }] },
      orderBy: [{ protocol: 'asc' }, { port: 'asc' }, { id: 'asc' }],
    });
  }

  async create(principal: Principal, input: CreateMonitoredPortInput): Promise<MonitoredPort> {
    const organizationId = isAdmin(principal) ? (input.organizationId ?? null) : (orgScopeId(principal) ?? -1);
    if (organizationId !== null && !(await this.prisma.organization.count({ where: { id: organizationId } }))) {
      throw notFound('Organization', organizationId);
    }
    const limits = await this.checkLimits(organizationId, input.tagIds ?? [], input.siteIds ?? []);
    // NULL organisation ids never collide in the unique index: defaults are checked here.
    if (organizationId === null && (await this.prisma.monitoredPort.count({ where: { organizationId: null, port: input.port, protocol: input.protocol } }))) {
      throw conflict(`${input.protocol} ${input.port} is already a global default`);
    }
    return this.prisma.monitoredPort.create({
      data: { organizationId, port: input.port, protocol: input.protocol, riskLevel: input.riskLevel, note: input.note ?? null, ...limits },
    });
  }

  async update(principal: Principal, input: UpdateMonitoredPortInput): Promise<MonitoredPort> {
    const row = await this.editable(principal, input.id);
    const limits = await this.checkLimits(row.organizationId, input.tagIds ?? row.tagIds, input.siteIds ?? row.siteIds);
    return this.prisma.monitoredPort.update({
      where: { id: row.id },
      data: { riskLevel: input.riskLevel ?? undefined, note: input.note === undefined ? undefined : input.note || null, ...limits },
    });
  }

  async delete(principal: Principal, id: number): Promise<MonitoredPort> {
    const row = await this.editable(principal, id);
    await this.prisma.monitoredPort.delete({ where: { id: row.id } });
    return row;
  }

  /** NOT_FOUND for another organisation's rule; FORBIDDEN for a user touching a global default. */
  private async editable(principal: Principal, id: number): Promise<MonitoredPort> {
    const scope = orgScope(principal);
    const row = await this.prisma.monitoredPort.findUnique({ where: { id } });
    if (!row || (scope.organizationId !== undefined && row.organizationId !== null && row.organizationId !== scope.organizationId)) {
      throw notFound('Monitored port', id);
    }
    if (row.organizationId === null && !isAdmin(principal)) throw forbidden('Only administrators change the global defaults');
    return row;
  }

  /** Tags and sites must be the rule's organisation's; a global default has no limits. */
  private async checkLimits(organizationId: number | null, tagIds: number[], siteIds: number[]) {
    const tags = [...new Set(tagIds)];
    const sites = [...new Set(siteIds)];
    if (organizationId === null) {
      if (tags.length || sites.length) throw badInput('A global default cannot be limited to tags or sites', { field: tags.length ? 'tagIds' : 'siteIds' });
      return { tagIds: [], siteIds: [] };
    }
    if (tags.length && (await this.prisma.tag.count({ where: { id: { in: tags }, organizationId } })) !== tags.length) {
      throw badInput("tagIds must be tags of the rule's organisation", { field: 'tagIds' });
    }
    if (sites.length && (await this.prisma.site.count({ where: { id: { in: sites }, organizationId } })) !== sites.length) {
      throw badInput("siteIds must be sites of the rule's organisation", { field: 'siteIds' });
    }
    return { tagIds: tags, siteIds: sites };
  }
}
