import { createAdmin, createOrg, createUser, uniq } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { insertSite } from './site-helpers.js';

const BATCH = `mutation($i: CreateSitesInput!) { createSites(input: $i) { created conflicts invalid rows { row status siteId error } } }`;
const CSV = `mutation($i: ImportSitesCsvInput!) { importSitesCsv(input: $i) { created conflicts invalid rows { row status siteId error } } }`;

describe('sites: batch add and CSV import', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('gives every row its own result and keeps the valid rows', async () => {
    const user = await createUser(t);
    const org = user.organizationId!;
    const existing = await insertSite(t, org);
    const d = uniq();
    const rows = [
      { url: `https://a.${d}.com`, name: 'A', areaCode: '440100' },
      { url: 'ftp://bad.example.com' },
      { url: `HTTPS://A.${d}.COM/` },
      { url: existing.url },
      { url: `b.${d}.com`, areaCode: '000000' },
      { url: `c.${d}.com`, name: 'x'.repeat(300) },
      { url: `'); DROP TABLE "Site"; --` },
      { url: `http://d.${d}.com:8080/app` },
    ];
    const r = await t.gql(BATCH, { i: { rows } }, user);
    expect(r.errors).toBeUndefined();
    const res = r.data?.createSites;
    expect(res).toMatchObject({ created: 2, conflicts: 2, invalid: 4 });
    expect(res.rows.map((x: { status: string }) => x.status)).toEqual([
      'CREATED', 'INVALID', 'CONFLICT', 'CONFLICT', 'INVALID', 'INVALID', 'INVALID', 'CREATED',
    ]);
    expect(res.rows[2].error).toMatch(/row 1/);
    expect(res.rows[3].error).toMatch(/already exists/);
    expect(res.rows[4].error).toMatch(/area/i);
    const stored = await t.prisma.site.findMany({ where: { organizationId: org }, orderBy: { id: 'asc' } });
    expect(stored.map((s) => s.url)).toEqual([existing.url, `https://a.${d}.com`, `http://d.${d}.com:8080/app`]);
    expect(stored[1]).toMatchObject({ id: Number(res.rows[0].siteId), name: 'A', areaCode: '440100', domain: `${d}.com` });
  });

  it('takes 10,000 rows in one call and refuses 10,001', async () => {
    const user = await createUser(t);
    const d = uniq();
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ url: `http://h${i}.${d}.com` }));
    const r = await t.gql(BATCH, { i: { rows } }, user);
    expect(r.errors).toBeUndefined();
    expect(r.data?.createSites.created).toBe(10_000);
    expect(await t.prisma.site.count({ where: { organizationId: user.organizationId! } })).toBe(10_000);
    const again = await t.gql(BATCH, { i: { rows: [...rows.slice(0, 5), { url: `http://new.${d}.com` }] } }, user);
    expect(again.data?.createSites).toMatchObject({ created: 1, conflicts: 5 });
    const tooMany = await t.gql(BATCH, { i: { rows: [...rows, { url: 'x.example.com' }] } }, user);
    expect(errorCode(tooMany)).toBe('BAD_USER_INPUT');
  });

  it('a batch for another organisation is NOT_FOUND for a USER, fine for an administrator', async () => {
    const user = await createUser(t);
    const org = await createOrg(t);
    const rows = [{ url: `${uniq()}.example.com` }];
    expect(errorCode(await t.gql(BATCH, { i: { organizationId: String(org.id), rows } }, user))).toBe('NOT_FOUND');
    const admin = await createAdmin(t);
    expect((await t.gql(BATCH, { i: { organizationId: String(org.id), rows } }, admin)).data?.createSites.created).toBe(1);
    expect(errorCode(await t.gql(BATCH, { i: { organizationId: '2147483000', rows } }, admin))).toBe('NOT_FOUND');
  });

  it('imports CSV with a header, quoting and Chinese names; reports bad rows by number', async () => {
    const user = await createUser(t);
    const d = uniq();
    const csv = `\uFEFFurl,name,areaCode\nhttps://www.${d}.gov.cn,"北京市人民政府, 门户",110000\nnot a url,x,\nhttp://mail.${d}.gov.cn,,\nhttps://www.${d}.gov.cn,dup,\n`;
    const r = await t.gql(CSV, { i: { csv } }, user);
    expect(r.errors).toBeUndefined();
    expect(r.data?.importSitesCsv).toMatchObject({ created: 2, conflicts: 1, invalid: 1 });
    expect(r.data?.importSitesCsv.rows.map((x: { row: number; status: string }) => `${x.row}:${x.status}`)).toEqual([
      '1:CREATED', '2:INVALID', '3:CREATED', '4:CONFLICT',
    ]);
    const site = await t.prisma.site.findFirst({ where: { organizationId: user.organizationId!, url: `https://www.${d}.gov.cn` } });
    expect(site).toMatchObject({ name: '北京市人民政府, 门户', areaCode: '110000' });
  });

  it.each([
    ['no url column', 'name\nfoo\n'],
    ['no data rows', 'url\n'],
    ['broken quoting', 'url,name\n"http://a.example.com,unterminated\n'],
  ])('refuses a malformed CSV (%s) as BAD_USER_INPUT', async (_, csv) => {
    const user = await createUser(t);
    expect(errorCode(await t.gql(CSV, { i: { csv } }, user))).toBe('BAD_USER_INPUT');
    expect(await t.prisma.site.count({ where: { organizationId: user.organizationId! } })).toBe(0);
  });

  it('refuses a CSV over the size limit', async () => {
    const user = await createUser(t);
    expect(errorCode(await t.gql(CSV, { i: { csv: `url\n${'a'.repeat(4_000_001)}` } }, user))).toBe('BAD_USER_INPUT');
  });
});
