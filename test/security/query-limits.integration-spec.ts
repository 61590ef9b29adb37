import { createUser, type UserWithToken } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';

/** One request cannot fan out into thousands of resolver calls or rows (GRAPHQL_MAX_ALIASES, GRAPHQL_MAX_COST). */
describe('security: query aliases and cost are capped', () => {
  let t: TestApp;
  let u: UserWithToken;
  beforeAll(async () => {
    t = await startTestApp();
    u = await createUser(t);
  });
  afterAll(() => t.close());

  const aliased = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

  async function timed(query: string) {
    const start = Date.now();
    const r = await t.gql(query, {}, u);
    return { r, ms: Date.now() - start };
  }

  it('10,000 aliases of a field are refused quickly, with QUERY_TOO_COMPLEX', async () => {
    const { r, ms } = await timed(aliased(10_000, 'me { id }'));
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX' } });
    expect(r.errors?.[0].message).toBe('The query document has more than 10000 tokens; send large inputs as variables');
    expect(r.data ?? null).toBeNull();
    expect(ms).toBeLessThan(2_000);
  });

  it('1,000 aliased sites(first: 100) are refused quickly', async () => {
    const { r, ms } = await timed(aliased(1_000, 'sites(first: 100) { nodes { id name url } }'));
    expect(errorCode(r)).toBe('QUERY_TOO_COMPLEX');
    expect(ms).toBeLessThan(2_000);
  });

  it('a document within the token limit but over the alias limit is refused by the alias count', async () => {
    const r = await t.gql(aliased(101, '__typename'), {}, u);
    expect(errorCode(r)).toBe('QUERY_TOO_COMPLEX');
    expect(r.errors?.[0].message).toBe('The query uses 101 aliases; at most 100 are allowed');
    expect((await t.gql(aliased(100, '__typename'), {}, u)).errors).toBeUndefined();
  });

  it('the cost counts page sizes, also through variables; ordinary queries pass', async () => {
    const page = 'sites(first: $n) { totalCount nodes { id name url domain } }';
    const q = `query($n: Int!) { ${Array.from({ length: 50 }, (_, i) => `s${i}: ${page}`).join(' ')} }`;
    const heavy = await t.gql(q, { n: 100 }, u);
    expect(errorCode(heavy)).toBe('QUERY_TOO_COMPLEX');
    expect(heavy.errors?.[0].extensions?.details).toMatchObject({ max: 20_000 });
    expect((await t.gql(q, { n: 5 }, u)).errors).toBeUndefined();
    expect((await t.gql('{ me { id } sites(first: 100) { nodes { id name url } } }', {}, u)).errors).toBeUndefined();
  });
});
