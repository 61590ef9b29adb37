import { createAdmin, createApiKey, createUser } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import {
  ANSWER_FIELDS,
  CREATE,
  demoContent,
  idsOf,
  PUBLISH,
  publishedQuestionnaire,
  QUESTIONNAIRE_FIELDS,
  SUBMIT,
  UPDATE,
} from './questionnaire-helpers.js';

describe('questionnaires: authoring, publishing and versions', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('an admin creates a draft with computed maximum scores', async () => {
    const admin = await createAdmin(t);
    const r = await t.gql(CREATE, { i: demoContent() }, admin);
    expect(r.errors).toBeUndefined();
    const q = r.data!.createQuestionnaire;
    expect(q).toMatchObject({ version: 1, status: 'DRAFT', publishedAt: null, maxScore: 20 });
    expect(q.sections.map((s: any) => s.maxScore)).toEqual([18, 2]);
    const { mfa, controls, patch } = idsOf(q);
    expect(mfa).toMatchObject({ type: 'SINGLE_CHOICE', required: true, maxScore: 10 });
    expect(controls).toMatchObject({ type: 'MULTIPLE_CHOICE', required: false, configuredMaxScore: 8, maxScore: 8 });
    expect(patch).toMatchObject({ type: 'TEXT', maxScore: 0, choices: [] });
  });

  it('drafts are invisible to users and listed for admins', async () => {
    const admin = await createAdmin(t);
    const user = await createUser(t);
    const draft = (await t.gql(CREATE, { i: demoContent() }, admin)).data!.createQuestionnaire;
    expect(errorCode(await t.gql(`query($id: ID!) { questionnaire(id: $id) { id } }`, { id: draft.id }, user))).toBe('NOT_FOUND');
    const list = `{ questionnaires(first: 100) { totalCount nodes { id status } } }`;
    const asUser = await t.gql(list, {}, user);
    expect(asUser.data!.questionnaires.nodes.map((n: any) => n.id)).not.toContain(draft.id);
    expect(asUser.data!.questionnaires.nodes.every((n: any) => n.status === 'PUBLISHED')).toBe(true);
    const asAdmin = await t.gql(list, {}, admin);
    expect(asAdmin.data!.questionnaires.nodes.map((n: any) => n.id)).toContain(draft.id);
  });

  it('users see a published questionnaire in the list and in detail', async () => {
    const admin = await createAdmin(t);
    const user = await createUser(t);
    const q = await publishedQuestionnaire(t, admin);
    expect(q.status).toBe('PUBLISHED');
    expect(q.publishedAt).not.toBeNull();
    const list = await t.gql(`{ questionnaires(first: 100) { nodes { id title } } }`, {}, user);
    expect(list.data!.questionnaires.nodes).toContainEqual({ id: q.id, title: q.title });
    const detail = await t.gql(`query($id: ID!) { questionnaire(id: $id) { ${QUESTIONNAIRE_FIELDS} } }`, { id: q.id }, user);
    expect(detail.data!.questionnaire).toEqual(q);
  });

  it('the list pages with a cursor', async () => {
    const admin = await createAdmin(t);
    await publishedQuestionnaire(t, admin);
    await publishedQuestionnaire(t, admin);
    const page = `query($after: String) { questionnaires(first: 1, after: $after) { totalCount nodes { familyId } pageInfo { hasNextPage endCursor } } }`;
    const one = await t.gql(page, {}, admin);
    expect(one.data!.questionnaires.pageInfo.hasNextPage).toBe(true);
    const two = await t.gql(page, { after: one.data!.questionnaires.pageInfo.endCursor }, admin);
    expect(Number(two.data!.questionnaires.nodes[0].familyId)).toBeLessThan(Number(one.data!.questionnaires.nodes[0].familyId));
    expect(errorCode(await t.gql(page, { after: 'garbage' }, admin))).toBe('BAD_USER_INPUT');
  });

  it('users and API keys cannot author; anonymous callers cannot read', async () => {
    const user = await createUser(t);
    expect(errorCode(await t.gql(CREATE, { i: demoContent() }, user))).toBe('FORBIDDEN');
    const key = await createApiKey(t, user.organizationId!, ['sync:vulns']);
    expect(errorCode(await t.gql(`{ questionnaires { totalCount } }`, {}, { apiKey: key.key }))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(`{ questionnaires { totalCount } }`))).toBe('UNAUTHENTICATED');
  });

  it('rejects malformed content: choices on text, too few choices, over-long title, unknown type', async () => {
    const admin = await createAdmin(t);
    const base = demoContent();
    const withQuestion = (q: object) => ({ ...base, sections: [{ title: 's', questions: [q] }] });
    const textWithChoices = await t.gql(CREATE, { i: withQuestion({ type: 'TEXT', text: 'x', choices: [{ label: 'a', score: 1 }] }) }, admin);
    expect(errorCode(textWithChoices)).toBe('BAD_USER_INPUT');
    expect(textWithChoices.errors![0].extensions!.details).toEqual({ field: 'sections[0].questions[0]' });
    expect(errorCode(await t.gql(CREATE, { i: withQuestion({ type: 'SINGLE_CHOICE', text: 'x', choices: [{ label: 'a', score: 1 }] }) }, admin))).toBe(
      'BAD_USER_INPUT',
    );
    expect(errorCode(await t.gql(CREATE, { i: withQuestion({ type: 'ESSAY', text: 'x' }) }, admin))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(CREATE, { i: { ...base, title: 'x'.repeat(201) } }, admin))).toBe('BAD_USER_INPUT');
    const negative = withQuestion({ type: 'SINGLE_CHOICE', text: 'x', choices: [{ label: 'a', score: -1 }, { label: 'b', score: 1 }] });
    expect(errorCode(await t.gql(CREATE, { i: negative }, admin))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(CREATE, { i: { ...base, sections: [] } }, admin))).toBe('BAD_USER_INPUT');
    const bigSection = { title: 's', questions: Array.from({ length: 300 }, (_, i) => ({ type: 'TEXT', text: `q${i}` })) };
    const tooMany = await t.gql(CREATE, { i: { ...base, sections: [bigSection, bigSection] } }, admin);
    expect(errorCode(tooMany)).toBe('BAD_USER_INPUT');
    expect(tooMany.errors![0].message).toMatch(/at most 500 questions/);
  });

  it('editing a published version makes a new draft version; answers keep their version', async () => {
    const admin = await createAdmin(t);
    const user = await createUser(t);
    const v1 = await publishedQuestionnaire(t, admin);
    const { mfa, patch } = idsOf(v1);
    const submitted = await t.gql(
      SUBMIT,
      { i: { questionnaireId: v1.id, answers: [{ questionId: mfa.id, choiceIds: [mfa.choices[2].id] }, { questionId: patch.id, text: 'monthly' }] } },
      user,
    );
    expect(submitted.errors).toBeUndefined();

    const changed = demoContent(`${v1.title} (revised)`);
    (changed.sections[0].questions[0] as { choices: { score: number }[] }).choices[2].score = 20;
    const edit = await t.gql(UPDATE, { i: { id: v1.id, ...changed } }, admin);
    expect(edit.errors).toBeUndefined();
    const v2 = edit.data!.updateQuestionnaire;
    expect(v2).toMatchObject({ familyId: v1.familyId, version: 2, status: 'DRAFT', title: changed.title, maxScore: 30 });
    expect(v2.id).not.toBe(v1.id);

    // v1 is unchanged and still the one users see and answer.
    const again = await t.gql(`query($id: ID!) { questionnaire(id: $id) { ${QUESTIONNAIRE_FIELDS} } }`, { id: v1.id }, user);
    expect(again.data!.questionnaire).toEqual(v1);

    // A second edit of the published version conflicts; the draft is edited in place.
    expect(errorCode(await t.gql(UPDATE, { i: { id: v1.id, ...changed } }, admin))).toBe('CONFLICT');
    const inPlace = await t.gql(UPDATE, { i: { id: v2.id, ...changed, title: 'Edited draft' } }, admin);
    expect(inPlace.data!.updateQuestionnaire).toMatchObject({ id: v2.id, version: 2, title: 'Edited draft' });

    // Publishing v2 archives v1; v1 can no longer be answered, but the old answer still reads v1.
    const published = await t.gql(PUBLISH, { id: v2.id }, admin);
    expect(published.data!.publishQuestionnaire.status).toBe('PUBLISHED');
    const versions = await t.gql(`query($f: ID!) { questionnaireVersions(familyId: $f) { version status } }`, { f: v1.familyId }, admin);
    expect(versions.data!.questionnaireVersions).toEqual([
      { version: 2, status: 'PUBLISHED' },
      { version: 1, status: 'ARCHIVED' },
    ]);
    const late = await t.gql(SUBMIT, { i: { questionnaireId: v1.id, answers: [] } }, user);
    expect(errorCode(late)).toBe('CONFLICT');
    expect(errorCode(await t.gql(UPDATE, { i: { id: v1.id, ...changed } }, admin))).toBe('CONFLICT');
    expect(errorCode(await t.gql(PUBLISH, { id: v2.id }, admin))).toBe('CONFLICT');

    const old = await t.gql(
      `query($id: ID!) { questionnaireAnswer(id: $id) { score { score maxScore } questionnaire { id version status sections { questions { choices { score } } } } } }`,
      { id: submitted.data!.submitQuestionnaireAnswer.id },
      user,
    );
    expect(old.data!.questionnaireAnswer.score).toEqual({ score: 10, maxScore: 20 });
    expect(old.data!.questionnaireAnswer.questionnaire).toMatchObject({ id: v1.id, version: 1, status: 'ARCHIVED' });
    expect(old.data!.questionnaireAnswer.questionnaire.sections[0].questions[0].choices.map((c: any) => c.score)).toEqual([0, 5, 10]);

    const list = await t.gql(`{ questionnaires(first: 100) { nodes { id familyId } } }`, {}, user);
    const entries = list.data!.questionnaires.nodes.filter((n: any) => n.familyId === v1.familyId);
    expect(entries).toEqual([{ id: v2.id, familyId: v1.familyId }]);
  });

  it('concurrent edits of a published version make exactly one new draft', async () => {
    const admin = await createAdmin(t);
    const v1 = await publishedQuestionnaire(t, admin);
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => t.gql(UPDATE, { i: { id: v1.id, ...demoContent(`edit ${i}`) } }, admin)),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'CONFLICT')).toHaveLength(3);
    const versions = await t.gql(`query($f: ID!) { questionnaireVersions(familyId: $f) { version status } }`, { f: v1.familyId }, admin);
    expect(versions.data!.questionnaireVersions).toEqual([
      { version: 2, status: 'DRAFT' },
      { version: 1, status: 'PUBLISHED' },
    ]);
  });

  it('a draft can be deleted; a published version cannot', async () => {
    const admin = await createAdmin(t);
    const draft = (await t.gql(CREATE, { i: demoContent() }, admin)).data!.createQuestionnaire;
    const del = `mutation($id: ID!) { deleteQuestionnaireDraft(id: $id) }`;
    expect((await t.gql(del, { id: draft.id }, admin)).data!.deleteQuestionnaireDraft).toBe(true);
    expect(errorCode(await t.gql(`query($id: ID!) { questionnaire(id: $id) { id } }`, { id: draft.id }, admin))).toBe('NOT_FOUND');
    const pub = await publishedQuestionnaire(t, admin);
    expect(errorCode(await t.gql(del, { id: pub.id }, admin))).toBe('CONFLICT');
  });

  it('ANSWER_FIELDS stays in sync with the schema', async () => {
    const admin = await createAdmin(t);
    const r = await t.gql(`{ questionnaireAnswers(first: 1) { nodes { ${ANSWER_FIELDS} } } }`, {}, admin);
    expect(r.errors).toBeUndefined();
  });
});
