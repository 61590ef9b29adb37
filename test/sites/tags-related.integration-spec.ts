import { createApiKey, createUser, uniq } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { insertSite } from './site-helpers.js';

describe('tags', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const create = (name: string) => `mutation { createTag(input: { name: ${JSON.stringify(name)} }) { id name organizationId } }`;

  it('creates, renames, lists with site counts, tags and untags in bulk, deletes', async () => {
    const user = await createUser(t);
    const org = user.organizationId!;
    const [s1, s2, s3] = [await insertSite(t, org), await insertSite(t, org), await insertSite(t, org)];
    const gov = (await t.gql(create('政府'), {}, user)).data?.createTag;
    const edu = (await t.gql(create('edu'), {}, user)).data?.createTag;
    expect(gov).toMatchObject({ name: '政府', organizationId: String(org) });
    expect(errorCode(await t.gql(create('政府'), {}, user))).toBe('CONFLICT');

    const tag = `mutation($i: TagSitesInput!) { tagSites(input: $i) }`;
    const both = { tagIds: [gov.id, edu.id], siteIds: [String(s1.id), String(s2.id)] };
    expect((await t.gql(tag, { i: both }, user)).data?.tagSites).toBe(4);
    expect((await t.gql(tag, { i: both }, user)).data?.tagSites).toBe(0);
    expect((await t.gql(tag, { i: { tagIds: [gov.id], siteIds: [String(s3.id)] } }, user)).data?.tagSites).toBe(1);

    const list = `{ tags { totalCount nodes { name siteCount } } }`;
    expect((await t.gql(list, {}, user)).data?.tags).toEqual({
      totalCount: 2,
      nodes: [{ name: 'edu', siteCount: 2 }, { name: '政府', siteCount: 3 }],
    });
    const site = await t.gql(`{ site(id: "${s1.id}") { tags { name } } }`, {}, user);
    expect(site.data?.site.tags).toEqual([{ name: 'edu' }, { name: '政府' }]);

    const untag = `mutation($i: TagSitesInput!) { untagSites(input: $i) }`;
    expect((await t.gql(untag, { i: { tagIds: [gov.id], siteIds: [String(s1.id), String(s3.id)] } }, user)).data?.untagSites).toBe(2);
    const renamed = await t.gql(`mutation { renameTag(input: { id: "${edu.id}", name: "教育" }) { name } }`, {}, user);
    expect(renamed.data?.renameTag.name).toBe('教育');
    expect((await t.gql(`mutation { deleteTag(id: "${gov.id}") }`, {}, user)).data?.deleteTag).toBe(true);
    expect((await t.gql(list, {}, user)).data?.tags.nodes).toEqual([{ name: '教育', siteCount: 2 }]);
    expect(await t.prisma.site.count({ where: { organizationId: org } })).toBe(3);
  });

  it('pages tags by name', async () => {
    const user = await createUser(t);
    for (const n of ['c', 'a', 'b']) await t.gql(create(n), {}, user);
    const q = `query($after: String) { tags(first: 2, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }`;
    const p1 = (await t.gql(q, {}, user)).data?.tags;
    expect(p1.nodes).toEqual([{ name: 'a' }, { name: 'b' }]);
    const p2 = (await t.gql(q, { after: p1.pageInfo.endCursor }, user)).data?.tags;
    expect(p2).toEqual({ nodes: [{ name: 'c' }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } });
  });

  it('refuses an over-long or empty name and too many ids', async () => {
    const user = await createUser(t);
    expect(errorCode(await t.gql(create('x'.repeat(51)), {}, user))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(create(''), {}, user))).toBe('BAD_USER_INPUT');
    const ids = Array.from({ length: 1001 }, (_, i) => String(i + 1));
    const r = await t.gql(`mutation($i: TagSitesInput!) { tagSites(input: $i) }`, { i: { tagIds: ['1'], siteIds: ids } }, user);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
  });
});

describe('related domains', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());
  const SYNC = `mutation($i: SyncRelatedDomainsInput!) { syncRelatedDomains(input: $i) { accepted rejected } }`;

  it('a scanner key pushes subdomains; foreign and invalid names are rejected; a second push refreshes lastSeen', async () => {
    const user = await createUser(t);
    const d = `${uniq()}.com.cn`;
    const site = await insertSite(t, user.organizationId!, { url: `https://www.${d}` });
    await t.prisma.site.update({ where: { id: site.id }, data: { domain: d } });
    const key = await createApiKey(t, user.organizationId!, ['sync:vulns']);
    const hostnames = [`mail.${d}`, `VPN.${d}.`, `www.${d}`, 'evil.com', `${d}.evil.com`, 'not a host', `a.b.${d}`, `mail.${d}`];
    const r = await t.gql(SYNC, { i: { siteId: String(site.id), hostnames } }, { apiKey: key.key });
    expect(r.errors).toBeUndefined();
    expect(r.data?.syncRelatedDomains).toEqual({ accepted: 3, rejected: [`www.${d}`, 'evil.com', `${d}.evil.com`, 'not a host'] });
    const before = await t.prisma.relatedDomain.findFirstOrThrow({ where: { siteId: site.id, hostname: `mail.${d}` } });
    await t.gql(SYNC, { i: { siteId: String(site.id), hostnames: [`mail.${d}`] } }, { apiKey: key.key });
    const after = await t.prisma.relatedDomain.findFirstOrThrow({ where: { id: before.id } });
    expect(after.firstSeen).toEqual(before.firstSeen);
    expect(after.lastSeen.getTime()).toBeGreaterThan(before.lastSeen.getTime());

    const list = await t.gql(
      `query($f: RelatedDomainFilter) { relatedDomains(filter: $f) { totalCount nodes { hostname source siteId } } }`,
      { f: { siteId: String(site.id), text: 'VPN' } },
      user,
    );
    expect(list.data?.relatedDomains).toEqual({ totalCount: 1, nodes: [{ hostname: `vpn.${d}`, source: 'SCANNER', siteId: String(site.id) }] });
    const counts = await t.gql(`{ site(id: "${site.id}") { relatedDomainCount } relatedDomainCounts(siteIds: ["${site.id}"]) { count } }`, {}, user);
    expect(counts.data).toEqual({ site: { relatedDomainCount: 3 }, relatedDomainCounts: [{ count: 3 }] });
  });

  it('a key without the sync:vulns scope is refused; too many host names is BAD_USER_INPUT', async () => {
    const user = await createUser(t);
    const site = await insertSite(t, user.organizationId!);
    const key = await createApiKey(t, user.organizationId!, ['tasks:claim']);
    const i = { siteId: String(site.id), hostnames: ['a.example.com'] };
    expect(errorCode(await t.gql(SYNC, { i }, { apiKey: key.key }))).toBe('FORBIDDEN');
    const good = await createApiKey(t, user.organizationId!, ['sync:vulns']);
    const many = { ...i, hostnames: Array.from({ length: 5001 }, (_, n) => `h${n}.example.com`) };
    expect(errorCode(await t.gql(SYNC, { i: many }, { apiKey: good.key }))).toBe('BAD_USER_INPUT');
    const long = { ...i, hostnames: [`${'a'.repeat(250)}.example.com`] };
    expect(errorCode(await t.gql(SYNC, { i: long }, { apiKey: good.key }))).toBe('BAD_USER_INPUT');
    expect(await t.prisma.relatedDomain.count({ where: { siteId: site.id } })).toBe(0);
  });

  it('setToSite promotes a related domain to a site of the same organisation, once', async () => {
    const user = await createUser(t);
    const site = await insertSite(t, user.organizationId!, { url: `https://www.${uniq()}.example.com`, areaCode: '440300' });
    const host = `shop.${new URL(site.url).hostname.slice(4)}`;
    const rd = await t.prisma.relatedDomain.create({ data: { siteId: site.id, hostname: host, source: 'PROBE' } });
    const q = `mutation { setRelatedDomainToSite(id: "${rd.id}") { url name areaCode organizationId domain } }`;
    const r = await t.gql(q, {}, user);
    expect(r.data?.setRelatedDomainToSite).toEqual({ url: `https://${host}`, name: host, areaCode: '440300', organizationId: String(user.organizationId), domain: 'example.com' });
    expect(errorCode(await t.gql(q, {}, user))).toBe('CONFLICT');
    expect(errorCode(await t.gql(`mutation { setRelatedDomainToSite(id: "2147483000") { id } }`, {}, user))).toBe('NOT_FOUND');
  });
});
