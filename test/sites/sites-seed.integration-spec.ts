import { SiteRepository } from '../../src/sites/site.repository.js';
import { seedSites } from '../../src/sites/sites.seed.js';
import { createOrg, createUser } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('seedSites', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('adds demo sites with areas and tags to each organisation, and is idempotent', async () => {
    const user = await createUser(t);
    const other = await createOrg(t);
    const orgIds = [user.organizationId!, other.id];
    const repo = t.app.get(SiteRepository, { strict: false });
    expect(await seedSites(repo, t.prisma, orgIds)).toBe(24);
    expect(await seedSites(repo, t.prisma, orgIds)).toBe(0);
    const r = await t.gql(`{ sites(first: 100) { totalCount nodes { area { name } tags { name } } } tags { nodes { name siteCount } } }`, {}, user);
    expect(r.data?.sites.totalCount).toBe(12);
    expect(r.data?.sites.nodes.every((n: { area: unknown }) => n.area)).toBe(true);
    expect(r.data?.tags.nodes).toContainEqual({ name: '重点', siteCount: 4 });
  });
});
