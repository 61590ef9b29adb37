import { Injectable } from '@nestjs/common';
import { badInput, conflict, notFound } from '../common/errors/domain-error.js';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { BaselineScriptInput } from './inputs/baseline-script.input.js';
import type { BaselineScript, BaselineScriptVersion } from './models/baseline-script.model.js';

const CHECKS = { checks: { orderBy: { position: 'asc' } } } as const;

/**
 * Baseline scripts (shared by every organisation; administrators edit them). A script's checks
 * live in versions: an update writes a new version and never touches the old ones, which the
 * results checked against them keep.
 */
@Injectable()
export class BaselineScriptsService {
  constructor(private readonly prisma: PrismaService) {}

  async list(): Promise<BaselineScript[]> {
    const rows = await this.prisma.baselineScript.findMany({ orderBy: { name: 'asc' } });
    const current = await this.prisma.baselineScriptVersion.findMany({
      where: { OR: rows.map((r) => ({ scriptId: r.id, version: r.latestVersion })) },
      include: CHECKS,
    });
    const byScript = new Map(current.map((v) => [v.scriptId, v]));
    return rows.map((r) => ({ ...r, current: byScript.get(r.id)! }));
  }

  async get(id: number): Promise<BaselineScript> {
    const row = await this.prisma.baselineScript.findUnique({ where: { id } });
    if (!row) throw notFound('Baseline script', id);
    return this.withCurrent(row);
  }

  async versions(id: number): Promise<BaselineScriptVersion[]> {
    await this.get(id);
    return this.prisma.baselineScriptVersion.findMany({ where: { scriptId: id }, include: CHECKS, orderBy: { version: 'desc' } });
  }

  async version(id: number, version: number): Promise<BaselineScriptVersion> {
    const v = await this.prisma.baselineScriptVersion.findUnique({ where: { scriptId_version: { scriptId: id, version } }, include: CHECKS });
    if (!v) throw notFound(`Version ${version} of baseline script`, id);
    return v;
  }

  async create(input: BaselineScriptInput): Promise<BaselineScript> {
    const row = await this.prisma.baselineScript.create({
      data: { ...fields(input), versions: { create: { version: 1, checks: { create: checks(input) } } } },
    });
    return this.get(row.id);
  }

  /** Edits make version latestVersion + 1 (the row lock orders concurrent edits). */
  async update(id: number, input: BaselineScriptInput): Promise<BaselineScript> {
    await this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ latestVersion: number }[]>`SELECT "latestVersion" FROM "BaselineScript" WHERE id = ${id} FOR UPDATE`;
      if (!locked.length) throw notFound('Baseline script', id);
      const version = locked[0].latestVersion + 1;
      await tx.baselineScriptVersion.create({ data: { scriptId: id, version, checks: { create: checks(input) } } });
      await tx.baselineScript.update({ where: { id }, data: { ...fields(input), latestVersion: version } });
    });
    return this.get(id);
  }

  /** A script that results were checked against cannot be deleted (delete the results first). */
  async delete(id: number): Promise<boolean> {
    await this.get(id);
    if (await this.prisma.baselineResult.count({ where: { scriptId: id } })) {
      throw conflict('Results were checked against this script; delete them first');
    }
    await this.prisma.baselineScript.delete({ where: { id } });
    return true;
  }

  private async withCurrent(row: Prisma.BaselineScriptGetPayload<object>): Promise<BaselineScript> {
    return { ...row, current: await this.version(row.id, row.latestVersion) };
  }
}

function fields(input: BaselineScriptInput) {
  return {
    name: input.name.trim(),
    target: input.target.trim(),
    targetVersion: input.targetVersion?.trim() || null,
    description: input.description?.trim() || null,
  };
}

function checks(input: BaselineScriptInput) {
  const ids = new Set<string>();
  return input.checks.map((c, position) => {
    if (ids.has(c.checkId)) throw badInput(`Check id ${c.checkId} appears twice`, { field: 'checks' });
    ids.add(c.checkId);
    return {
      checkId: c.checkId, position, title: c.title.trim(), level: c.level,
      expected: c.expected ?? null, rationale: c.rationale ?? null, remediation: c.remediation ?? null,
    };
  });
}
