import { uniq, type UserWithToken } from '../helpers/factories.js';
import type { TestApp } from '../helpers/test-app.js';

export const QUESTIONNAIRE_FIELDS = `id familyId version status title description publishedAt maxScore
  sections { id title maxScore questions { id type text required configuredMaxScore maxScore choices { id label score } } }`;

export const ANSWER_FIELDS = `id questionnaireId familyId organizationId submittedById createdAt
  score { score maxScore percent sections { sectionId title score maxScore percent } }
  items { questionId choiceIds text score }`;

/** Two sections: a single choice (0/5/10), a multiple choice (3+4+5, capped at 8), required free text, optional scored text. */
export function demoContent(title = `Self-assessment ${uniq()}`) {
  return {
    title,
    description: 'Security self-assessment',
    sections: [
      {
        title: 'Access control',
        questions: [
          {
            type: 'SINGLE_CHOICE',
            text: 'Is MFA enforced for administrators?',
            choices: [
              { label: 'No', score: 0 },
              { label: 'Some', score: 5 },
              { label: 'All', score: 10 },
            ],
          },
          {
            type: 'MULTIPLE_CHOICE',
            text: 'Which controls are in place?',
            maxScore: 8,
            required: false,
            choices: [
              { label: 'Firewall', score: 3 },
              { label: 'WAF', score: 4 },
              { label: 'IDS', score: 5 },
            ],
          },
        ],
      },
      {
        title: 'Policy',
        questions: [
          { type: 'TEXT', text: 'Describe your patch policy' },
          { type: 'TEXT', text: 'Who is your security officer?', required: false, maxScore: 2 },
        ],
      },
    ],
  };
}

export const CREATE = `mutation($i: QuestionnaireContentInput!) { createQuestionnaire(input: $i) { ${QUESTIONNAIRE_FIELDS} } }`;
export const UPDATE = `mutation($i: UpdateQuestionnaireInput!) { updateQuestionnaire(input: $i) { ${QUESTIONNAIRE_FIELDS} } }`;
export const PUBLISH = `mutation($id: ID!) { publishQuestionnaire(id: $id) { ${QUESTIONNAIRE_FIELDS} } }`;
export const SUBMIT = `mutation($i: SubmitQuestionnaireAnswerInput!) { submitQuestionnaireAnswer(input: $i) { ${ANSWER_FIELDS} } }`;

/** Creates and publishes the demo questionnaire through GraphQL; returns the published version. */
export async function publishedQuestionnaire(t: TestApp, admin: UserWithToken, content = demoContent()) {
  const created = await t.gql(CREATE, { i: content }, admin);
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const published = await t.gql(PUBLISH, { id: created.data!.createQuestionnaire.id }, admin);
  if (published.errors) throw new Error(JSON.stringify(published.errors));
  return published.data!.publishQuestionnaire;
}

/** The ids of the demo questionnaire's questions and choices, by position. */
export function idsOf(q: any) {
  const [[mfa, controls], [patch, officer]] = q.sections.map((s: any) => s.questions);
  return { mfa, controls, patch, officer };
}
