import { badInput } from '../common/errors/domain-error.js';
import type { GivenAnswer, ScoringQuestion } from './scoring.js';

export interface ValidatedQuestion extends ScoringQuestion {
  required: boolean;
}

export interface SubmittedAnswer {
  questionId: number;
  choiceIds?: number[] | null;
  text?: string | null;
}

/**
 * Checks a submission against the questions of one version and returns the answers by question
 * id (blank answers dropped). Throws BAD_USER_INPUT naming the offending question or choice:
 * unknown or repeated question, a choice of another question, text for a choice question or
 * choices for a text question, several choices for a single-choice question, or required
 * questions left unanswered (all of them listed in `details.missingQuestionIds`).
 */
export function validateAnswers(questions: ValidatedQuestion[], submitted: SubmittedAnswer[]): Map<number, GivenAnswer> {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const answers = new Map<number, GivenAnswer>();
  const seen = new Set<number>();
  for (const a of submitted) {
    const q = byId.get(a.questionId);
    if (!q) throw badInput(`Question ${a.questionId} is not part of this questionnaire`, { questionId: a.questionId });
    if (seen.has(q.id)) throw badInput(`Question ${q.id} is answered twice`, { questionId: q.id });
    seen.add(q.id);
    const given = checkOne(q, a);
    if (given) answers.set(q.id, given);
  }
  const missing = questions.filter((q) => q.required && !answers.has(q.id)).map((q) => q.id);
  if (missing.length) {
    throw badInput(`Required questions are not answered: ${missing.join(', ')}`, { missingQuestionIds: missing });
  }
  return answers;
}

/** One answer checked against its question; null when it is blank. */
function checkOne(q: ValidatedQuestion, a: SubmittedAnswer): GivenAnswer | null {
  const choiceIds = a.choiceIds ?? [];
  const text = a.text ?? null;
  if (q.type === 'TEXT') {
    if (choiceIds.length) throw badInput(`Question ${q.id} takes text, not choices`, { questionId: q.id });
    return text?.trim() ? { choiceIds: [], text } : null;
  }
  if (text !== null) throw badInput(`Question ${q.id} takes choices, not text`, { questionId: q.id });
  if (new Set(choiceIds).size !== choiceIds.length) throw badInput(`Question ${q.id} has a choice repeated`, { questionId: q.id });
  const own = new Set(q.choices.map((c) => c.id));
  const foreign = choiceIds.find((id) => !own.has(id));
  if (foreign !== undefined) {
    throw badInput(`Choice ${foreign} does not belong to question ${q.id}`, { questionId: q.id, choiceId: foreign });
  }
  if (q.type === 'SINGLE_CHOICE' && choiceIds.length > 1) {
    throw badInput(`Question ${q.id} takes a single choice`, { questionId: q.id });
  }
  return choiceIds.length ? { choiceIds, text: null } : null;
}
