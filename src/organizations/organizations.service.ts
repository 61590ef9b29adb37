import { Injectable } from '@nestjs/common';
import { orgScope } from '../common/auth/scope.js';
import type { Principal } from '../common/auth/principal.js';
import { conflict, notFound } from '../common/errors/domain-error.js';
import { PrismaService } from '../prisma/prisma.service.js';

@Injectable()
export class OrganizationsService {
  constructor(private readonly prisma: PrismaService) {}

  /** Administrators see every organisation; others only their own. */
  list(principal: Principal) {
    const scope = orgScope(principal);
    return this.prisma.organization.findMany({
      where: scope.organizationId === undefined ? {} : { id: scope.organizationId },
      orderBy: { name: 'asc' },
    });
  }

  byIds(ids: readonly number[]) {
    return this.prisma.organization.findMany({ where: { id: { in: [...ids] } } });
  }

  create(name: string) {
    return this.prisma.organization.create({ data: { name: name.trim() } });
  }

  async rename(id: number, name: string) {
    await this.get(id);
    return this.prisma.organization.update({ where: { id }, data: { name: name.trim() } });
  }

  /** Only an empty organisation can go: its data is never deleted as a side effect. */
  async delete(id: number): Promise<boolean> {
    await this.get(id);
    const [users, sites, apiKeys] = await Promise.all([
      this.prisma.user.count({ where: { organizationId: id } }),
      this.prisma.site.count({ where: { organizationId: id } }),
      this.prisma.apiKey.count({ where: { organizationId: id, revokedAt: null } }),
    ]);
    if (users || sites || apiKeys) {
      throw conflict('The organisation still has users, sites or active API keys; move or delete them first', { users, sites, apiKeys });
    }
    await this.prisma.organization.delete({ where: { id } });
    return true;
  }

  private async get(id: number) {
    const org = await this.prisma.organization.findUnique({ where: { id } });
    if (!org) throw notFound('Organization', id);
    return org;
  }
}
