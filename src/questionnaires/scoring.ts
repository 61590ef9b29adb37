/**
 * The scoring rule for questionnaire answers (also stated in the GraphQL descriptions):
 * - SINGLE_CHOICE: the chosen choice's score; the question's maximum is its highest choice score.
 * - MULTIPLE_CHOICE: the sum of the chosen choices' scores, capped at the question's maxScore;
 *   without a maxScore the cap (and maximum) is the sum of all its choice scores.
 * - TEXT: maxScore (0 when not configured) for a non-blank answer, otherwise 0.
 * - An unanswered optional question scores 0 but still counts towards the maximum.
 * - Section score = sum of its questions; total = sum of the sections.
 * - percent = 100 * score / maximum, rounded to 2 decimals (0 when the maximum is 0).
 * Choice scores are non-negative integers, so every score lies between 0 and its maximum.
 */

export type ScoredQuestionType = 'SINGLE_CHOICE' | 'MULTIPLE_CHOICE' | 'TEXT';

export interface ScoringQuestion {
  id: number;
  type: ScoredQuestionType;
  maxScore: number | null;
  choices: { id: number; score: number }[];
}

export interface ScoringSection {
  id: number;
  title: string;
  questions: ScoringQuestion[];
}

/** One question's answer, already validated against the question (see validateAnswers). */
export interface GivenAnswer {
  choiceIds: number[];
  text: string | null;
}

export interface SectionScore {
  sectionId: number;
  title: string;
  score: number;
  maxScore: number;
  percent: number;
}

export interface ScoreResult {
  score: number;
  maxScore: number;
  percent: number;
  sections: SectionScore[];
  /** Score of every question, answered or not. */
  questionScores: Map<number, number>;
}

export function percentOf(score: number, max: number): number {
  return max > 0 ? Math.round((10_000 * score) / max) / 100 : 0;
}

/** The most a question can score. */
export function questionMax(q: ScoringQuestion): number {
  switch (q.type) {
    case 'SINGLE_CHOICE':
      return Math.max(0, ...q.choices.map((c) => c.score));
    case 'MULTIPLE_CHOICE': {
      const sum = q.choices.reduce((s, c) => s + c.score, 0);
      return q.maxScore === null ? sum : Math.min(q.maxScore, sum);
    }
    case 'TEXT':
      return q.maxScore ?? 0;
  }
}

/** The score of one question for an answer (undefined = not answered). */
export function questionScore(q: ScoringQuestion, answer: GivenAnswer | undefined): number {
  if (!answer) return 0;
  switch (q.type) {
    case 'SINGLE_CHOICE':
    case 'MULTIPLE_CHOICE': {
      const chosen = new Set(answer.choiceIds);
      const sum = q.choices.filter((c) => chosen.has(c.id)).reduce((s, c) => s + c.score, 0);
      return Math.min(sum, questionMax(q));
    }
    case 'TEXT':
      return answer.text?.trim() ? (q.maxScore ?? 0) : 0;
  }
}

/** Scores a whole submission: per question, per section and in total. */
export function scoreAnswers(sections: ScoringSection[], answers: Map<number, GivenAnswer>): ScoreResult {
  const questionScores = new Map<number, number>();
  const sectionScores = sections.map((section): SectionScore => {
    let score = 0;
    let maxScore = 0;
    for (const q of section.questions) {
      const s = questionScore(q, answers.get(q.id));
      questionScores.set(q.id, s);
      score += s;
      maxScore += questionMax(q);
    }
    return { sectionId: section.id, title: section.title, score, maxScore, percent: percentOf(score, maxScore) };
  });
  const score = sectionScores.reduce((s, x) => s + x.score, 0);
  const maxScore = sectionScores.reduce((s, x) => s + x.maxScore, 0);
  return { score, maxScore, percent: percentOf(score, maxScore), sections: sectionScores, questionScores };
}
