import { seedNews } from '../../src/news/news.seed.js';
import { DEMO_QUESTIONNAIRE_TITLE, seedQuestionnaires } from '../../src/questionnaires/questionnaires.seed.js';
import { createUser } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { QUESTIONNAIRE_FIELDS, SUBMIT } from './questionnaire-helpers.js';

describe('seed functions for questionnaires and news', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('seeds a published, answerable demo questionnaire once', async () => {
    const id = await seedQuestionnaires(t.prisma);
    expect(await seedQuestionnaires(t.prisma)).toBe(id);
    expect(await t.prisma.questionnaireVersion.count({ where: { title: DEMO_QUESTIONNAIRE_TITLE } })).toBe(1);
    const user = await createUser(t);
    const q = (await t.gql(`query($id: ID!) { questionnaire(id: $id) { ${QUESTIONNAIRE_FIELDS} } }`, { id }, user)).data!.questionnaire;
    expect(q).toMatchObject({ status: 'PUBLISHED', title: DEMO_QUESTIONNAIRE_TITLE });
    expect(q.maxScore).toBeGreaterThan(0);
    // Answer every required question with its best choice or some text.
    const answers = q.sections.flatMap((s: any) =>
      s.questions
        .filter((x: any) => x.required)
        .map((x: any) =>
          x.type === 'TEXT'
            ? { questionId: x.id, text: 'We track them in our ticket system' }
            : { questionId: x.id, choiceIds: x.type === 'SINGLE_CHOICE' ? [x.choices.at(-1).id] : x.choices.map((c: any) => c.id) },
        ),
    );
    const r = await t.gql(SUBMIT, { i: { questionnaireId: id, answers } }, user);
    expect(r.errors).toBeUndefined();
    expect(r.data!.submitQuestionnaireAnswer.score).toMatchObject({ score: q.maxScore, percent: 100 });
  });

  it('seeds categories and published news readable without logging in, once', async () => {
    await seedNews(t.prisma);
    await seedNews(t.prisma);
    expect(await t.prisma.news.count({ where: { title: 'Patch your CMS plugins this week' } })).toBe(1);
    const cats = (await t.gql(`{ newsCategories { id name } }`)).data!.newsCategories.map((c: any) => c.name);
    expect(cats).toEqual(expect.arrayContaining(['Announcements', 'Security advisories', 'Best practices']));
    const list = (await t.gql(`{ newsList(first: 100) { nodes { title content } } }`)).data!.newsList.nodes;
    const titles = list.map((n: any) => n.title);
    expect(titles).toContain('Patch your CMS plugins this week');
    expect(titles).not.toContain('Upcoming maintenance window (draft)');
    const advisory = list.find((n: any) => n.title === 'Patch your CMS plugins this week');
    expect(advisory.content).toContain('rel="noopener noreferrer"');
  });
});
