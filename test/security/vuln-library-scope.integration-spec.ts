import { createAdmin, createApiKey, createUser, uniq, type UserWithToken } from '../helpers/factories.js';
import { rec, syncGql, waitForBatch, type Rec } from '../helpers/ingest-helpers.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { createSite, createTask } from '../helpers/vuln-factories.js';

const ENTRIES = 'query($n: String) { vulnEntries(name: $n, first: 100) { totalCount nodes { id organizationId name description } } }';
const ENTRY = 'query($id: ID!) { vulnEntry(id: $id) { id name description } }';
const SITE_VULNS = 'query($s: ID!) { siteVulns(siteId: $s) { nodes { entry { id organizationId description solution } } } }';

/** Scanner data of one organisation never reaches another one through the vulnerability library. */
describe('security: the vulnerability library is scoped by organisation', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  async function org() {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const site = await createSite(t, orgId);
    const key = await createApiKey(t, orgId, ['sync:vulns']);
    const task = await createTask(t, orgId, [site.id]);
    const push = async (findings: Rec[]) => {
      const r = await syncGql(t, { i: { taskId: task.id, seq: 1, idempotencyKey: uniq(), scanner: 'zap', findings } }, { apiKey: key.key });
      expect(r.errors).toBeUndefined();
      const b = await waitForBatch(t, r.data!.syncVulns.id);
      expect(b.status).toBe('DONE');
    };
    const entries = async (who: UserWithToken = user) => (await t.gql(SITE_VULNS, { s: site.id }, who)).data?.siteVulns.nodes.map((n: any) => n.entry);
    return { user, orgId, site, push, entries };
  }

  it("another organisation's users neither list nor read entries made from A's scans", async () => {
    const [a, b] = [await org(), await org()];
    const name = `Leaky ${uniq()}`;
    await a.push([rec(a.site.id, `c${uniq()}`, '/', { name, description: 'internal detail of A' })]);
    const mine = await t.gql(ENTRIES, { n: name }, a.user);
    expect(mine.data?.vulnEntries.totalCount).toBe(1);
    const entry = mine.data?.vulnEntries.nodes[0];
    expect(entry).toMatchObject({ organizationId: String(a.orgId), description: 'internal detail of A' });

    const theirs = await t.gql(ENTRIES, { n: name }, b.user);
    expect(theirs.data?.vulnEntries).toEqual({ totalCount: 0, nodes: [] });
    const direct = await t.gql(ENTRY, { id: entry.id }, b.user);
    expect(errorCode(direct)).toBe('NOT_FOUND');
    expect(direct.errors?.[0].message).toBe(`Vuln entry ${entry.id} not found`);
    // an administrator sees every entry
    expect((await t.gql(ENTRY, { id: entry.id }, await createAdmin(t))).data?.vulnEntry.name).toBe(name);
  });

  it("B's scanner cannot poison the entry A's findings show, by check id or by name", async () => {
    const [a, b] = [await org(), await org()];
    const [name, check] = [`Shared name ${uniq()}`, `c${uniq()}`];
    await b.push([
      rec(b.site.id, check, '/', { name, description: 'POISON', solution: 'POISON' }),
      rec(b.site.id, `other-${check}`, '/', { name: `${name} 2`, description: 'POISON' }),
    ]);
    await a.push([
      rec(a.site.id, check, '/', { name, description: 'real description' }),
      rec(a.site.id, `mine-${check}`, '/x', { name: `${name} 2`, description: 'real too' }),
    ]);
    const seen = await a.entries();
    expect(seen).toHaveLength(2);
    for (const e of seen) {
      expect(e.organizationId).toBe(String(a.orgId));
      expect(e.description).not.toBe('POISON');
    }
    expect((await b.entries()).every((e: { organizationId: string }) => e.organizationId === String(b.orgId))).toBe(true);
  });

  it('a curated entry is matched by check id in every organisation and never changed by scanner data', async () => {
    const admin = await createAdmin(t);
    const check = `cur${uniq()}`;
    const created = await t.gql(
      'mutation($i: CreateVulnEntryInput!) { createVulnEntry(input: $i) { id organizationId } }',
      { i: { name: `Curated ${check}`, level: 'MEDIUM', scanner: 'zap', checkId: check, description: 'curated text' } },
      admin,
    );
    const curated = created.data?.createVulnEntry;
    expect(curated.organizationId).toBeNull();
    const [a, b] = [await org(), await org()];
    await a.push([rec(a.site.id, check, '/', { description: 'scanner text A' })]);
    await b.push([rec(b.site.id, check, '/', { description: 'POISON' })]);
    for (const o of [a, b]) expect(await o.entries()).toEqual([{ id: curated.id, organizationId: null, description: 'curated text', solution: null }]);
    // curated entries are listed for everyone
    expect((await t.gql(ENTRIES, { n: `Curated ${check}` }, b.user)).data?.vulnEntries.totalCount).toBe(1);
  });
});
