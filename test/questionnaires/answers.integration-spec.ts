import { createAdmin, createOrg, createUser, type UserWithToken } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { ANSWER_FIELDS, CREATE, demoContent, idsOf, publishedQuestionnaire, SUBMIT } from './questionnaire-helpers.js';

describe('questionnaire answers: submission, scoring and organisation scope', () => {
  let t: TestApp;
  let admin: UserWithToken;
  let q: any;
  let ids: ReturnType<typeof idsOf>;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
    q = await publishedQuestionnaire(t, admin);
    ids = idsOf(q);
  });
  afterAll(() => t.close());

  const full = () => [
    { questionId: ids.mfa.id, choiceIds: [ids.mfa.choices[1].id] }, // 5
    { questionId: ids.controls.id, choiceIds: [ids.controls.choices[1].id] }, // 4
    { questionId: ids.patch.id, text: 'Patches within 30 days' }, // 0
  ];
  const submit = (as: UserWithToken, answers: object[], extra: object = {}) =>
    t.gql(SUBMIT, { i: { questionnaireId: q.id, answers, ...extra } }, as);
  const answerCount = (orgId: number) => t.prisma.questionnaireAnswer.count({ where: { organizationId: orgId } });

  it('scores a submission on the server with a per-section breakdown', async () => {
    const user = await createUser(t);
    const r = await submit(user, full());
    expect(r.errors).toBeUndefined();
    const a = r.data!.submitQuestionnaireAnswer;
    expect(a).toMatchObject({ questionnaireId: q.id, familyId: q.familyId, organizationId: String(user.organizationId), submittedById: String(user.id) });
    expect(a.score).toEqual({
      score: 9,
      maxScore: 20,
      percent: 45,
      sections: [
        { sectionId: q.sections[0].id, title: 'Access control', score: 9, maxScore: 18, percent: 50 },
        { sectionId: q.sections[1].id, title: 'Policy', score: 0, maxScore: 2, percent: 0 },
      ],
    });
    expect(a.items).toEqual(
      expect.arrayContaining([
        { questionId: ids.mfa.id, choiceIds: [ids.mfa.choices[1].id], text: null, score: 5 },
        { questionId: ids.patch.id, choiceIds: [], text: 'Patches within 30 days', score: 0 },
      ]),
    );
    const stored = await t.prisma.questionnaireAnswer.findUniqueOrThrow({ where: { id: Number(a.id) } });
    expect(stored).toMatchObject({ score: 9, maxScore: 20, versionId: Number(q.id) });
  });

  it('caps multiple choice at its maximum and scores configured free text', async () => {
    const user = await createUser(t);
    const r = await submit(user, [
      { questionId: ids.mfa.id, choiceIds: [ids.mfa.choices[2].id] },
      { questionId: ids.controls.id, choiceIds: ids.controls.choices.map((c: any) => c.id) },
      { questionId: ids.patch.id, text: 'weekly' },
      { questionId: ids.officer.id, text: 'Alice' },
    ]);
    expect(r.data!.submitQuestionnaireAnswer.score).toMatchObject({ score: 20, maxScore: 20, percent: 100 });
  });

  it('rejects missing required questions, listing them, and stores nothing', async () => {
    const user = await createUser(t);
    const r = await submit(user, [{ questionId: ids.controls.id, choiceIds: [ids.controls.choices[0].id] }, { questionId: ids.patch.id, text: '  ' }]);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions!.details).toEqual({ missingQuestionIds: [Number(ids.mfa.id), Number(ids.patch.id)] });
    expect(await answerCount(user.organizationId!)).toBe(0);
  });

  it('rejects an unknown choice id and a choice from another question', async () => {
    const user = await createUser(t);
    const unknown = await submit(user, [{ questionId: ids.mfa.id, choiceIds: ['99999999'] }, full()[2]]);
    expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
    expect(unknown.errors![0].extensions!.details).toEqual({ questionId: Number(ids.mfa.id), choiceId: 99999999 });
    const foreign = await submit(user, [{ questionId: ids.mfa.id, choiceIds: [ids.controls.choices[0].id] }, full()[2]]);
    expect(errorCode(foreign)).toBe('BAD_USER_INPUT');
    expect(foreign.errors![0].message).toMatch(/does not belong to question/);
    expect(await answerCount(user.organizationId!)).toBe(0);
  });

  it('rejects a question of another questionnaire and two choices for a single-choice question', async () => {
    const user = await createUser(t);
    const other = idsOf(await publishedQuestionnaire(t, admin));
    expect(errorCode(await submit(user, [...full(), { questionId: other.patch.id, text: 'x' }]))).toBe('BAD_USER_INPUT');
    const two = await submit(user, [{ questionId: ids.mfa.id, choiceIds: ids.mfa.choices.slice(0, 2).map((c: any) => c.id) }, full()[2]]);
    expect(two.errors![0].message).toMatch(/single choice/);
  });

  it('rejects wrong types and over-long strings as BAD_USER_INPUT', async () => {
    const user = await createUser(t);
    expect(errorCode(await submit(user, [{ questionId: 'abc', choiceIds: [] }]))).toBe('BAD_USER_INPUT');
    expect(errorCode(await submit(user, [{ questionId: ids.mfa.id, choiceIds: ['x'] }, full()[2]]))).toBe('BAD_USER_INPUT');
    expect(errorCode(await submit(user, [{ questionId: ids.mfa.id, choiceIds: 7 }, full()[2]]))).toBe('BAD_USER_INPUT');
    expect(errorCode(await submit(user, [full()[0], { questionId: ids.patch.id, text: 42 }]))).toBe('BAD_USER_INPUT');
    const long = await submit(user, [full()[0], { questionId: ids.patch.id, text: 'x'.repeat(5001) }]);
    expect(errorCode(long)).toBe('BAD_USER_INPUT');
    expect(long.errors![0].message).toMatch(/text/);
    expect(errorCode(await submit(user, full(), { surprise: true }))).toBe('BAD_USER_INPUT');
    expect(await answerCount(user.organizationId!)).toBe(0);
  });

  it('stores injection strings as plain text', async () => {
    const user = await createUser(t);
    const text = `'); DELETE FROM "QuestionnaireAnswer"; -- <script>alert(1)</script>`;
    const r = await submit(user, [full()[0], { questionId: ids.patch.id, text }]);
    expect(r.data!.submitQuestionnaireAnswer.items.find((i: any) => i.questionId === ids.patch.id).text).toBe(text);
  });

  it('a draft cannot be answered: NOT_FOUND for users, CONFLICT for admins', async () => {
    const user = await createUser(t);
    const draft = (await t.gql(CREATE, { i: demoContent() }, admin)).data!.createQuestionnaire;
    expect(errorCode(await t.gql(SUBMIT, { i: { questionnaireId: draft.id, answers: [] } }, user))).toBe('NOT_FOUND');
    const asAdmin = await t.gql(SUBMIT, { i: { questionnaireId: draft.id, organizationId: user.organizationId, answers: [] } }, admin);
    expect(errorCode(asAdmin)).toBe('CONFLICT');
  });

  it("another organisation's answers are denied; admins see all", async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    const mine = (await submit(alice, full())).data!.submitQuestionnaireAnswer;
    const byId = `query($id: ID!) { questionnaireAnswer(id: $id) { id } }`;
    expect(errorCode(await t.gql(byId, { id: mine.id }, bob))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(`query($id: ID!) { questionnaireScore(answerId: $id) { score } }`, { id: mine.id }, bob))).toBe('NOT_FOUND');
    const bobList = await t.gql(`{ questionnaireAnswers(first: 100) { totalCount nodes { id organizationId } } }`, {}, bob);
    expect(bobList.data!.questionnaireAnswers.totalCount).toBe(0);
    const filtered = await t.gql(
      `query($o: ID) { questionnaireAnswers(first: 100, organizationId: $o) { totalCount } }`,
      { o: alice.organizationId },
      bob,
    );
    expect(filtered.data!.questionnaireAnswers.totalCount).toBe(0);
    const latest = `query($f: ID!, $o: ID) { organizationLatestScore(familyId: $f, organizationId: $o) { id } }`;
    expect(errorCode(await t.gql(latest, { f: q.familyId, o: alice.organizationId }, bob))).toBe('NOT_FOUND');
    expect(errorCode(await submit(bob, full(), { organizationId: alice.organizationId }))).toBe('NOT_FOUND');
    expect(await answerCount(alice.organizationId!)).toBe(1);

    expect((await t.gql(byId, { id: mine.id }, admin)).data!.questionnaireAnswer.id).toBe(mine.id);
    const adminList = await t.gql(
      `query($o: ID) { questionnaireAnswers(first: 100, organizationId: $o) { nodes { id } } }`,
      { o: alice.organizationId },
      admin,
    );
    expect(adminList.data!.questionnaireAnswers.nodes).toEqual([{ id: mine.id }]);
  });

  it("lists, details and scores the organisation's answers; the latest score follows new submissions", async () => {
    const user = await createUser(t);
    const latest = `query($f: ID!) { organizationLatestScore(familyId: $f) { id score { score percent } } }`;
    expect((await t.gql(latest, { f: q.familyId }, user)).data!.organizationLatestScore).toBeNull();
    const first = (await submit(user, full())).data!.submitQuestionnaireAnswer;
    const colleague = await createUser(t, { organizationId: user.organizationId });
    const answers = [...full().slice(0, 2), { questionId: ids.patch.id, text: 'x' }, { questionId: ids.officer.id, text: 'Bob' }];
    const second = (await submit(colleague, answers)).data!.submitQuestionnaireAnswer;
    expect(second.score.score).toBe(11);

    const now = await t.gql(latest, { f: q.familyId }, user);
    expect(now.data!.organizationLatestScore).toEqual({ id: second.id, score: { score: 11, percent: 55 } });
    const list = await t.gql(`{ questionnaireAnswers(first: 1) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`, {}, user);
    expect(list.data!.questionnaireAnswers).toMatchObject({ totalCount: 2, nodes: [{ id: second.id }], pageInfo: { hasNextPage: true } });
    const detail = await t.gql(`query($id: ID!) { questionnaireAnswer(id: $id) { ${ANSWER_FIELDS} } }`, { id: first.id }, colleague);
    expect(detail.data!.questionnaireAnswer).toEqual(first);
    const score = await t.gql(`query($id: ID!) { questionnaireScore(answerId: $id) { score maxScore percent sections { score } } }`, { id: first.id }, user);
    expect(score.data!.questionnaireScore).toEqual({ score: 9, maxScore: 20, percent: 45, sections: [{ score: 9 }, { score: 0 }] });
  });

  it('an admin answers for a named organisation, which must exist', async () => {
    const org = await createOrg(t);
    const r = await t.gql(SUBMIT, { i: { questionnaireId: q.id, organizationId: org.id, answers: full() } }, admin);
    expect(r.data!.submitQuestionnaireAnswer.organizationId).toBe(String(org.id));
    expect(errorCode(await t.gql(SUBMIT, { i: { questionnaireId: q.id, answers: full() } }, admin))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(SUBMIT, { i: { questionnaireId: q.id, organizationId: 99999999, answers: full() } }, admin))).toBe('NOT_FOUND');
  });

  it('a user without an organisation cannot answer', async () => {
    const loner = await createUser(t, { organizationId: null });
    expect(errorCode(await submit(loner, full()))).toBe('FORBIDDEN');
  });
});
