import { createAdmin, createUser, uniq, type UserWithToken } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';

const NEWS_FIELDS = 'id title summary content coverImageUrl categoryId published publishedAt category { id name }';
const CREATE = `mutation($i: CreateNewsInput!) { createNews(input: $i) { ${NEWS_FIELDS} } }`;
const UPDATE = `mutation($i: UpdateNewsInput!) { updateNews(input: $i) { ${NEWS_FIELDS} } }`;
const CREATE_CATEGORY = `mutation($i: CreateNewsCategoryInput!) { createNewsCategory(input: $i) { id name position } }`;
const PUBLIC_ONE = `query($id: ID!) { news(id: $id) { ${NEWS_FIELDS} } }`;
const PUBLIC_LIST = `query($c: ID, $first: Int, $after: String) {
  newsList(categoryId: $c, first: $first, after: $after) { totalCount nodes { id title } pageInfo { hasNextPage endCursor } } }`;

describe('news: categories, items, publication and sanitising', () => {
  let t: TestApp;
  let admin: UserWithToken;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
  });
  afterAll(() => t.close());

  const category = async () => (await t.gql(CREATE_CATEGORY, { i: { name: `cat-${uniq()}` } }, admin)).data!.createNewsCategory;
  const createNews = async (input: Record<string, unknown>) => {
    const r = await t.gql(CREATE, { i: { title: `News ${uniq()}`, content: '<p>body</p>', ...input } }, admin);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.createNews;
  };

  it('admin category CRUD; the public lists categories without logging in', async () => {
    const c = await category();
    const renamed = await t.gql(`mutation($i: UpdateNewsCategoryInput!) { updateNewsCategory(input: $i) { id name position } }`, {
      i: { id: c.id, name: `${c.name}-x`, position: 3 },
    }, admin);
    expect(renamed.data!.updateNewsCategory).toEqual({ id: c.id, name: `${c.name}-x`, position: 3 });
    const pub = await t.gql(`{ newsCategories { id name } }`);
    expect(pub.data!.newsCategories).toContainEqual({ id: c.id, name: `${c.name}-x` });
    expect(errorCode(await t.gql(CREATE_CATEGORY, { i: { name: `${c.name}-x` } }, admin))).toBe('CONFLICT');
    const del = `mutation($id: ID!) { deleteNewsCategory(id: $id) }`;
    expect((await t.gql(del, { id: c.id }, admin)).data!.deleteNewsCategory).toBe(true);
    expect(errorCode(await t.gql(del, { id: c.id }, admin))).toBe('NOT_FOUND');
  });

  it('a category with news cannot be deleted', async () => {
    const c = await category();
    await createNews({ categoryId: c.id });
    const r = await t.gql(`mutation($id: ID!) { deleteNewsCategory(id: $id) }`, { id: c.id }, admin);
    expect(errorCode(r)).toBe('CONFLICT');
  });

  it('users and anonymous callers cannot manage news', async () => {
    const user = await createUser(t);
    expect(errorCode(await t.gql(CREATE, { i: { title: 'x', content: 'y' } }, user))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(CREATE, { i: { title: 'x', content: 'y' } }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gql(CREATE_CATEGORY, { i: { name: 'x' } }, user))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(`{ adminNewsList { totalCount } }`, {}, user))).toBe('FORBIDDEN');
  });

  it('published news is readable without logging in; drafts are NOT_FOUND for anonymous callers and users', async () => {
    const c = await category();
    const pub = await createNews({ categoryId: c.id, published: true, summary: 'short' });
    expect(pub.publishedAt).not.toBeNull();
    const draft = await createNews({ categoryId: c.id });
    expect(draft).toMatchObject({ published: false, publishedAt: null });

    const anon = await t.gql(PUBLIC_ONE, { id: pub.id });
    expect(anon.data!.news).toMatchObject({ id: pub.id, summary: 'short', category: { id: c.id, name: c.name } });
    expect(errorCode(await t.gql(PUBLIC_ONE, { id: draft.id }))).toBe('NOT_FOUND');
    const user = await createUser(t);
    expect(errorCode(await t.gql(PUBLIC_ONE, { id: draft.id }, user))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(PUBLIC_ONE, { id: draft.id }, admin))).toBe('NOT_FOUND');
    expect((await t.gql(`query($id: ID!) { adminNews(id: $id) { id published } }`, { id: draft.id }, admin)).data!.adminNews).toEqual({
      id: draft.id,
      published: false,
    });

    const list = await t.gql(PUBLIC_LIST, { c: c.id });
    expect(list.data!.newsList).toMatchObject({ totalCount: 1, nodes: [{ id: pub.id }] });
    const adminList = await t.gql(`query($c: ID) { adminNewsList(categoryId: $c) { totalCount } }`, { c: c.id }, admin);
    expect(adminList.data!.adminNewsList.totalCount).toBe(2);
    const drafts = await t.gql(`query($c: ID) { adminNewsList(categoryId: $c, published: false) { nodes { id } } }`, { c: c.id }, admin);
    expect(drafts.data!.adminNewsList.nodes).toEqual([{ id: draft.id }]);
  });

  it('an item scheduled in the future stays hidden until its time', async () => {
    const c = await category();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const scheduled = await createNews({ categoryId: c.id, published: true, publishedAt: future });
    expect(errorCode(await t.gql(PUBLIC_ONE, { id: scheduled.id }))).toBe('NOT_FOUND');
    expect((await t.gql(PUBLIC_LIST, { c: c.id })).data!.newsList.totalCount).toBe(0);
    const past = new Date(Date.now() - 60_000).toISOString();
    await t.gql(UPDATE, { i: { id: scheduled.id, publishedAt: past } }, admin);
    expect((await t.gql(PUBLIC_ONE, { id: scheduled.id })).data!.news.id).toBe(scheduled.id);
  });

  it('publishing and unpublishing through updateNews', async () => {
    const draft = await createNews({});
    const published = await t.gql(UPDATE, { i: { id: draft.id, published: true } }, admin);
    expect(published.data!.updateNews.publishedAt).not.toBeNull();
    expect((await t.gql(PUBLIC_ONE, { id: draft.id })).data!.news.id).toBe(draft.id);
    await t.gql(UPDATE, { i: { id: draft.id, published: false } }, admin);
    expect(errorCode(await t.gql(PUBLIC_ONE, { id: draft.id }))).toBe('NOT_FOUND');
  });

  it('lists by category as a connection, newest publication first, with cursors', async () => {
    const c = await category();
    const base = Date.now() - 3_600_000;
    const items = [];
    for (let i = 0; i < 3; i++) items.push(await createNews({ categoryId: c.id, published: true, publishedAt: new Date(base + i * 1000).toISOString() }));
    await createNews({ published: true }); // another category
    const one = await t.gql(PUBLIC_LIST, { c: c.id, first: 2 });
    expect(one.data!.newsList).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    expect(one.data!.newsList.nodes.map((n: any) => n.id)).toEqual([items[2].id, items[1].id]);
    const two = await t.gql(PUBLIC_LIST, { c: c.id, first: 2, after: one.data!.newsList.pageInfo.endCursor });
    expect(two.data!.newsList.nodes.map((n: any) => n.id)).toEqual([items[0].id]);
    expect(two.data!.newsList.pageInfo.hasNextPage).toBe(false);
    expect(errorCode(await t.gql(PUBLIC_LIST, { c: c.id, after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(PUBLIC_LIST, { c: c.id, first: 101 }))).toBe('BAD_USER_INPUT');
  });

  it('sanitises XSS payloads in the content on create and update', async () => {
    const dirty =
      '<p onclick="steal()">Hello <a href="javascript:alert(1)">link</a></p><script>alert(document.cookie)</script>' +
      '<img src="x" onerror="alert(1)"><iframe src="https://evil.example"></iframe><style>*{}</style><a href="https://ok.example" target="_blank">ok</a>';
    const n = await createNews({ content: dirty, published: true });
    expect(n.content).toBe(
      '<p>Hello <a>link</a></p><img src="x" /><a href="https://ok.example" target="_blank" rel="noopener noreferrer">ok</a>',
    );
    const stored = await t.prisma.news.findUniqueOrThrow({ where: { id: Number(n.id) } });
    expect(stored.content).toBe(n.content);
    const updated = await t.gql(UPDATE, { i: { id: n.id, content: '<svg onload="alert(1)"><p>x</p></svg><b>bold</b>' } }, admin);
    expect(updated.data!.updateNews.content).toBe('<b>bold</b>');
    const read = await t.gql(PUBLIC_ONE, { id: n.id });
    expect(read.data!.news.content).not.toMatch(/script|onerror|onload|javascript:/i);
  });

  it('rejects bad input: over-long title, wrong types, non-http cover URL, unknown category', async () => {
    const r1 = await t.gql(CREATE, { i: { title: 'x'.repeat(201), content: 'y' } }, admin);
    expect(errorCode(r1)).toBe('BAD_USER_INPUT');
    expect(r1.errors![0].message).toMatch(/title/);
    expect(errorCode(await t.gql(CREATE, { i: { title: 'x', content: 'y', published: 'yes' } }, admin))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(CREATE, { i: { title: 'x', content: 'y', publishedAt: 'tomorrow' } }, admin))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(CREATE, { i: { title: 'x', content: 'y', coverImageUrl: 'javascript:alert(1)' } }, admin))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(CREATE, { i: { title: 'x', content: 'y', categoryId: 'abc' } }, admin))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(CREATE, { i: { title: 'x', content: 'y', categoryId: 99999999 } }, admin))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(CREATE, { i: { title: 'x', content: 'y'.repeat(200_001) } }, admin))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(PUBLIC_ONE, { id: 'abc' }))).toBe('BAD_USER_INPUT');
  });

  it('updates only the given fields; null clears optional ones; delete removes', async () => {
    const c = await category();
    const n = await createNews({ categoryId: c.id, summary: 's', coverImageUrl: 'https://cdn.example.com/c.png' });
    const r = await t.gql(UPDATE, { i: { id: n.id, title: 'New title', summary: null, categoryId: null } }, admin);
    expect(r.data!.updateNews).toMatchObject({ title: 'New title', summary: null, categoryId: null, coverImageUrl: 'https://cdn.example.com/c.png', content: '<p>body</p>' });
    expect((await t.gql(`mutation($id: ID!) { deleteNews(id: $id) }`, { id: n.id }, admin)).data!.deleteNews).toBe(true);
    expect(errorCode(await t.gql(UPDATE, { i: { id: n.id, title: 'x' } }, admin))).toBe('NOT_FOUND');
  });
});
