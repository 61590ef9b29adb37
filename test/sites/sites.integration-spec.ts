import { createAdmin, createOrg, createUser, uniq } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { insertSite, SITE_FIELDS } from './site-helpers.js';

const CREATE = `mutation($i: CreateSiteInput!) { createSite(input: $i) { ${SITE_FIELDS} ownerId area { code name level } organization { id name } owner { id username } } }`;
const LIST = `query($f: SiteFilter, $s: SiteSort, $first: Int, $after: String) {
  sites(filter: $f, sort: $s, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id name url areaCode riskLevel } } }`;

describe('sites: add, update, delete, detail, list', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('a USER adds a site: URL normalised, domain computed, placed in their organisation', async () => {
    const user = await createUser(t);
    const host = `www.${uniq()}.gov.cn`;
    const r = await t.gql(CREATE, { i: { url: `HTTPS://${host.toUpperCase()}:443/`, areaCode: '130100', ownerId: String(user.id) } }, user);
    expect(r.errors).toBeUndefined();
    expect(r.data?.createSite).toMatchObject({
      url: `https://${host}`,
      domain: host.slice(4),
      name: host,
      organizationId: String(user.organizationId),
      liveness: 'UNKNOWN',
      riskLevel: 'NONE',
      area: { code: '130100', name: '石家庄市', level: 'CITY' },
      organization: { id: String(user.organizationId) },
      owner: { id: String(user.id), username: user.username },
    });
  });

  it('the same URL twice in one organisation is CONFLICT; another organisation may have it', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    const url = `http://${uniq()}.example.org`;
    expect((await t.gql(CREATE, { i: { url } }, a)).errors).toBeUndefined();
    expect(errorCode(await t.gql(CREATE, { i: { url: `${url}/` } }, a))).toBe('CONFLICT');
    expect((await t.gql(CREATE, { i: { url } }, b)).errors).toBeUndefined();
  });

  it.each([
    [{ url: 'ftp://x.example.com' }, 'url'],
    [{ url: 'not a url at all' }, 'url'],
    [{ url: `http://${'a'.repeat(2100)}.com` }, 'url'],
    [{ url: 'http://ok.example.com', name: 'n'.repeat(201) }, 'name'],
    [{ url: 'http://ok.example.com', areaCode: '999999' }, 'areaCode'],
    [{ url: 'http://ok.example.com', areaCode: "1' OR 1=1" }, 'areaCode'],
  ])('refuses bad input %#: BAD_USER_INPUT naming the field', async (input, field) => {
    const user = await createUser(t);
    const r = await t.gql(CREATE, { i: input }, user);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(r.errors)).toContain(field);
    expect(await t.prisma.site.count({ where: { organizationId: user.organizationId! } })).toBe(0);
  });

  it('an owner from another organisation is refused', async () => {
    const user = await createUser(t);
    const stranger = await createUser(t);
    const r = await t.gql(CREATE, { i: { url: `${uniq()}.example.com`, ownerId: String(stranger.id) } }, user);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
  });

  it('an administrator must name the organisation; a USER cannot name another', async () => {
    const admin = await createAdmin(t);
    const org = await createOrg(t);
    expect(errorCode(await t.gql(CREATE, { i: { url: `${uniq()}.example.com` } }, admin))).toBe('BAD_USER_INPUT');
    const ok = await t.gql(CREATE, { i: { url: `${uniq()}.example.com`, organizationId: String(org.id) } }, admin);
    expect(ok.data?.createSite.organizationId).toBe(String(org.id));
    const user = await createUser(t);
    expect(errorCode(await t.gql(CREATE, { i: { url: `${uniq()}.example.com`, organizationId: String(org.id) } }, user))).toBe('NOT_FOUND');
  });

  it('updates URL, name, area and owner, and clears the area with null', async () => {
    const user = await createUser(t);
    const site = await insertSite(t, user.organizationId!, { areaCode: '110000' });
    const q = `mutation($i: UpdateSiteInput!) { updateSite(input: $i) { url domain name areaCode ownerId } }`;
    const host = `${uniq()}.example.net`;
    const r = await t.gql(q, { i: { id: String(site.id), url: `https://shop.${host}`, name: 'Shop', ownerId: String(user.id) } }, user);
    expect(r.data?.updateSite).toEqual({ url: `https://shop.${host}`, domain: 'example.net', name: 'Shop', areaCode: '110000', ownerId: String(user.id) });
    const cleared = await t.gql(q, { i: { id: String(site.id), areaCode: null } }, user);
    expect(cleared.data?.updateSite.areaCode).toBeNull();
  });

  it('updating to a URL the organisation already has is CONFLICT', async () => {
    const user = await createUser(t);
    const a = await insertSite(t, user.organizationId!);
    const b = await insertSite(t, user.organizationId!);
    const r = await t.gql(`mutation($i: UpdateSiteInput!) { updateSite(input: $i) { id } }`, { i: { id: String(b.id), url: a.url } }, user);
    expect(errorCode(r)).toBe('CONFLICT');
  });

  it('deletes many sites at once; a missing id deletes nothing', async () => {
    const user = await createUser(t);
    const [a, b, c] = [await insertSite(t, user.organizationId!), await insertSite(t, user.organizationId!), await insertSite(t, user.organizationId!)];
    const q = `mutation($ids: [ID!]!) { deleteSites(ids: $ids) }`;
    expect(errorCode(await t.gql(q, { ids: [String(a.id), '2147483000'] }, user))).toBe('NOT_FOUND');
    expect(await t.prisma.site.count({ where: { id: a.id } })).toBe(1);
    expect((await t.gql(q, { ids: [String(a.id), String(b.id)] }, user)).data?.deleteSites).toBe(2);
    expect(await t.prisma.site.findMany({ where: { organizationId: user.organizationId! }, select: { id: true } })).toEqual([{ id: c.id }]);
    expect(errorCode(await t.gql(q, { ids: ['abc'] }, user))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(q, { ids: [] }, user))).toBe('BAD_USER_INPUT');
  });

  it('detail of an unknown site is NOT_FOUND', async () => {
    const user = await createUser(t);
    expect(errorCode(await t.gql(`{ site(id: "2147483001") { id } }`, {}, user))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(`{ site(id: "99999999999") { id } }`, {}, user))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(`{ site(id: "1; DROP TABLE x") { id } }`, {}, user))).toBe('BAD_USER_INPUT');
  });

  it('lists with filters: text, area (province includes its cities), risk level, tag, liveness', async () => {
    const user = await createUser(t);
    const org = user.organizationId!;
    const word = uniq();
    const s1 = await insertSite(t, org, { name: `Bank ${word}`, areaCode: '130100', riskLevel: 'HIGH' });
    const s2 = await insertSite(t, org, { url: `http://${word}.example.cn`, areaCode: '130000' });
    const s3 = await insertSite(t, org, { areaCode: '110000', riskLevel: 'HIGH' });
    await t.prisma.site.update({ where: { id: s3.id }, data: { liveness: 'DEAD' } });
    const tag = await t.prisma.tag.create({ data: { organizationId: org, name: `t-${word}` } });
    await t.prisma.siteTag.create({ data: { siteId: s2.id, tagId: tag.id } });
    const ids = async (f: object) => (await t.gql(LIST, { f }, user)).data?.sites.nodes.map((n: { id: string }) => Number(n.id)).sort();
    expect(await ids({ text: word.toUpperCase() })).toEqual([s1.id, s2.id].sort());
    expect(await ids({ areaCode: '130000' })).toEqual([s1.id, s2.id].sort());
    expect(await ids({ areaCode: '130100' })).toEqual([s1.id]);
    expect(await ids({ riskLevels: ['HIGH'] })).toEqual([s1.id, s3.id].sort());
    expect(await ids({ tagIds: [String(tag.id)] })).toEqual([s2.id]);
    expect(await ids({ liveness: ['DEAD'] })).toEqual([s3.id]);
    expect(await ids({ text: word, riskLevels: ['HIGH'] })).toEqual([s1.id]);
  });

  it('text filter treats LIKE wildcards and injection strings as plain text', async () => {
    const user = await createUser(t);
    const org = user.organizationId!;
    await insertSite(t, org, { name: 'axb site' });
    const literal = await insertSite(t, org, { name: 'a_b 100% site' });
    const ids = async (text: string) => (await t.gql(LIST, { f: { text } }, user)).data?.sites.nodes.map((n: { id: string }) => Number(n.id));
    expect(await ids('a_b')).toEqual([literal.id]);
    expect(await ids('100%')).toEqual([literal.id]);
    expect(await ids('%')).toEqual([literal.id]);
    const r = await t.gql(LIST, { f: { text: `'; DROP TABLE "Site"; --` } }, user);
    expect(r.errors).toBeUndefined();
    expect(r.data?.sites.totalCount).toBe(0);
    expect(await t.prisma.site.count({ where: { organizationId: org } })).toBe(2);
    expect(errorCode(await t.gql(LIST, { f: { text: 'x'.repeat(201) } }, user))).toBe('BAD_USER_INPUT');
  });

  it('pages through every sort order with keyset cursors, nulls last, no row twice', async () => {
    const user = await createUser(t);
    const org = user.organizationId!;
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await insertSite(t, org, { name: `n${i % 3}-${uniq()}` }));
    await t.prisma.site.update({ where: { id: made[2].id }, data: { securityScore: 50, lastProbedAt: new Date('2026-01-01') } });
    await t.prisma.site.update({ where: { id: made[4].id }, data: { securityScore: 90, lastProbedAt: new Date('2026-02-01') } });
    for (const field of ['ID', 'NAME', 'URL', 'LAST_PROBED_AT', 'SECURITY_SCORE']) {
      for (const direction of ['ASC', 'DESC']) {
        const seen: number[] = [];
        let after: string | undefined;
        for (let page = 0; page < 10; page++) {
          const r = await t.gql(LIST, { s: { field, direction }, first: 3, after }, user);
          expect(r.errors).toBeUndefined();
          seen.push(...r.data!.sites.nodes.map((n: { id: string }) => Number(n.id)));
          expect(r.data?.sites.totalCount).toBe(7);
          if (!r.data?.sites.pageInfo.hasNextPage) break;
          after = r.data?.sites.pageInfo.endCursor;
        }
        expect(new Set(seen).size).toBe(7);
        const past = await t.gql(LIST, { s: { field, direction }, first: 3, after }, user);
        const last = past.data?.sites.pageInfo.endCursor;
        const beyond = await t.gql(LIST, { s: { field, direction }, first: 3, after: last }, user);
        expect(beyond.data?.sites).toMatchObject({ totalCount: 7, nodes: [], pageInfo: { hasNextPage: false } });
        if (field === 'SECURITY_SCORE') {
          expect(seen.slice(0, 2)).toEqual(direction === 'ASC' ? [made[2].id, made[4].id] : [made[4].id, made[2].id]);
        }
      }
    }
    expect(errorCode(await t.gql(LIST, { after: 'garbage' }, user))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(LIST, { first: 101 }, user))).toBe('BAD_USER_INPUT');
  });

  it('lists areas from the data package', async () => {
    const user = await createUser(t);
    const r = await t.gql(`{ provinces: areas(level: PROVINCE) { code name } hebei: areas(parentCode: "130000") { code name parentCode } }`, {}, user);
    expect(r.errors).toBeUndefined();
    expect(r.data?.provinces.length).toBeGreaterThanOrEqual(34);
    expect(r.data?.provinces).toContainEqual({ code: '440000', name: '广东省' });
    expect(r.data?.hebei).toContainEqual({ code: '130100', name: '石家庄市', parentCode: '130000' });
  });

  it('areaStat rolls cities up into provinces, or counts the cities of one province', async () => {
    const user = await createUser(t);
    const org = user.organizationId!;
    for (const areaCode of ['130100', '130200', '130200', '130000', '440100', null]) await insertSite(t, org, { areaCode });
    const q = `query($l: AreaLevel, $p: String) { siteAreaStat(level: $l, parentCode: $p) { areaCode areaName level siteCount } }`;
    const provinces = await t.gql(q, {}, user);
    expect(provinces.data?.siteAreaStat).toEqual([
      { areaCode: '130000', areaName: '河北省', level: 'PROVINCE', siteCount: 4 },
      { areaCode: '440000', areaName: '广东省', level: 'PROVINCE', siteCount: 1 },
      { areaCode: null, areaName: null, level: null, siteCount: 1 },
    ]);
    const hebei = await t.gql(q, { l: 'CITY', p: '130000' }, user);
    expect(hebei.data?.siteAreaStat).toEqual([
      { areaCode: '130200', areaName: '唐山市', level: 'CITY', siteCount: 2 },
      { areaCode: '130100', areaName: '石家庄市', level: 'CITY', siteCount: 1 },
      { areaCode: null, areaName: null, level: null, siteCount: 1 },
    ]);
    expect(errorCode(await t.gql(q, { p: "13' OR '1'='1" }, user))).toBe('BAD_USER_INPUT');
  });

  it('anonymous callers and API keys are refused', async () => {
    expect(errorCode(await t.gql(LIST, {}))).toBe('UNAUTHENTICATED');
  });
});
