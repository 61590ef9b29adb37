import { percentOf, questionMax, questionScore, scoreAnswers, type ScoringQuestion, type ScoringSection } from './scoring.js';

const single: ScoringQuestion = { id: 1, type: 'SINGLE_CHOICE', maxScore: null, choices: [{ id: 11, score: 0 }, { id: 12, score: 5 }, { id: 13, score: 10 }] };
const multi: ScoringQuestion = { id: 2, type: 'MULTIPLE_CHOICE', maxScore: null, choices: [{ id: 21, score: 3 }, { id: 22, score: 4 }, { id: 23, score: 5 }] };
const cappedMulti: ScoringQuestion = { ...multi, id: 3, maxScore: 6 };
const text: ScoringQuestion = { id: 4, type: 'TEXT', maxScore: null, choices: [] };
const scoredText: ScoringQuestion = { id: 5, type: 'TEXT', maxScore: 2, choices: [] };

describe('questionnaire scoring', () => {
  it('single choice scores the chosen choice; its maximum is the best choice', () => {
    expect(questionScore(single, { choiceIds: [12], text: null })).toBe(5);
    expect(questionScore(single, { choiceIds: [11], text: null })).toBe(0);
    expect(questionMax(single)).toBe(10);
  });

  it('multiple choice sums the chosen scores; maximum is the sum of all choices', () => {
    expect(questionScore(multi, { choiceIds: [21, 23], text: null })).toBe(8);
    expect(questionMax(multi)).toBe(12);
  });

  it('multiple choice is capped at the configured maxScore', () => {
    expect(questionScore(cappedMulti, { choiceIds: [21, 22, 23], text: null })).toBe(6);
    expect(questionScore(cappedMulti, { choiceIds: [21], text: null })).toBe(3);
    expect(questionMax(cappedMulti)).toBe(6);
  });

  it('a cap above the sum of choices does not raise the maximum', () => {
    expect(questionMax({ ...multi, maxScore: 100 })).toBe(12);
  });

  it('free text scores 0 unless configured, then its maxScore for a non-blank answer', () => {
    expect(questionScore(text, { choiceIds: [], text: 'we patch monthly' })).toBe(0);
    expect(questionMax(text)).toBe(0);
    expect(questionScore(scoredText, { choiceIds: [], text: 'yes' })).toBe(2);
    expect(questionScore(scoredText, { choiceIds: [], text: '   ' })).toBe(0);
  });

  it('an unanswered question scores 0', () => {
    expect(questionScore(single, undefined)).toBe(0);
  });

  it('choices of other questions never count', () => {
    expect(questionScore(single, { choiceIds: [21], text: null })).toBe(0);
  });

  it('totals sections, keeps unanswered questions in the maximum, and gives percents', () => {
    const sections: ScoringSection[] = [
      { id: 100, title: 'Access', questions: [single, multi] },
      { id: 200, title: 'Policy', questions: [scoredText, text] },
    ];
    const answers = new Map([
      [1, { choiceIds: [13], text: null }],
      [5, { choiceIds: [], text: 'documented' }],
    ]);
    const r = scoreAnswers(sections, answers);
    expect(r.sections).toEqual([
      { sectionId: 100, title: 'Access', score: 10, maxScore: 22, percent: 45.45 },
      { sectionId: 200, title: 'Policy', score: 2, maxScore: 2, percent: 100 },
    ]);
    expect(r).toMatchObject({ score: 12, maxScore: 24, percent: 50 });
    expect(r.questionScores.get(2)).toBe(0);
    expect(r.questionScores.get(5)).toBe(2);
  });

  it('percent is 0 when nothing can be scored', () => {
    expect(percentOf(0, 0)).toBe(0);
    expect(scoreAnswers([{ id: 1, title: 'x', questions: [text] }], new Map()).percent).toBe(0);
  });
});
