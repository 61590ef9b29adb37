import { Injectable } from '@nestjs/common';
import { conflict, notFound } from '../common/errors/domain-error.js';
import { containsText } from '../common/text/like.js';
import type { Prisma } from '../generated/prisma/client.js';
import { afterIdDesc, toConnection } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { entryKey } from './entry-key.js';
import type { VulnEntryListArgs } from './inputs/vuln-filter.input.js';
import type { CreateVulnEntryInput, UpdateVulnEntryInput } from './inputs/vuln-entry.input.js';

/** The vulnerability library: readable by every signed-in user, changed by administrators. */
@Injectable()
export class VulnLibraryService {
  constructor(private readonly prisma: PrismaService) {}

  async list(args: VulnEntryListArgs) {
    const where: Prisma.VulnEntryWhereInput = {
      ...(args.name ? { name: containsText(args.name) } : {}),
      ...(args.level ? { level: args.level } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.vulnEntry.findMany({ where: { ...where, ...afterIdDesc(args.after) }, orderBy: { id: 'desc' }, take: args.first + 1 }),
      this.prisma.vulnEntry.count({ where }),
    ]);
    return toConnection(rows, args.first, total, (r) => [r.id]);
  }

  async get(id: number) {
    const entry = await this.prisma.vulnEntry.findUnique({ where: { id } });
    if (!entry) throw notFound('Vuln entry', id);
    return entry;
  }

  create(input: CreateVulnEntryInput) {
    const { scanner, checkId, ...rest } = input;
    const name = input.name.trim();
    return this.prisma.vulnEntry.create({
      data: { ...rest, name, scanner: scanner ?? null, checkId: checkId ?? null, key: entryKey(scanner, checkId, name) },
    });
  }

  async update(input: UpdateVulnEntryInput) {
    const { id, ...changes } = input;
    const current = await this.get(id);
    const next = { ...current, ...changes, name: (changes.name ?? current.name).trim() };
    return this.prisma.vulnEntry.update({
      where: { id },
      data: { ...changes, name: next.name, key: entryKey(next.scanner, next.checkId, next.name) },
    });
  }

  /** An entry with findings cannot go: deleting it would silently delete those findings' meaning. */
  async delete(id: number): Promise<boolean> {
    await this.get(id);
    if (await this.prisma.finding.count({ where: { entryId: id } })) {
      throw conflict('Findings still refer to this entry; purge them first');
    }
    await this.prisma.vulnEntry.delete({ where: { id } });
    return true;
  }
}
