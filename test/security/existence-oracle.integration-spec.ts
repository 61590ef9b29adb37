import { createAsset } from '../helpers/asset-factories.js';
import { createApiKey, createUser, uniq, type UserWithToken } from '../helpers/factories.js';
import { errorCode, startTestApp, type Credentials, type GqlResult, type TestApp } from '../helpers/test-app.js';
import { createEntry, createFinding, createSite, createTask } from '../helpers/vuln-factories.js';

/**
 * Another organisation's id must answer exactly like a missing one (same code, same message):
 * each case asks with B's id, deletes B's object, asks again, and compares the two answers.
 */
describe('security: no existence oracle across organisations', () => {
  let t: TestApp;
  let a: UserWithToken;
  let bOrg: number;

  beforeAll(async () => {
    t = await startTestApp();
    a = await createUser(t);
    bOrg = (await createUser(t)).organizationId!;
  });
  afterAll(() => t.close());

  const answer = (r: GqlResult) => ({ code: errorCode(r), message: r.errors?.[0]?.message, data: r.data ?? null });

  async function expectLikeMissing(ask: () => Promise<GqlResult>, remove: () => Promise<unknown>) {
    const foreign = answer(await ask());
    await remove();
    const missing = answer(await ask());
    expect(foreign.code).toBe('NOT_FOUND');
    expect(foreign).toEqual(missing);
  }
  const as = (who: Credentials) => (q: string, v: Record<string, unknown>) => () => t.gql(q, v, who);

  it('sites: site, updateSite, deleteSites, probeSites, siteVulns', async () => {
    for (const q of [
      'query($id: ID!) { site(id: $id) { id } }',
      'mutation($id: ID!) { updateSite(input: { id: $id, name: "x" }) { id } }',
      'mutation($id: ID!) { deleteSites(ids: [$id]) }',
      'mutation($id: ID!) { probeSites(ids: [$id]) }',
      'query($id: ID!) { siteVulns(siteId: $id) { totalCount } }',
    ]) {
      const site = await createSite(t, bOrg);
      await expectLikeMissing(as(a)(q, { id: site.id }), () => t.prisma.site.delete({ where: { id: site.id } }));
    }
  });

  it('tasks, findings, users, tags, related domains', async () => {
    const site = await createSite(t, bOrg);
    const task = await createTask(t, bOrg, [site.id]);
    await expectLikeMissing(as(a)('query($id: ID!) { task(id: $id) { id } }', { id: task.id }), () => t.prisma.task.delete({ where: { id: task.id } }));

    const entry = await createEntry(t);
    const finding = await createFinding(t, { organizationId: bOrg, siteId: site.id, entryId: entry.id });
    await expectLikeMissing(as(a)('query($id: ID!) { vuln(id: $id) { id } }', { id: finding.id }), () => t.prisma.finding.delete({ where: { id: finding.id } }));

    const other = await createUser(t, { organizationId: bOrg });
    await expectLikeMissing(as(a)('query($id: ID!) { user(id: $id) { id } }', { id: other.id }), () => t.prisma.user.delete({ where: { id: other.id } }));

    const tag = await t.prisma.tag.create({ data: { organizationId: bOrg, name: `t-${uniq()}` } });
    await expectLikeMissing(as(a)('mutation($id: ID!) { renameTag(input: { id: $id, name: "y" }) { id } }', { id: tag.id }), () => t.prisma.tag.delete({ where: { id: tag.id } }));

    for (const q of ['mutation($id: ID!) { setRelatedDomainToSite(id: $id) { id } }', 'mutation($id: ID!) { deleteRelatedDomains(ids: [$id]) }']) {
      const rel = await t.prisma.relatedDomain.create({ data: { siteId: site.id, hostname: `${uniq()}.example.com`, source: 'PROBE' } });
      await expectLikeMissing(as(a)(q, { id: rel.id }), () => t.prisma.relatedDomain.delete({ where: { id: rel.id } }));
    }
  });

  it('naming another organisation when creating answers like a missing organisation', async () => {
    const org = await t.prisma.organization.create({ data: { name: `o-${uniq()}` } });
    await expectLikeMissing(
      as(a)('mutation($o: ID!) { createSite(input: { url: "https://x.example.com", organizationId: $o }) { id } }', { o: org.id }),
      () => t.prisma.organization.delete({ where: { id: org.id } }),
    );
  });

  it("a scanner key pushing to another organisation's task", async () => {
    const key = await createApiKey(t, a.organizationId!, ['sync:vulns']);
    const task = await createTask(t, bOrg, [(await createSite(t, bOrg)).id]);
    const q = 'mutation($i: SyncVulnsInput!) { syncVulns(input: $i, findings: []) { id } }';
    await expectLikeMissing(as({ apiKey: key.key })(q, { i: { taskId: task.id, seq: 1, idempotencyKey: uniq() } }), () => t.prisma.task.delete({ where: { id: task.id } }));
  });

  it('flows, flowAggregates and deniedFlows filtered by a site or an asset', async () => {
    const range = 'from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z"';
    for (const filter of ['siteId', 'assetId']) {
      for (const q of [
        `query($id: ID!) { flows(${range}, ${filter}: $id) { nodes { id } } }`,
        `query($id: ID!) { deniedFlows(${range}, ${filter}: $id) { nodes { id } } }`,
        ...(filter === 'siteId'
          ? ['HOUR', 'SITE', 'SOURCE'].map((by) => `query($id: ID!) { flowAggregates(${range}, groupBy: ${by}, siteId: $id) { key } }`)
          : []),
      ]) {
        if (filter === 'siteId') {
          const site = await createSite(t, bOrg);
          await expectLikeMissing(as(a)(q, { id: site.id }), () => t.prisma.site.delete({ where: { id: site.id } }));
        } else {
          const asset = await createAsset(t, bOrg, { ip: '192.0.2.1' });
          await expectLikeMissing(as(a)(q, { id: asset.id }), () => t.prisma.asset.delete({ where: { id: asset.id } }));
        }
      }
    }
  });

  it("a baseline agent pushing to another organisation's task, alone or in a list", async () => {
    const key = await createApiKey(t, a.organizationId!, ['sync:baseline']);
    const site = await createSite(t, bOrg);
    const script = await t.prisma.baselineScript.create({ data: { name: `s-${uniq()}`, target: 'linux', versions: { create: { version: 1 } } } });
    const input = (taskId: number) => ({ taskId, siteId: site.id, scriptId: script.id, seq: 1, idempotencyKey: uniq() });
    const one = 'mutation($i: SyncBaselineInput!) { syncBaseline(input: $i, items: []) { id } }';
    const task = await createTask(t, bOrg, [site.id], 'BASELINE');
    await expectLikeMissing(as({ apiKey: key.key })(one, { i: input(task.id) }), () => t.prisma.task.delete({ where: { id: task.id } }));

    // syncBaselineResults answers each result on its own: compare that result's error
    const many = 'mutation($r: [SyncBaselineResultInput!]!) { syncBaselineResults(results: $r) { error { code message } } }';
    const other = await createTask(t, bOrg, [site.id], 'BASELINE');
    const ask = async () => (await t.gql(many, { r: [{ ...input(other.id), items: [] }] }, { apiKey: key.key })).data!.syncBaselineResults[0].error;
    const foreign = await ask();
    await t.prisma.task.delete({ where: { id: other.id } });
    expect(foreign.code).toBe('NOT_FOUND');
    expect(foreign).toEqual(await ask());
  });

  it('no message anywhere says "another organisation"', async () => {
    const site = await createSite(t, bOrg);
    const r = await t.gql('mutation($id: ID!) { updateSite(input: { id: $id, name: "x" }) { id } }', { id: site.id }, a);
    expect(JSON.stringify(r.errors)).not.toMatch(/another organisation/i);
  });
});
