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

  it('invalid JSON on POST /graphql is a 400 with a code', async () => {
    const res = await t.http().post('/graphql').set('content-type', 'application/json').send('{"query": ');
    expect(res.status).toBe(400);
  });
});
