import { BODY_LIMIT_BYTES } from '../src/boot.js';
import { createAdmin, createUser, uniq } from './helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from './helpers/test-app.js';

describe('foundation: GraphQL, errors and validation', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('GET /health reports database and Redis up', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('an admin creates an organisation through GraphQL', async () => {
    const admin = await createAdmin(t);
    const name = `acme-${uniq()}`;
    const r = await t.gql('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id name } }', { i: { name } }, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data?.createOrganization.name).toBe(name);
  });

  it('denies anonymous callers by default', async () => {
    const r = await t.gql('{ organizations { id } }');
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
  });

  it('denies a USER an admin operation', async () => {
    const user = await createUser(t);
    const r = await t.gql('mutation { createOrganization(input: { name: "x" }) { id } }', {}, user);
    expect(errorCode(r)).toBe('FORBIDDEN');
  });

  it('malformed GraphQL is BAD_USER_INPUT, not a 500', async () => {
    const r = await t.gql('{ organizations { id ');
    expect(r.status).toBeLessThan(500);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
  });

  it('a wrong variable type is BAD_USER_INPUT', async () => {
    const admin = await createAdmin(t);
    const r = await t.gql('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }', { i: { name: 42 } }, admin);
    expect(r.status).toBeLessThan(500);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
  });

  it('an over-long string is BAD_USER_INPUT naming the field, and nothing is stored', async () => {
    const admin = await createAdmin(t);
    const name = 'x'.repeat(5000);
    const r = await t.gql('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }', { i: { name } }, admin);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(/name/);
    expect(await t.prisma.organization.count({ where: { name } })).toBe(0);
  });

  it('a duplicate is CONFLICT and no stack trace leaks', async () => {
    const admin = await createAdmin(t);
    const name = `dup-${uniq()}`;
    const q = 'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }';
    await t.gql(q, { i: { name } }, admin);
    const r = await t.gql(q, { i: { name } }, admin);
    expect(errorCode(r)).toBe('CONFLICT');
    expect(JSON.stringify(r.errors)).not.toMatch(/stack|prisma|at .*\.ts/i);
  });

  it('an injection string is stored as plain data', async () => {
    const admin = await createAdmin(t);
    const name = `x'); DROP TABLE "User"; -- ${uniq()}`;
    const r = await t.gql('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { name } }', { i: { name } }, admin);
    expect(r.data?.createOrganization.name).toBe(name);
    expect(await t.prisma.user.count()).toBeGreaterThan(0);
  });

  it('a non-numeric ID is BAD_USER_INPUT', async () => {
    const admin = await createAdmin(t);
    const r = await t.gql('mutation { deleteOrganization(id: "abc") }', {}, admin);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
  });

  it.each(['99999999999999999999', '2147483648', '0', '-1', '1.5'])('an ID out of range (%s) is BAD_USER_INPUT, not a 500', async (id) => {
    const admin = await createAdmin(t);
    for (const r of [
      await t.gql('mutation($id: ID!) { deleteOrganization(id: $id) }', { id }, admin),
      await t.gql('mutation($id: ID!) { renameOrganization(input: { id: $id, name: "x" }) { id } }', { id }, admin),
    ]) {
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
    }
  });

  it('a NUL byte in a string is BAD_USER_INPUT, not a 500', async () => {
    const admin = await createAdmin(t);
    const r = await t.gql('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }', { i: { name: `a\u0000b-${uniq()}` } }, admin);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['an unknown field', { query: '{ nope }' }],
    ['an unknown input field', { query: 'mutation { createOrganization(input: { name: "a", extra: 1 }) { id } }' }],
    ['a missing variable', { query: 'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }' }],
    ['variables that are not an object', { query: '{ organizations { id } }', variables: 'x' }],
    ['a query that is not a string', { query: 42 }],
    ['a batch', [{ query: '{ organizations { id } }' }]],
  ])('%s is BAD_USER_INPUT with a 400', async (_what, body) => {
    const admin = await createAdmin(t);
    const res = await t.http().post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${admin.token}`).send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('a cross-site form post (text/plain) is refused before anything runs', async () => {
    const res = await t.http().post('/graphql').set('content-type', 'text/plain').send('{"query":"{ __typename }"}');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('invalid JSON on POST /graphql is a 400 with a code', async () => {
    const res = await t.http().post('/graphql').set('content-type', 'application/json').send('{"query": ');
    expect(res.status).toBe(400);
    expect(res.body.error?.code ?? res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });

  it('a body over the size limit is PAYLOAD_TOO_LARGE (413), not a 500', async () => {
    const res = await t
      .http()
      .post('/graphql')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(BODY_LIMIT_BYTES) } }));
    expect(res.status).toBe(413);
    expect(res.body.error?.code ?? res.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
