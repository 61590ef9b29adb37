import type { Prisma } from '../generated/prisma/client.js';
import type { QuestionnaireAnswer, SectionScore } from './models/questionnaire-answer.model.js';
import type { Questionnaire } from './models/questionnaire.model.js';
import { questionMax, type ScoringSection } from './scoring.js';

/** Prisma include for a version with its sections, questions and choices, in order. */
export const VERSION_CONTENT = {
  sections: {
    orderBy: { position: 'asc' },
    include: { questions: { orderBy: { position: 'asc' }, include: { choices: { orderBy: { position: 'asc' } } } } },
  },
} satisfies Prisma.QuestionnaireVersionInclude;

export type VersionRow = Prisma.QuestionnaireVersionGetPayload<{ include: typeof VERSION_CONTENT }>;

export const ANSWER_INCLUDE = { items: { orderBy: { questionId: 'asc' } } } satisfies Prisma.QuestionnaireAnswerInclude;
export type AnswerRow = Prisma.QuestionnaireAnswerGetPayload<{ include: typeof ANSWER_INCLUDE }>;

/** The version's structure as the scoring functions see it. */
export function scoringSections(v: VersionRow): ScoringSection[] {
  return v.sections.map((s) => ({
    id: s.id,
    title: s.title,
    questions: s.questions.map((q) => ({ id: q.id, type: q.type, maxScore: q.maxScore, choices: q.choices })),
  }));
}

export function toQuestionnaire(v: VersionRow): Questionnaire {
  const sections = v.sections.map((s) => {
    const questions = s.questions.map((q) => ({
      id: q.id,
      position: q.position,
      type: q.type,
      text: q.text,
      help: q.help,
      required: q.required,
      configuredMaxScore: q.maxScore,
      maxScore: questionMax(q),
      choices: q.choices.map((c) => ({ id: c.id, position: c.position, label: c.label, score: c.score })),
    }));
    const maxScore = questions.reduce((sum, q) => sum + q.maxScore, 0);
    return { id: s.id, position: s.position, title: s.title, description: s.description, maxScore, questions };
  });
  return {
    id: v.id,
    familyId: v.questionnaireId,
    version: v.version,
    status: v.status,
    title: v.title,
    description: v.description,
    publishedAt: v.publishedAt,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    maxScore: sections.reduce((sum, s) => sum + s.maxScore, 0),
    sections,
  };
}

export function toAnswer(a: AnswerRow): QuestionnaireAnswer {
  return {
    id: a.id,
    questionnaireId: a.versionId,
    familyId: a.questionnaireId,
    organizationId: a.organizationId,
    submittedById: a.submittedById,
    createdAt: a.createdAt,
    score: { score: a.score, maxScore: a.maxScore, percent: a.percent, sections: a.sectionScores as unknown as SectionScore[] },
    items: a.items.map((i) => ({ questionId: i.questionId, choiceIds: i.choiceIds, text: i.text, score: i.score })),
  };
}
