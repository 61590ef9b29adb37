import { DomainError } from '../common/errors/domain-error.js';
import { validateAnswers, type SubmittedAnswer, type ValidatedQuestion } from './answer-validation.js';

const questions: ValidatedQuestion[] = [
  { id: 1, type: 'SINGLE_CHOICE', required: true, maxScore: null, choices: [{ id: 11, score: 0 }, { id: 12, score: 5 }] },
  { id: 2, type: 'MULTIPLE_CHOICE', required: false, maxScore: null, choices: [{ id: 21, score: 1 }, { id: 22, score: 2 }] },
  { id: 3, type: 'TEXT', required: true, maxScore: null, choices: [] },
];

function failure(submitted: SubmittedAnswer[]): DomainError {
  try {
    validateAnswers(questions, submitted);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

const valid: SubmittedAnswer[] = [
  { questionId: 1, choiceIds: [12] },
  { questionId: 3, text: 'we have a policy' },
];

describe('validateAnswers', () => {
  it('accepts a complete submission and drops blank optional answers', () => {
    const r = validateAnswers(questions, [...valid, { questionId: 2, choiceIds: [] }]);
    expect([...r.keys()].sort()).toEqual([1, 3]);
    expect(r.get(1)).toEqual({ choiceIds: [12], text: null });
  });

  it('lists every required question left unanswered', () => {
    const e = failure([{ questionId: 3, text: '   ' }]);
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.details).toEqual({ missingQuestionIds: [1, 3] });
  });

  it('rejects a choice of another question', () => {
    const e = failure([{ questionId: 1, choiceIds: [21] }, valid[1]]);
    expect(e.details).toEqual({ questionId: 1, choiceId: 21 });
  });

  it('rejects an unknown choice id', () => {
    expect(failure([{ questionId: 1, choiceIds: [999999] }, valid[1]]).details).toEqual({ questionId: 1, choiceId: 999999 });
  });

  it('rejects an unknown or repeated question', () => {
    expect(failure([...valid, { questionId: 42, choiceIds: [] }]).details).toEqual({ questionId: 42 });
    expect(failure([...valid, valid[0]]).message).toMatch(/twice/);
  });

  it('rejects several choices for a single-choice question and repeated choices', () => {
    expect(failure([{ questionId: 1, choiceIds: [11, 12] }, valid[1]]).message).toMatch(/single choice/);
    expect(failure([...valid, { questionId: 2, choiceIds: [21, 21] }]).message).toMatch(/repeated/);
  });

  it('rejects text for a choice question and choices for a text question', () => {
    expect(failure([{ questionId: 1, choiceIds: [12], text: 'x' }, valid[1]]).message).toMatch(/not text/);
    expect(failure([valid[0], { questionId: 3, choiceIds: [11] }]).message).toMatch(/not choices/);
  });
});
