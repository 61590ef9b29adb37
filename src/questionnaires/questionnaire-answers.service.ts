import { Injectable } from '@nestjs/common';
import { assertOrgAccess, isAdmin, orgScope } from '../common/auth/scope.js';
import type { Principal } from '../common/auth/principal.js';
import { badInput, conflict, forbidden, notFound } from '../common/errors/domain-error.js';
import type { Prisma } from '../generated/prisma/client.js';
import { afterIdDesc, toConnection, type Connection } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { validateAnswers } from './answer-validation.js';
import type { QuestionnaireAnswersArgs } from './args/questionnaire.args.js';
import type { SubmitQuestionnaireAnswerInput } from './inputs/submit-answer.input.js';
import type { QuestionnaireAnswer, QuestionnaireScore } from './models/questionnaire-answer.model.js';
import { ANSWER_INCLUDE, scoringSections, toAnswer } from './questionnaire.mapper.js';
import { QuestionnairesService } from './questionnaires.service.js';
import { scoreAnswers } from './scoring.js';

/**
 * Submitted answers. The score is computed here at submission (see scoring.ts) and stored with
 * the answer and the exact version it answers. Users see their organisation's answers only.
 */
@Injectable()
export class QuestionnaireAnswersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly questionnaires: QuestionnairesService,
  ) {}

  async submit(principal: Principal, input: SubmitQuestionnaireAnswerInput): Promise<QuestionnaireAnswer> {
    const organizationId = await this.answeringOrg(principal, input.organizationId ?? undefined);
    const version = await this.questionnaires.visibleVersion(principal, input.questionnaireId);
    if (version.status !== 'PUBLISHED') {
      throw conflict(`Questionnaire ${version.id} is ${version.status.toLowerCase()}; only the published version can be answered`, {
        status: version.status,
      });
    }
    const questions = version.sections.flatMap((s) => s.questions);
    const answers = validateAnswers(questions, input.answers);
    const result = scoreAnswers(scoringSections(version), answers);
    const row = await this.prisma.questionnaireAnswer.create({
      data: {
        questionnaireId: version.questionnaireId,
        versionId: version.id,
        organizationId,
        submittedById: principal.kind === 'user' ? principal.id : null,
        score: result.score,
        maxScore: result.maxScore,
        percent: result.percent,
        sectionScores: result.sections as unknown as Prisma.InputJsonValue,
        items: {
          create: [...answers].map(([questionId, a]) => ({
            questionId,
            choiceIds: a.choiceIds,
            text: a.text,
            score: result.questionScores.get(questionId) ?? 0,
          })),
        },
      },
      include: ANSWER_INCLUDE,
    });
    return toAnswer(row);
  }

  async list(principal: Principal, args: QuestionnaireAnswersArgs): Promise<Connection<QuestionnaireAnswer>> {
    const where: Prisma.QuestionnaireAnswerWhereInput = {
      ...(args.questionnaireId ? { versionId: args.questionnaireId } : {}),
      ...(args.familyId ? { questionnaireId: args.familyId } : {}),
      ...(args.organizationId ? { organizationId: args.organizationId } : {}),
      ...orgScope(principal),
    };
    const [rows, total] = await Promise.all([
      this.prisma.questionnaireAnswer.findMany({
        where: { ...where, ...afterIdDesc(args.after) },
        orderBy: { id: 'desc' },
        take: args.first + 1,
        include: ANSWER_INCLUDE,
      }),
      this.prisma.questionnaireAnswer.count({ where }),
    ]);
    return toConnection(rows.map(toAnswer), args.first, total, (a) => [a.id]);
  }

  async get(principal: Principal, id: number): Promise<QuestionnaireAnswer> {
    const row = await this.prisma.questionnaireAnswer.findUnique({ where: { id }, include: ANSWER_INCLUDE });
    if (!row) throw notFound('Questionnaire answer', id);
    assertOrgAccess(principal, row.organizationId, 'Questionnaire answer', id);
    return toAnswer(row);
  }

  async score(principal: Principal, id: number): Promise<QuestionnaireScore> {
    return (await this.get(principal, id)).score;
  }

  /** The organisation's most recent answer to any version of the family, or null. */
  async latest(principal: Principal, familyId: number, organizationId?: number): Promise<QuestionnaireAnswer | null> {
    const orgId = organizationId ?? principal.organizationId;
    if (!orgId) throw badInput('organizationId is required', { field: 'organizationId' });
    assertOrgAccess(principal, orgId, 'Organization', orgId);
    const row = await this.prisma.questionnaireAnswer.findFirst({
      where: { questionnaireId: familyId, organizationId: orgId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      include: ANSWER_INCLUDE,
    });
    return row ? toAnswer(row) : null;
  }

  /** Users answer for their own organisation; administrators for any (their own by default). */
  private async answeringOrg(principal: Principal, requested?: number): Promise<number> {
    const orgId = requested ?? principal.organizationId;
    if (!orgId) {
      throw isAdmin(principal)
        ? badInput('organizationId is required', { field: 'organizationId' })
        : forbidden('You do not belong to an organisation');
    }
    assertOrgAccess(principal, orgId, 'Organization', orgId);
    if (!(await this.prisma.organization.count({ where: { id: orgId } }))) throw notFound('Organization', orgId);
    return orgId;
  }
}
