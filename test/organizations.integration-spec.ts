import { createAdmin, createApiKey, createOrg, createUser } from './helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from './helpers/test-app.js';

const DELETE = 'mutation($id: ID!) { deleteOrganization(id: $id) }';

describe('organisations: deleting never takes data with it', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('deletes an empty organisation', async () => {
    const admin = await createAdmin(t);
    const org = await createOrg(t);
    const r = await t.gql(DELETE, { id: org.id }, admin);
    expect(r.data?.deleteOrganization).toBe(true);
    expect(await t.prisma.organization.findUnique({ where: { id: org.id } })).toBeNull();
  });

  it.each([
    ['a user', async (orgId: number) => void (await createUser(t, { organizationId: orgId }))],
    ['a site', async (orgId: number) => void (await t.prisma.site.create({ data: { organizationId: orgId, url: 'https://a.example.com/', domain: 'example.com', name: 'a' } }))],
    ['an active API key', async (orgId: number) => void (await createApiKey(t, orgId, ['sync:vulns']))],
    ['a tag', async (orgId: number) => void (await t.prisma.tag.create({ data: { organizationId: orgId, name: 't' } }))],
  ])('refuses with CONFLICT while it has %s', async (_what, add) => {
    const admin = await createAdmin(t);
    const org = await createOrg(t);
    await add(org.id);
    const r = await t.gql(DELETE, { id: org.id }, admin);
    expect(errorCode(r)).toBe('CONFLICT');
    expect(await t.prisma.organization.findUnique({ where: { id: org.id } })).not.toBeNull();
  });

  it('an unknown id is NOT_FOUND and a USER is FORBIDDEN', async () => {
    const admin = await createAdmin(t);
    const user = await createUser(t);
    expect(errorCode(await t.gql(DELETE, { id: 999_999_999 }, admin))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(DELETE, { id: user.organizationId }, user))).toBe('FORBIDDEN');
  });
});
