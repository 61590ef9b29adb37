import { Injectable } from '@nestjs/common';
import { isAdmin } from '../common/auth/scope.js';
import type { Principal } from '../common/auth/principal.js';
import { conflict, notFound } from '../common/errors/domain-error.js';
import type { Prisma } from '../generated/prisma/client.js';
import { afterIdDesc, toConnection, type Connection } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { QuestionnaireContentInput, UpdateQuestionnaireInput } from './inputs/questionnaire-content.input.js';
import { checkContent, contentData } from './questionnaire-content.js';
import { toQuestionnaire, VERSION_CONTENT, type VersionRow } from './questionnaire.mapper.js';
import type { Questionnaire } from './models/questionnaire.model.js';

type Tx = Prisma.TransactionClient;

/**
 * Questionnaires and their versions. A published version is immutable: editing it makes a new
 * draft version (copy-on-write), and publishing that draft archives the previous one. Users
 * see published and archived versions only; drafts are for administrators.
 */
@Injectable()
export class QuestionnairesService {
  constructor(private readonly prisma: PrismaService) {}

  /** One row per family: the current published version (users) or the latest version (admins). */
  async list(principal: Principal, first: number, after?: string | null): Promise<Connection<Questionnaire>> {
    const admin = isAdmin(principal);
    const where: Prisma.QuestionnaireWhereInput = admin ? {} : { versions: { some: { status: 'PUBLISHED' } } };
    const [families, total] = await Promise.all([
      this.prisma.questionnaire.findMany({
        where: { ...where, ...afterIdDesc(after) },
        orderBy: { id: 'desc' },
        take: first + 1,
        include: {
          versions: {
            where: admin ? {} : { status: 'PUBLISHED' },
            orderBy: { version: 'desc' },
            take: 1,
            include: VERSION_CONTENT,
          },
        },
      }),
      this.prisma.questionnaire.count({ where }),
    ]);
    const rows = families.filter((f) => f.versions.length).map((f) => toQuestionnaire(f.versions[0]));
    return toConnection(rows, first, total, (q) => [q.familyId]);
  }

  /** One version; drafts are NOT_FOUND for non-administrators. */
  async get(principal: Principal | undefined, id: number): Promise<Questionnaire> {
    return toQuestionnaire(await this.visibleVersion(principal, id));
  }

  async visibleVersion(principal: Principal | undefined, id: number): Promise<VersionRow> {
    const v = await this.prisma.questionnaireVersion.findUnique({ where: { id }, include: VERSION_CONTENT });
    if (!v || (v.status === 'DRAFT' && !isAdmin(principal))) throw notFound('Questionnaire', id);
    return v;
  }

  /** Every version of a family, newest first (administrators). */
  async versions(familyId: number): Promise<Questionnaire[]> {
    const rows = await this.prisma.questionnaireVersion.findMany({
      where: { questionnaireId: familyId },
      orderBy: { version: 'desc' },
      include: VERSION_CONTENT,
    });
    if (!rows.length) throw notFound('Questionnaire family', familyId);
    return rows.map(toQuestionnaire);
  }

  async byIds(ids: readonly number[]): Promise<Questionnaire[]> {
    const rows = await this.prisma.questionnaireVersion.findMany({ where: { id: { in: [...ids] } }, include: VERSION_CONTENT });
    return rows.map(toQuestionnaire);
  }

  /** A new family with version 1 as a draft. */
  async create(principal: Principal, input: QuestionnaireContentInput): Promise<Questionnaire> {
    checkContent(input);
    const family = await this.prisma.questionnaire.create({
      data: { versions: { create: { version: 1, createdById: userIdOf(principal), ...contentData(input) } } },
      include: { versions: { include: VERSION_CONTENT } },
    });
    return toQuestionnaire(family.versions[0]);
  }

  /**
   * Replaces the content of a draft in place. A published version stays as it is: a new draft
   * version with the given content is made instead (CONFLICT when the family already has a
   * draft, which is the one to edit). Archived versions cannot be edited.
   */
  async update(principal: Principal, input: UpdateQuestionnaireInput): Promise<Questionnaire> {
    checkContent(input);
    const id = await this.prisma.$transaction(async (tx) => {
      const v = await lockedVersion(tx, input.id);
      if (v.status === 'ARCHIVED') throw conflict(`Version ${v.version} is archived; edit the current version`, { id: v.id });
      if (v.status === 'DRAFT') {
        await tx.questionnaireSection.deleteMany({ where: { versionId: v.id } });
        await tx.questionnaireVersion.update({ where: { id: v.id }, data: contentData(input) });
        return v.id;
      }
      const latest = await tx.questionnaireVersion.findFirstOrThrow({
        where: { questionnaireId: v.questionnaireId },
        orderBy: { version: 'desc' },
      });
      if (latest.status === 'DRAFT') {
        throw conflict(`Version ${latest.version} is already a draft of this questionnaire; edit it instead`, { draftId: latest.id });
      }
      const created = await tx.questionnaireVersion.create({
        data: { questionnaireId: v.questionnaireId, version: latest.version + 1, createdById: userIdOf(principal), ...contentData(input) },
      });
      return created.id;
    });
    return this.get(principal, id);
  }

  /** Publishes a draft; the previously published version of the family becomes ARCHIVED. */
  async publish(principal: Principal, id: number): Promise<Questionnaire> {
    await this.prisma.$transaction(async (tx) => {
      const v = await lockedVersion(tx, id);
      if (v.status !== 'DRAFT') throw conflict(`Version ${v.version} is already ${v.status.toLowerCase()}`, { id });
      await tx.questionnaireVersion.updateMany({
        where: { questionnaireId: v.questionnaireId, status: 'PUBLISHED' },
        data: { status: 'ARCHIVED' },
      });
      await tx.questionnaireVersion.update({ where: { id }, data: { status: 'PUBLISHED', publishedAt: new Date() } });
    });
    return this.get(principal, id);
  }

  /** Deletes a draft version (and its family when nothing else is left). */
  async deleteDraft(id: number): Promise<boolean> {
    await this.prisma.$transaction(async (tx) => {
      const v = await lockedVersion(tx, id);
      if (v.status !== 'DRAFT') throw conflict('Only draft versions can be deleted', { id });
      await tx.questionnaireVersion.delete({ where: { id } });
      if (!(await tx.questionnaireVersion.count({ where: { questionnaireId: v.questionnaireId } }))) {
        await tx.questionnaire.delete({ where: { id: v.questionnaireId } });
      }
    });
    return true;
  }
}

/** Loads a version and locks its family row, so edits and publications of a family run one at a time. */
async function lockedVersion(tx: Tx, id: number) {
  const v = await tx.questionnaireVersion.findUnique({ where: { id } });
  if (!v) throw notFound('Questionnaire', id);
  await tx.$queryRaw`SELECT id FROM "Questionnaire" WHERE id = ${v.questionnaireId} FOR UPDATE`;
  const fresh = await tx.questionnaireVersion.findUnique({ where: { id } });
  if (!fresh) throw notFound('Questionnaire', id);
  return fresh;
}

const userIdOf = (p: Principal): number | null => (p.kind === 'user' ? p.id : null);
