import { createAdmin, createUser, type UserWithToken } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';

/** The hostile inputs of issue 17, one by one: each is BAD_USER_INPUT, never an internal error. */
describe('security: hostile input is BAD_USER_INPUT', () => {
  let t: TestApp;
  let admin: UserWithToken;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
  });
  afterAll(() => t.close());

  it('lone surrogates and NUL in any string, including the anonymous login', async () => {
    const LOGIN = 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }';
    for (const bad of ['a\uD800', '\uDC00b', 'a\u0000b']) {
      const r = await t.gql(LOGIN, { i: { username: bad, password: 'whatever-pass' } });
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0].message).toMatch(/NUL character or an unpaired UTF-16 surrogate/);
      expect(errorCode(await t.gql(LOGIN, { i: { username: `${bad}@example.com`, password: 'whatever-pass' } }))).toBe('BAD_USER_INPUT');
    }
    const site = await t.gql('mutation($i: CreateSiteInput!) { createSite(input: $i) { id } }', { i: { url: 'https://ok.example.com', name: 'x\u0000', organizationId: '1' } }, admin);
    expect(errorCode(site)).toBe('BAD_USER_INPUT');
  });

  it('cursors holding integers beyond 64 bits or extreme dates', async () => {
    for (const q of ['{ sites(after: "WyIyMDIwLTAxLTAxVDAwOjAwOjAwWiIsMWUyMF0") { totalCount } }', '{ tags(after: "WyIyMDIwLTAxLTAxVDAwOjAwOjAwWiIsMWUyMF0") { totalCount } }',
      '{ vulns(after: "WzFlMjBd") { totalCount } }', '{ newsList(after: "WyIrMjc1NzYwLTA5LTEzVDAwOjAwOjAwLjAwMFoiLDFd") { totalCount } }']) {
      expect(errorCode(await t.gql(q, {}, admin))).toBe('BAD_USER_INPUT');
    }
  });

  it('extreme dates in filters, expiresAt and publishedAt', async () => {
    for (const d of ['+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '1969-12-31T23:59:59Z', '10000-01-01T00:00:00Z']) {
      expect(errorCode(await t.gql('query($d: DateTime) { vulns(filter: { seenFrom: $d }) { totalCount } }', { d }, admin))).toBe('BAD_USER_INPUT');
      const key = await t.gql('mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }', { i: { name: 'k', organizationId: String(admin.organizationId ?? 1), scopes: ['SYNC_VULNS'], expiresAt: d } }, admin);
      expect(errorCode(key)).toBe('BAD_USER_INPUT');
      const news = await t.gql(`mutation { createNews(input: { title: "t", content: "c", publishedAt: "${d}" }) { id } }`, {}, admin);
      expect(errorCode(news)).toBe('BAD_USER_INPUT');
    }
  });

  it('a list of 100,000 elements is refused by its size, quickly', async () => {
    const u = await createUser(t);
    const started = Date.now();
    const sections = Array.from({ length: 100_000 }, (_, i) => ({ title: `s${i}`, questions: [] }));
    const r = await t.gql('mutation($i: QuestionnaireContentInput!) { createQuestionnaire(input: $i) { id } }', { i: { title: 'q', sections } }, admin);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    const ids = await t.gql('mutation($ids: [ID!]!) { deleteSites(ids: $ids) }', { ids: Array.from({ length: 100_000 }, (_, i) => String(i + 1)) }, u);
    expect(errorCode(ids)).toBe('BAD_USER_INPUT');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('explicit null for optional fields: cleared where that means something, else BAD_USER_INPUT, never internal', async () => {
    const u = await createUser(t);
    const site = (await t.gql('mutation($i: CreateSiteInput!) { createSite(input: $i) { id } }', { i: { url: 'https://null.example.com' } }, u)).data?.createSite;
    const cases: [string, Record<string, unknown>][] = [
      ['query($f: UserFilter) { users(filter: $f) { totalCount } }', { f: null }],
      ['mutation($i: UpdateSiteInput!) { updateSite(input: $i) { id name } }', { i: { id: site.id, name: null } }],
      ['query($o: ID) { apiKeys(organizationId: $o) { totalCount } }', { o: null }],
      ['mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { username: `n-${Date.now()}`, password: 'initial-pass-1', organizationId: null } }],
      ['mutation($i: CreateVulnEntryInput!) { createVulnEntry(input: $i) { id } }', { i: { name: `n ${Date.now()}`, level: 'LOW', references: null, cve: null, cwe: null } }],
      ['mutation($i: CreateTagInput!) { createTag(input: $i) { id } }', { i: { name: `t${Date.now()}`, organizationId: null } }],
    ];
    for (const [q, v] of cases) {
      const r = await t.gql(q, v, admin);
      expect([q, [undefined, "BAD_USER_INPUT"].includes(errorCode(r))]).toEqual([q, true]);
    }
    const renamed = await t.gql('mutation($i: UpdateSiteInput!) { updateSite(input: $i) { name } }', { i: { id: site.id, name: null } }, u);
    expect(errorCode(renamed)).toBe('BAD_USER_INPUT');
  });
});
