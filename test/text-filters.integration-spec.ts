// Every text filter matches `_` and `%` literally (one escaping helper: src/common/text/like.ts).
// Each filter gets one row that holds the wildcard characters and one that a wildcard would match.
import { createAdmin, createOrg, createUser, uniq } from './helpers/factories.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createEntry, createFinding, createSite } from './helpers/vuln-factories.js';

describe('text filters treat LIKE wildcards as plain text', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('users(filter.text)', async () => {
    const org = await createOrg(t);
    const admin = await createAdmin(t, org.id);
    const u = uniq();
    const literal = await createUser(t, { organizationId: org.id, username: `u${u}-a_b-100%`.replace('%', 'p') });
    await t.prisma.user.update({ where: { id: literal.id }, data: { displayName: `${u} a_b 100%` } });
    const wild = await createUser(t, { organizationId: org.id, username: `u${u}-axb-1000` });
    await t.prisma.user.update({ where: { id: wild.id }, data: { displayName: `${u} axb 1000` } });
    const ids = async (text: string) => {
      const r = await t.gql('query($f: UserFilter) { users(filter: $f, first: 100) { nodes { id } } }', { f: { text, organizationId: org.id } }, admin);
      expect(r.errors).toBeUndefined();
      return r.data!.users.nodes.map((n: { id: string }) => Number(n.id));
    };
    expect(await ids(`${u} a_b`)).toEqual([literal.id]);
    expect(await ids(`b 100%`)).toEqual([literal.id]);
    expect(await ids(`${u} a%0`)).toEqual([]);
  });

  it('vulnEntries(name)', async () => {
    const user = await createUser(t);
    const u = uniq();
    const literal = await createEntry(t, { name: `lib ${u} a_b 100%` });
    await createEntry(t, { name: `lib ${u} axb 1000` });
    const ids = async (name: string) => {
      const r = await t.gql('query($n: String) { vulnEntries(name: $n, first: 100) { nodes { id } } }', { n: name }, user);
      expect(r.errors).toBeUndefined();
      return r.data!.vulnEntries.nodes.map((n: { id: string }) => Number(n.id));
    };
    expect(await ids(`${u} a_b`)).toEqual([literal.id]);
    expect(await ids(`b 100%`)).toEqual([literal.id]);
    expect(await ids(`${u} %1`)).toEqual([]);
  });

  it('vulns(filter.text) and vulns(filter.name)', async () => {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const site = await createSite(t, orgId);
    const u = uniq();
    const literalEntry = await createEntry(t, { name: `check ${u} a_b 100%` });
    const wildEntry = await createEntry(t, { name: `check ${u} axb 1000` });
    const literal = await createFinding(t, { organizationId: orgId, siteId: site.id, entryId: literalEntry.id, url: `https://x.test/${u}/a_b/100%25` });
    await createFinding(t, { organizationId: orgId, siteId: site.id, entryId: wildEntry.id, url: `https://x.test/${u}/axb/1000` });
    const ids = async (filter: Record<string, string>) => {
      const r = await t.gql('query($f: VulnFilter) { vulns(filter: $f, first: 100) { nodes { id } } }', { f: filter }, user);
      expect(r.errors).toBeUndefined();
      return r.data!.vulns.nodes.map((n: { id: string }) => Number(n.id));
    };
    expect(await ids({ text: `${u}/a_b` })).toEqual([literal.id]);
    expect(await ids({ text: '100%' })).toEqual([literal.id]);
    expect(await ids({ name: `${u} a_b` })).toEqual([literal.id]);
    expect(await ids({ name: '100%' })).toEqual([literal.id]);
    expect(await ids({ name: `${u} %1` })).toEqual([]);
  });
});
