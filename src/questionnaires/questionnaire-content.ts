import { badInput } from '../common/errors/domain-error.js';
import type { Prisma } from '../generated/prisma/client.js';
import { MAX_QUESTIONS, type QuestionnaireContentInput } from './inputs/questionnaire-content.input.js';

/** Rules class-validator cannot express: a total question limit, choices that fit the question type. */
export function checkContent(input: QuestionnaireContentInput): void {
  const total = input.sections.reduce((n, s) => n + s.questions.length, 0);
  if (total > MAX_QUESTIONS) throw badInput(`A questionnaire has at most ${MAX_QUESTIONS} questions (got ${total})`, { field: 'sections' });
  input.sections.forEach((s, i) =>
    s.questions.forEach((q, j) => {
      const field = `sections[${i}].questions[${j}]`;
      if (q.type === 'TEXT' && q.choices.length) throw badInput(`${field}: a TEXT question has no choices`, { field });
      if (q.type !== 'TEXT' && q.choices.length < 2) throw badInput(`${field}: a choice question needs at least 2 choices`, { field });
      if (q.type === 'SINGLE_CHOICE' && q.maxScore != null) {
        throw badInput(`${field}: maxScore is not used by SINGLE_CHOICE questions`, { field });
      }
    }),
  );
}

/** Prisma data for a version's title, description and nested sections, questions and choices. */
export function contentData(input: QuestionnaireContentInput) {
  return {
    title: input.title.trim(),
    description: input.description ?? null,
    sections: {
      create: input.sections.map((s, i) => ({
        position: i,
        title: s.title.trim(),
        description: s.description ?? null,
        questions: {
          create: s.questions.map((q, j) => ({
            position: j,
            type: q.type,
            text: q.text,
            help: q.help ?? null,
            required: q.required,
            maxScore: q.maxScore ?? null,
            choices: { create: q.choices.map((c, k) => ({ position: k, label: c.label, score: c.score })) },
          })),
        },
      })),
    },
  } satisfies Prisma.QuestionnaireVersionUpdateInput;
}
