import { createAdmin, createUser, uniq } from './helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from './helpers/test-app.js';
import { createEntry, createFinding, createSite } from './helpers/vuln-factories.js';

const LIST = `query($f: VulnFilter, $first: Int, $after: String) {
  vulns(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    nodes { id status level url siteId entry { name kind } fingerprintParts { siteId entryId location } } } }`;
const SET_STATUS = 'mutation($i: SetVulnStatusInput!) { setVulnStatus(input: $i) { changed } }';

describe('vulns: library, findings, status history, trash', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  async function world() {
    const user = await createUser(t);
    const site = await createSite(t, user.organizationId!);
    const entry = await createEntry(t, { name: `SQL Injection ${uniq()}`, kind: `kind-${uniq()}` });
    const f = (o: Partial<Parameters<typeof createFinding>[1]> = {}) =>
      createFinding(t, { organizationId: user.organizationId!, siteId: site.id, entryId: entry.id, ...o });
    return { user, site, entry, f };
  }

  describe('library', () => {
    it('an administrator creates, updates and deletes an entry; users read it', async () => {
      const admin = await createAdmin(t);
      const user = await createUser(t);
      const name = `Reflected XSS ${uniq()}`;
      const checkId = `c-${uniq()}`;
      const c = await t.gql(
        'mutation($i: CreateVulnEntryInput!) { createVulnEntry(input: $i) { id key name level cve cwe references } }',
        { i: { name, level: 'HIGH', cve: ['CVE-2021-44228'], cwe: ['79'], references: ['https://owasp.org'], scanner: 'zap', checkId } },
        admin,
      );
      expect(c.errors).toBeUndefined();
      expect(c.data?.createVulnEntry).toMatchObject({ key: `zap:${checkId}`, name, cwe: ['79'] });
      const id = c.data?.createVulnEntry.id;
      const u = await t.gql('mutation($i: UpdateVulnEntryInput!) { updateVulnEntry(input: $i) { level solution } }', { i: { id, level: 'CRITICAL', solution: 'Encode output' } }, admin);
      expect(u.data?.updateVulnEntry).toEqual({ level: 'CRITICAL', solution: 'Encode output' });
      const list = await t.gql('query($n: String) { vulnEntries(name: $n) { totalCount nodes { id } } }', { n: name.toLowerCase() }, user);
      expect(list.data?.vulnEntries.nodes).toEqual([{ id }]);
      expect(errorCode(await t.gql('mutation($i: CreateVulnEntryInput!) { createVulnEntry(input: $i) { id } }', { i: { name: 'x', level: 'LOW' } }, user))).toBe('FORBIDDEN');
      expect((await t.gql('mutation($id: ID!) { deleteVulnEntry(id: $id) }', { id }, admin)).data?.deleteVulnEntry).toBe(true);
      expect(errorCode(await t.gql('query($id: ID!) { vulnEntry(id: $id) { id } }', { id }, user))).toBe('NOT_FOUND');
    });

    it('rejects bad CVE ids and over-long names; an entry in use cannot be deleted', async () => {
      const admin = await createAdmin(t);
      const q = 'mutation($i: CreateVulnEntryInput!) { createVulnEntry(input: $i) { id } }';
      expect(errorCode(await t.gql(q, { i: { name: 'x', level: 'LOW', cve: ["1'; DROP TABLE x"] } }, admin))).toBe('BAD_USER_INPUT');
      expect(errorCode(await t.gql(q, { i: { name: 'x'.repeat(301), level: 'LOW' } }, admin))).toBe('BAD_USER_INPUT');
      const { entry, f } = await world();
      await f();
      expect(errorCode(await t.gql('mutation($id: ID!) { deleteVulnEntry(id: $id) }', { id: entry.id }, admin))).toBe('CONFLICT');
    });
  });

  describe('findings', () => {
    it('lists with filters and keyset pages; other organisations see nothing', async () => {
      const { user, site, entry, f } = await world();
      const a = await f({ level: 'HIGH', url: 'https://x.test/login?id=1' });
      const b = await f({ level: 'LOW' });
      const c = await f({ level: 'HIGH', status: 'FIXED' });
      const mine = { siteId: site.id };
      const all = await t.gql(LIST, { f: mine }, user);
      expect(all.data?.vulns.totalCount).toBe(3);
      expect(all.data?.vulns.nodes.map((n: any) => Number(n.id))).toEqual([c.id, b.id, a.id]);
      expect(all.data?.vulns.nodes[2].fingerprintParts).toEqual({ siteId: String(site.id), entryId: String(entry.id), location: a.url });
      const high = await t.gql(LIST, { f: { ...mine, levels: ['HIGH'], statuses: ['OPEN'] } }, user);
      expect(high.data?.vulns.nodes.map((n: any) => Number(n.id))).toEqual([a.id]);
      const text = await t.gql(LIST, { f: { ...mine, text: 'LOGIN' } }, user);
      expect(text.data?.vulns.totalCount).toBe(1);
      const byKind = await t.gql(LIST, { f: { kind: entry.kind, name: entry.name.slice(0, 8) } }, user);
      expect(byKind.data?.vulns.totalCount).toBe(3);
      const future = await t.gql(LIST, { f: { ...mine, seenFrom: new Date(Date.now() + 3600_000).toISOString() } }, user);
      expect(future.data?.vulns.totalCount).toBe(0);
      const p1 = await t.gql(LIST, { f: mine, first: 2 }, user);
      expect(p1.data?.vulns.pageInfo.hasNextPage).toBe(true);
      const p2 = await t.gql(LIST, { f: mine, first: 2, after: p1.data?.vulns.pageInfo.endCursor }, user);
      expect(p2.data?.vulns.nodes.map((n: any) => Number(n.id))).toEqual([a.id]);

      const stranger = await createUser(t);
      expect((await t.gql(LIST, { f: mine }, stranger)).data?.vulns.totalCount).toBe(0);
      expect(errorCode(await t.gql('query($id: ID!) { vuln(id: $id) { id } }', { id: a.id }, stranger))).toBe('NOT_FOUND');
      expect(errorCode(await t.gql('query($s: ID!) { siteVulns(siteId: $s) { totalCount } }', { s: site.id }, stranger))).toBe('NOT_FOUND');
      const admin = await createAdmin(t);
      const adm = await t.gql(LIST, { f: { organizationId: user.organizationId, siteId: site.id } }, admin);
      expect(adm.data?.vulns.totalCount).toBe(3);
      const sv = await t.gql('query($s: ID!) { siteVulns(siteId: $s, filter: { levels: [LOW] }) { totalCount } }', { s: site.id }, user);
      expect(sv.data?.siteVulns.totalCount).toBe(1);
    });

    it('bulk status change keeps who, when and why in the history', async () => {
      const { user, f } = await world();
      const a = await f();
      const b = await f({ status: 'IGNORED' });
      const r = await t.gql(SET_STATUS, { i: { ids: [a.id, b.id], status: 'IGNORED', reason: 'accepted risk' } }, user);
      expect(r.data?.setVulnStatus.changed).toBe(1);
      const d = await t.gql('query($id: ID!) { vuln(id: $id) { status history { fromStatus toStatus userId username reason createdAt } } }', { id: a.id }, user);
      expect(d.data?.vuln.status).toBe('IGNORED');
      expect(d.data?.vuln.history).toEqual([
        expect.objectContaining({ fromStatus: 'OPEN', toStatus: 'IGNORED', userId: String(user.id), username: user.username, reason: 'accepted risk' }),
      ]);
    });

    it("another organisation's id makes the whole change NOT_FOUND and changes nothing", async () => {
      const { user, f } = await world();
      const other = await world();
      const a = await f();
      const b = await other.f();
      expect(errorCode(await t.gql(SET_STATUS, { i: { ids: [a.id, b.id], status: 'FIXED' } }, user))).toBe('NOT_FOUND');
      expect((await t.prisma.finding.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('OPEN');
      expect((await t.prisma.finding.findUniqueOrThrow({ where: { id: b.id } })).status).toBe('OPEN');
    });

    it('rejects too many ids, bad statuses and over-long reasons', async () => {
      const { user, f } = await world();
      const a = await f();
      const ids = Array.from({ length: 1001 }, (_, i) => i + 1);
      expect(errorCode(await t.gql(SET_STATUS, { i: { ids, status: 'FIXED' } }, user))).toBe('BAD_USER_INPUT');
      expect(errorCode(await t.gql(SET_STATUS, { i: { ids: [a.id], status: 'GONE' } }, user))).toBe('BAD_USER_INPUT');
      expect(errorCode(await t.gql(SET_STATUS, { i: { ids: [a.id], status: 'FIXED', reason: 'x'.repeat(1001) } }, user))).toBe('BAD_USER_INPUT');
    });

    it('refuses ids outside a database id (BAD_USER_INPUT, not an internal error)', async () => {
      const { user } = await world();
      const admin = await createAdmin(t);
      for (const id of ['99999999999', '2147483648', '0', 'abc']) {
        expect(errorCode(await t.gql('query($id: ID!) { vuln(id: $id) { id } }', { id }, user))).toBe('BAD_USER_INPUT');
        expect(errorCode(await t.gql('query($id: ID!) { vulnEntry(id: $id) { id } }', { id }, user))).toBe('BAD_USER_INPUT');
        expect(errorCode(await t.gql(LIST, { f: { siteId: id } }, user))).toBe('BAD_USER_INPUT');
        expect(errorCode(await t.gql(LIST, { f: { taskId: id } }, user))).toBe('BAD_USER_INPUT');
        expect(errorCode(await t.gql('query($id: ID!) { siteVulns(siteId: $id) { totalCount } }', { id }, user))).toBe('BAD_USER_INPUT');
        expect(errorCode(await t.gql(SET_STATUS, { i: { ids: [id], status: 'FIXED' } }, user))).toBe('BAD_USER_INPUT');
        expect(errorCode(await t.gql('mutation($i: PurgeVulnsInput) { purgeVulns(input: $i) { changed } }', { i: { ids: [id] } }, admin))).toBe('BAD_USER_INPUT');
      }
    });

    it('trash: move, list, restore, and purge by administrators only', async () => {
      const { user, site, f } = await world();
      const a = await f();
      const b = await f();
      const trash = (ids: number[]) => t.gql('mutation($i: VulnIdsInput!) { trashVulns(input: $i) { changed } }', { i: { ids } }, user);
      expect((await trash([a.id, b.id])).data?.trashVulns.changed).toBe(2);
      expect((await t.gql(LIST, { f: { siteId: site.id } }, user)).data?.vulns.totalCount).toBe(0);
      const tl = await t.gql('query($f: VulnFilter) { trashedVulns(filter: $f) { totalCount } }', { f: { siteId: site.id } }, user);
      expect(tl.data?.trashedVulns.totalCount).toBe(2);
      const rs = await t.gql('mutation($i: VulnIdsInput!) { restoreVulns(input: $i) { changed } }', { i: { ids: [a.id] } }, user);
      expect(rs.data?.restoreVulns.changed).toBe(1);
      const purgeQ = 'mutation($i: PurgeVulnsInput) { purgeVulns(input: $i) { changed } }';
      expect(errorCode(await t.gql(purgeQ, { i: { ids: [b.id] } }, user))).toBe('FORBIDDEN');
      const admin = await createAdmin(t);
      expect((await t.gql(purgeQ, { i: { ids: [a.id, b.id] } }, admin)).data?.purgeVulns.changed).toBe(1);
      expect(await t.prisma.finding.count({ where: { id: { in: [a.id, b.id] } } })).toBe(1);
    });
  });
});
