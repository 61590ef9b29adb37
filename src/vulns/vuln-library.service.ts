import { Injectable } from '@nestjs/common';
import { orgScope } from '../common/auth/scope.js';
import type { Principal } from '../common/auth/principal.js';
import { conflict, notFound } from '../common/errors/domain-error.js';
import { containsText } from '../common/text/like.js';
import type { Prisma } from '../generated/prisma/client.js';
import { afterIdDesc, toConnection } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { entryKey } from './entry-key.js';
import type { VulnEntryListArgs } from './inputs/vuln-filter.input.js';
import type { CreateVulnEntryInput, UpdateVulnEntryInput } from './inputs/vuln-entry.input.js';

/**
 * The vulnerability library: curated entries (organizationId null, made by administrators) are
 * read by every signed-in user; entries made from an organisation's scanner data only inside it
 * (another organisation's entry answers like a missing one). Administrators see and change all.
 */
@Injectable()
export class VulnLibraryService {
  constructor(private readonly prisma: PrismaService) {}

  private visible(principal: Principal): Prisma.VulnEntryWhereInput {
    const { organizationId } = orgScope(principal);
    return organizationId === undefined ? {} : { OR: [{ organizationId: null }, { organizationId }] };
  }

  async list(principal: Principal, args: VulnEntryListArgs) {
    const where: Prisma.VulnEntryWhereInput = {
      ...this.visible(principal),
      ...(args.name ? { name: containsText(args.name) } : {}),
      ...(args.level ? { level: args.level } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.vulnEntry.findMany({ where: { ...where, ...afterIdDesc(args.after) }, orderBy: { id: 'desc' }, take: args.first + 1 }),
      this.prisma.vulnEntry.count({ where }),
    ]);
    return toConnection(rows, args.first, total, (r) => [r.id]);
  }

  async get(principal: Principal, id: number) {
    const entry = await this.prisma.vulnEntry.findFirst({ where: { id, ...this.visible(principal) } });
    if (!entry) throw notFound('Vuln entry', id);
    return entry;
  }

  /** A curated entry: global, matched by every organisation's findings of its scanner check. */
  create(input: CreateVulnEntryInput) {
    const { scanner, checkId, ...rest } = input;
    const name = input.name.trim();
    return this.prisma.vulnEntry.create({
      data: { ...rest, name, scanner: scanner ?? null, checkId: checkId ?? null, key: entryKey(scanner, checkId, name) },
    });
  }

  async update(principal: Principal, input: UpdateVulnEntryInput) {
    const { id, ...changes } = input;
    const current = await this.get(principal, id);
    const next = { ...current, ...changes, name: (changes.name ?? current.name).trim() };
    return this.prisma.vulnEntry.update({
      where: { id },
      data: { ...changes, name: next.name, key: entryKey(next.scanner, next.checkId, next.name) },
    });
  }

  /** An entry with findings cannot go: deleting it would silently delete those findings' meaning. */
  async delete(principal: Principal, id: number): Promise<boolean> {
    await this.get(principal, id);
    if (await this.prisma.finding.count({ where: { entryId: id } })) {
      throw conflict('Findings still refer to this entry; purge them first');
    }
    await this.prisma.vulnEntry.delete({ where: { id } });
    return true;
  }
}
