import { createAdmin, createApiKey, createUser, uniq } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { insertSite } from './site-helpers.js';

/** Two organisations side by side: a USER of A never sees or changes B's sites, tags or related domains. */
describe('sites: organisation scoping', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof createUser>>;
  let b: Awaited<ReturnType<typeof createUser>>;
  let siteA: { id: number; url: string };
  let siteB: { id: number; url: string };
  let tagB: { id: number };
  let relatedB: { id: number };
  const word = uniq();

  beforeAll(async () => {
    t = await startTestApp();
    a = await createUser(t);
    b = await createUser(t);
    siteA = await insertSite(t, a.organizationId!, { name: `shared ${word}`, areaCode: '320100', riskLevel: 'LOW' });
    siteB = await insertSite(t, b.organizationId!, { name: `shared ${word}`, areaCode: '330100', riskLevel: 'CRITICAL' });
    await insertSite(t, b.organizationId!, { name: `b-only ${word}`, areaCode: '330200', riskLevel: 'CRITICAL' });
    tagB = await t.prisma.tag.create({ data: { organizationId: b.organizationId!, name: `b-${word}` } });
    await t.prisma.siteTag.create({ data: { siteId: siteB.id, tagId: tagB.id } });
    relatedB = await t.prisma.relatedDomain.create({ data: { siteId: siteB.id, hostname: `mail.${word}.example.com`, source: 'PROBE' } });
  });
  afterAll(() => t.close());

  it('lists and counts only the caller\'s sites, even when filtering by the other organisation', async () => {
    const q = `query($f: SiteFilter) { sites(filter: $f) { totalCount nodes { id } } }`;
    const mine = await t.gql(q, { f: { text: word } }, a);
    expect(mine.data?.sites).toEqual({ totalCount: 1, nodes: [{ id: String(siteA.id) }] });
    const theirs = await t.gql(q, { f: { organizationId: String(b.organizationId) } }, a);
    expect(theirs.data?.sites.totalCount).toBe(0);
    const byTag = await t.gql(q, { f: { tagIds: [String(tagB.id)] } }, a);
    expect(byTag.data?.sites.totalCount).toBe(0);
  });

  it('orgList, areaStat and safeStat cover only the caller\'s organisation', async () => {
    const r = await t.gql(`{ siteOrgList { organizationId siteCount } siteAreaStat { areaCode siteCount } siteSafeStat { riskLevel siteCount } }`, {}, a);
    expect(r.errors).toBeUndefined();
    expect(r.data?.siteOrgList).toEqual([{ organizationId: String(a.organizationId), siteCount: 1 }]);
    expect(r.data?.siteAreaStat).toEqual([{ areaCode: '320000', siteCount: 1 }]);
    expect(r.data?.siteSafeStat).toEqual([
      { riskLevel: 'NONE', siteCount: 0 }, { riskLevel: 'LOW', siteCount: 1 }, { riskLevel: 'MEDIUM', siteCount: 0 },
      { riskLevel: 'HIGH', siteCount: 0 }, { riskLevel: 'CRITICAL', siteCount: 0 },
    ]);
  });

  it('an administrator sees both organisations in lists and statistics', async () => {
    const admin = await createAdmin(t);
    const r = await t.gql(
      `query($f: SiteFilter) { sites(filter: $f) { totalCount } siteOrgList { organizationId siteCount } siteSafeStat { riskLevel siteCount } }`,
      { f: { text: word } },
      admin,
    );
    expect(r.data?.sites.totalCount).toBe(3);
    expect(r.data?.siteOrgList).toEqual(
      expect.arrayContaining([
        { organizationId: String(a.organizationId), siteCount: 1 },
        { organizationId: String(b.organizationId), siteCount: 2 },
      ]),
    );
    expect(r.data?.siteSafeStat.find((x: { riskLevel: string }) => x.riskLevel === 'CRITICAL').siteCount).toBeGreaterThanOrEqual(2);
  });

  it('detail, update, delete and probe of another organisation\'s site are FORBIDDEN and change nothing', async () => {
    const id = String(siteB.id);
    expect(errorCode(await t.gql(`{ site(id: "${id}") { id } }`, {}, a))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(`mutation { updateSite(input: { id: "${id}", name: "pwned" }) { id } }`, {}, a))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(`mutation { deleteSites(ids: ["${siteA.id}", "${id}"]) }`, {}, a))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(`mutation { probeSites(ids: ["${id}"]) }`, {}, a))).toBe('NOT_FOUND');
    expect(await t.prisma.site.findUnique({ where: { id: siteB.id } })).toMatchObject({ name: `shared ${word}` });
    expect(await t.prisma.site.count({ where: { id: siteA.id } })).toBe(1);
  });

  it('another organisation\'s tags are invisible and untouchable', async () => {
    const list = await t.gql(`query($x: String) { tags(text: $x) { totalCount } }`, { x: word }, a);
    expect(list.data?.tags.totalCount).toBe(0);
    const id = String(tagB.id);
    expect(errorCode(await t.gql(`mutation { renameTag(input: { id: "${id}", name: "x" }) { id } }`, {}, a))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(`mutation { deleteTag(id: "${id}") }`, {}, a))).toBe('NOT_FOUND');
    const tagMine = `mutation { tagSites(input: { tagIds: ["${id}"], siteIds: ["${siteA.id}"] }) }`;
    expect(errorCode(await t.gql(tagMine, {}, a))).toBe('NOT_FOUND');
    const untagTheirs = `mutation { untagSites(input: { tagIds: ["${id}"], siteIds: ["${siteB.id}"] }) }`;
    expect(errorCode(await t.gql(untagTheirs, {}, a))).toBe('NOT_FOUND');
    expect(await t.prisma.siteTag.count({ where: { tagId: tagB.id } })).toBe(1);
  });

  it('another organisation\'s related domains are invisible, uncounted and cannot be promoted', async () => {
    const r = await t.gql(
      `query($ids: [ID!]!) { relatedDomains(filter: { text: "${word}" }) { totalCount } relatedDomainCounts(siteIds: $ids) { siteId count } }`,
      { ids: [String(siteB.id)] },
      a,
    );
    expect(r.data?.relatedDomains.totalCount).toBe(0);
    expect(r.data?.relatedDomainCounts).toEqual([{ siteId: String(siteB.id), count: 0 }]);
    expect(errorCode(await t.gql(`mutation { setRelatedDomainToSite(id: "${relatedB.id}") { id } }`, {}, a))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(`mutation { deleteRelatedDomains(ids: ["${relatedB.id}"]) }`, {}, a))).toBe('NOT_FOUND');
    expect(await t.prisma.site.count({ where: { url: { contains: `mail.${word}` } } })).toBe(0);
  });

  it('a scanner key of another organisation cannot push related domains to a site', async () => {
    const key = await createApiKey(t, a.organizationId!, ['sync:vulns']);
    const r = await t.gql(
      `mutation($i: SyncRelatedDomainsInput!) { syncRelatedDomains(input: $i) { accepted } }`,
      { i: { siteId: String(siteB.id), hostnames: [`x.${word}.example.com`] } },
      { apiKey: key.key },
    );
    expect(errorCode(r)).toBe('NOT_FOUND');
    expect(await t.prisma.relatedDomain.count({ where: { siteId: siteB.id } })).toBe(1);
  });

  it('API keys are refused on the site list', async () => {
    const key = await createApiKey(t, a.organizationId!, ['sync:vulns']);
    expect(errorCode(await t.gql(`{ sites { totalCount } }`, {}, { apiKey: key.key }))).toBe('FORBIDDEN');
  });
});
