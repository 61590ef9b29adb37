import pg from 'pg';
import { StatsWriterService } from '../../src/stats/stats-writer.service.js';
import { freshDatabase, type FreshDatabase } from '../helpers/databases.js';
import { createAdmin, createApiKey, createUser, uniq, type UserWithToken } from '../helpers/factories.js';
import { COMPLETE, rec, syncGql, waitForBatch, type Rec } from '../helpers/ingest-helpers.js';
import { errorCode, startTestApp, type Credentials, type TestApp } from '../helpers/test-app.js';
import { createSite, createTask } from '../helpers/vuln-factories.js';
import { Reference, type RefFilter } from './stats-reference.js';

const LEVEL_STATUS = '{ level status count }';
const Q = {
  totals: `query($f: StatsFilter) { vulnTotals(filter: $f) ${LEVEL_STATUS} }`,
  levels: 'query($f: StatsFilter) { vulnLevelStat(filter: $f) { level count } }',
  areas: 'query($f: StatsFilter, $l: AreaLevel, $p: String) { vulnAreaStat(filter: $f, level: $l, parentCode: $p) { areaCode count byLevel { level count } } }',
  kinds: 'query($f: StatsFilter) { vulnKindStat(filter: $f) { kind count } }',
  names: 'query($f: StatsFilter) { vulnNameStat(filter: $f, first: 5) { entryId name count } }',
  riskiest: 'query($f: StatsFilter) { riskiestSites(filter: $f, first: 100) { siteId securityScore riskLevel open { level count } } }',
  risk: 'query($f: StatsFilter) { siteRiskDistribution(filter: $f) { riskLevel siteCount } }',
  timeline: `query($f: StatsFilter, $from: DateTime!, $to: DateTime!, $i: TimelineInterval) {
    vulnTimeline(filter: $f, from: $from, to: $to, interval: $i) {
      current { from to buckets { start end levels { level opened fixed openAtEnd } } totals { level opened fixed openAtEnd meanTimeToFixHours } }
      previous { from to buckets { start end levels { level opened fixed openAtEnd } } totals { level opened fixed openAtEnd meanTimeToFixHours } } } }`,
  domains: `query($f: StatsFilter) { relatedDomainStat(filter: $f, first: 3) {
    total probe scanner sites { siteId name count } organizations { organizationId count } } }`,
  lag: '{ statsLag { pendingSites oldestChangeAt lagSeconds } }',
  reconcile: 'mutation { reconcileStats { sitesChecked sitesRepaired siteRowsRepaired rollupRowsRepaired scoresRepaired durationMs } }',
};

const DAY = 86_400_000;
const today = () => new Date(Math.floor(Date.now() / DAY) * DAY);

describe('statistics: exact after every kind of change, scoped, reconciled', () => {
  let t: TestApp;
  let ref: Reference;
  let admin: UserWithToken;
  let userA: UserWithToken;
  let userB: UserWithToken;
  let orgA: number;
  let orgB: number;
  let province: string;
  let city: string;
  let otherCity: string;
  let sites: { id: number }[];
  let siteB: { id: number };
  let tagId: number;
  let keyA: { key: string };
  let keyB: { key: string };

  let fresh: FreshDatabase;

  // A database of its own: the all-organisations figures are compared with GROUP BY over every
  // row, and other files' fixtures (findings made FIXED in SQL without a history row, say) are
  // not findings the product could have made.
  beforeAll(async () => {
    fresh = await freshDatabase();
    t = await startTestApp({ DATABASE_URL: fresh.url });
    ref = new Reference(t);
    admin = await createAdmin(t);
    userA = await createUser(t);
    userB = await createUser(t);
    orgA = userA.organizationId!;
    orgB = userB.organizationId!;
    const cities = await t.prisma.area.findMany({ where: { level: 'CITY' }, orderBy: { code: 'asc' }, take: 40 });
    city = cities[0].code;
    province = cities[0].parentCode!;
    otherCity = cities.find((c) => c.parentCode !== province)!.code;
    sites = [];
    for (let i = 0; i < 4; i++) sites.push(await createSite(t, orgA));
    await t.prisma.site.update({ where: { id: sites[0].id }, data: { areaCode: city } });
    await t.prisma.site.update({ where: { id: sites[1].id }, data: { areaCode: province } });
    await t.prisma.site.update({ where: { id: sites[2].id }, data: { areaCode: otherCity } });
    siteB = await createSite(t, orgB);
    tagId = (await t.prisma.tag.create({ data: { organizationId: orgA, name: `t-${uniq()}` } })).id;
    await t.prisma.siteTag.createMany({ data: [{ siteId: sites[0].id, tagId }, { siteId: sites[2].id, tagId }] });
    keyA = await createApiKey(t, orgA, ['sync:vulns', 'tasks:claim']);
    keyB = await createApiKey(t, orgB, ['sync:vulns', 'tasks:claim']);
    await t.prisma.relatedDomain.createMany({
      data: [
        { siteId: sites[0].id, hostname: `a.${uniq()}.test`, source: 'PROBE' },
        { siteId: sites[0].id, hostname: `b.${uniq()}.test`, source: 'SCANNER' },
        { siteId: sites[1].id, hostname: `c.${uniq()}.test`, source: 'PROBE' },
        { siteId: siteB.id, hostname: `d.${uniq()}.test`, source: 'SCANNER' },
      ],
    });
    // Other test files sharing this database set scores by hand: start from a consistent state.
    expect((await t.gql(Q.reconcile, {}, admin)).errors).toBeUndefined();
  });
  afterAll(async () => {
    await t.close();
    await fresh.drop();
  });

  /** One scan of `siteIds`: a chunk of findings, then completion (auto-FIXED for the rest). */
  async function scan(org: number, key: { key: string }, siteIds: number[], findings: Rec[], scanner = 'zap') {
    const task = await createTask(t, org, siteIds);
    const r = await syncGql(t, { i: { taskId: task.id, seq: 1, idempotencyKey: uniq(), scanner, findings } }, { apiKey: key.key });
    expect(r.errors).toBeUndefined();
    await waitForBatch(t, r.data!.syncVulns.id);
    const c = await t.gql(COMPLETE, { i: { taskId: task.id, totalChunks: 1, scanner } }, { apiKey: key.key });
    expect(c.errors).toBeUndefined();
    await waitForBatch(t, c.data!.completeVulnScan.id, ['DONE']);
  }

  /**
   * Waits for the statistics to catch up, draining here too: the database is shared with the
   * files that ran before, whose dirty sites the worker may still be working through.
   */
  async function settled() {
    const end = Date.now() + 60_000;
    for (;;) {
      const r = await t.gql(Q.lag, {}, admin);
      expect(r.errors).toBeUndefined();
      if (r.data!.statsLag.pendingSites === 0) return;
      if (Date.now() > end) throw new Error('statistics still behind');
      if (!(await t.app.get(StatsWriterService).drain())) await new Promise((res) => setTimeout(res, 100));
    }
  }

  async function gql(query: string, vars: Record<string, unknown>, as: Credentials) {
    const r = await t.gql(query, vars, as);
    expect(r.errors).toBeUndefined();
    return Object.values(r.data!)[0];
  }

  /** Every statistic through GraphQL equals the reference, for this caller and filter. */
  async function expectExact(as: Credentials, filter: RefFilter, refFilter: RefFilter = filter) {
    const f = Object.keys(filter).length ? filter : undefined;
    expect(await gql(Q.totals, { f }, as)).toEqual(await ref.totals(refFilter));
    expect(await gql(Q.levels, { f }, as)).toEqual(await ref.levels(refFilter));
    expect(await gql(Q.kinds, { f }, as)).toEqual(await ref.kinds(refFilter));
    expect(await gql(Q.names, { f }, as)).toEqual(await ref.names(refFilter, 5));
    expect(await gql(Q.areas, { f, l: 'PROVINCE' }, as)).toEqual(await ref.areas(refFilter, 'PROVINCE'));
    expect(await gql(Q.areas, { f, l: 'CITY', p: province }, as)).toEqual(await ref.areas(refFilter, 'CITY', province));

    // Site-level statistics ignore level, status and scanner filters.
    const siteFilter = { organizationId: refFilter.organizationId, areaCode: refFilter.areaCode, tagId: refFilter.tagId, siteId: refFilter.siteId };
    expect(await gql(Q.risk, { f }, as)).toEqual(await ref.riskDistribution(siteFilter));
    const scores = await ref.scores(siteFilter);
    const riskiest = await gql(Q.riskiest, { f }, as);
    const expected = [...scores.entries()].filter(([, s]) => s.score !== null)
      .sort((a, b) => a[1].score! - b[1].score! || a[0] - b[0])
      .map(([id, s]) => ({ siteId: String(id), securityScore: s.score, riskLevel: s.risk, open: Object.entries(s.open).map(([level, count]) => ({ level, count })) }));
    expect(riskiest).toEqual(expected.slice(0, 100));
    const rd = await gql(Q.domains, { f }, as);
    expect(rd).toEqual(await ref.relatedDomains(siteFilter, 3));

    // Timeline: day buckets over the last 8 days and the 8 before, and by week and month.
    const tlFilter = { ...refFilter, statuses: undefined };
    for (const [i, from, to] of [['DAY', 8, 1], ['WEEK', 20, 1], ['MONTH', 70, 0]] as const) {
      const a = new Date(today().getTime() - from * DAY), b = new Date(today().getTime() + to * DAY);
      const tl = await gql(Q.timeline, { f, from: a.toISOString(), to: b.toISOString(), i }, as);
      for (const period of [tl.current, tl.previous]) {
        for (const bucket of period.buckets) {
          const want = (await ref.period(tlFilter, new Date(bucket.start), new Date(bucket.end))).map(({ fixMs: _, ...x }) => x);
          expect({ at: bucket.start, levels: bucket.levels }).toEqual({ at: bucket.start, levels: want });
        }
        const totals = await ref.period(tlFilter, new Date(period.from), new Date(period.to));
        expect(period.totals).toEqual(totals.map(({ fixMs, ...x }) => ({ ...x, meanTimeToFixHours: x.fixed ? fixMs / x.fixed / 3_600_000 : null })));
      }
      const len = b.getTime() - a.getTime();
      expect([tl.previous.from, tl.previous.to]).toEqual([new Date(a.getTime() - len).toISOString(), a.toISOString()]);
    }
  }

  async function expectAllViews() {
    await settled();
    await expectExact(admin, {});
    await expectExact(admin, { organizationId: orgA });
    await expectExact(admin, { areaCode: province });
    await expectExact(admin, { tagId });
    await expectExact(admin, { siteId: sites[0].id, levels: ['HIGH', 'LOW'] });
    await expectExact(admin, { scanner: 'nuclei', statuses: ['OPEN', 'FIXED'] });
    await expectExact(userA, {}, { organizationId: orgA });
    await expectExact(userA, { areaCode: province, scanner: 'zap' }, { organizationId: orgA, areaCode: province, scanner: 'zap' });
    await expectExact(userB, {}, { organizationId: orgB });
    // a site of another organisation named by a user: nothing of it leaks
    await expectExact(userB, { siteId: sites[0].id }, { organizationId: orgB, siteId: sites[0].id });
  }

  const findingIds = async (where: Record<string, unknown>) =>
    (await t.prisma.finding.findMany({ where, select: { id: true }, orderBy: { id: 'asc' } })).map((f) => String(f.id));

  it('agrees with GROUP BY over the source rows after ingests, rescans, status changes, trash, purge, moves and deletion', async () => {
    const [s0, s1, s2, s3] = sites.map((s) => s.id);
    const levels = ['critical', 'high', 'medium', 'low', 'info'];
    const first: Rec[] = [];
    for (const [i, s] of [s0, s1, s2, s3].entries()) {
      for (let k = 0; k < 6 + i; k++) first.push(rec(s, `c${k % 5}`, `/p${k}`, { level: levels[(k + i) % 5], name: `Check ${k % 5}`, kind: k % 2 ? 'xss' : undefined }));
    }
    await scan(orgA, keyA, [s0, s1, s2, s3], first);
    await scan(orgA, keyA, [s0, s2], [rec(s0, 'n1', '/n', { level: 'high', name: 'Nuclei one' }), rec(s2, 'n2', '/n', { level: 'critical' })], 'nuclei');
    await scan(orgB, keyB, [siteB.id], [rec(siteB.id, 'c1', '/b1', { level: 'critical' }), rec(siteB.id, 'c2', '/b2')]);
    await expectAllViews();

    // Some findings happened earlier: move first sightings and history back in time.
    const older = await findingIds({ siteId: { in: [s0, s1] } });
    await t.prisma.$executeRawUnsafe(
      `UPDATE "Finding" SET "firstSeen" = "firstSeen" - (id % 30) * interval '1 day' - interval '3 hours' WHERE id = ANY($1::int[])`,
      older.map(Number),
    );

    // A rescan of s0 and s1 that no longer sees half of them: auto-FIXED; then history moved back too.
    const again = first.filter((r) => (r.siteId === s0 || r.siteId === s1) && Number(String(r.url).slice(-1)) % 2 === 0);
    await scan(orgA, keyA, [s0, s1], again);
    await t.prisma.$executeRawUnsafe(
      `UPDATE "FindingHistory" h SET "createdAt" = h."createdAt" - (h.id % 9) * interval '1 day'
       FROM "Finding" f WHERE f.id = h."findingId" AND f."siteId" = ANY($1::int[])`,
      [s0, s1],
    );
    // ... and a third scan sees a fixed one again: re-opened.
    await scan(orgA, keyA, [s0], first.filter((r) => r.siteId === s0));
    await expectAllViews();

    // Users change statuses, trash, restore and purge.
    const s2ids = await findingIds({ siteId: s2 });
    const setStatus = (ids: string[], status: string) =>
      t.gql('mutation($i: SetVulnStatusInput!) { setVulnStatus(input: $i) { changed } }', { i: { ids, status } }, userA);
    expect((await setStatus(s2ids.slice(0, 2), 'IGNORED')).errors).toBeUndefined();
    expect((await setStatus(s2ids.slice(2, 3), 'FALSE_POSITIVE')).errors).toBeUndefined();
    expect((await setStatus(s2ids.slice(3, 4), 'FIXED')).errors).toBeUndefined();
    const ids3 = await findingIds({ siteId: s3 });
    const trash = (ids: string[], m = 'trashVulns') => t.gql(`mutation($i: VulnIdsInput!) { ${m}(input: $i) { changed } }`, { i: { ids } }, userA);
    expect((await trash(ids3.slice(0, 4))).errors).toBeUndefined();
    expect((await trash(ids3.slice(0, 1), 'restoreVulns')).errors).toBeUndefined();
    await expectAllViews();
    const purged = await t.gql('mutation($i: PurgeVulnsInput) { purgeVulns(input: $i) { changed } }', { i: { ids: ids3.slice(1, 3) } }, admin);
    expect(purged.errors).toBeUndefined();

    // A site moves to another province; another is deleted.
    const moved = await t.gql('mutation($i: UpdateSiteInput!) { updateSite(input: $i) { id } }', { i: { id: String(s1), areaCode: otherCity } }, userA);
    expect(moved.errors).toBeUndefined();
    const deleted = await t.gql('mutation($ids: [ID!]!) { deleteSites(ids: $ids) }', { ids: [String(s3)] }, userA);
    expect(deleted.errors).toBeUndefined();
    await expectAllViews();
    sites = sites.filter((s) => s.id !== s3);

    // The sequence did exercise every status and the timeline's past (the comparisons above are not vacuous).
    const totals = await gql(Q.totals, {}, userA);
    for (const st of ['OPEN', 'FIXED', 'IGNORED', 'FALSE_POSITIVE']) {
      expect(totals.filter((r: any) => r.status === st).reduce((n: number, r: any) => n + r.count, 0)).toBeGreaterThan(0);
    }
    const tl = await gql(Q.timeline, { from: new Date(today().getTime() - 8 * DAY).toISOString(), to: new Date(today().getTime() + DAY).toISOString() }, userA);
    const sum = (p: any, k: string) => p.totals.reduce((n: number, r: any) => n + r[k], 0);
    expect(sum(tl.current, 'fixed')).toBeGreaterThan(0);
    expect(sum(tl.previous, 'opened')).toBeGreaterThan(0);
    expect(tl.current.totals.some((r: any) => r.meanTimeToFixHours > 0)).toBe(true);
    expect((await gql(Q.riskiest, {}, userA)).length).toBeGreaterThan(1);
  }, 180_000);

  it('scoping: users see their organisation only, and cannot ask for another one or for admin figures', async () => {
    await settled();
    expect(errorCode(await t.gql(Q.totals, { f: { organizationId: String(orgA) } }, userB))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(Q.lag, {}, userA))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(Q.reconcile, {}, userA))).toBe('FORBIDDEN');
    const bTotals = await gql(Q.totals, {}, userB);
    expect(bTotals.reduce((s: number, r: any) => s + r.count, 0)).toBe(await t.prisma.finding.count({ where: { organizationId: orgB, trashedAt: null } }));
    // a user with their own organisation named explicitly gets the same numbers
    expect(await gql(Q.totals, { f: { organizationId: String(orgB) } }, userB)).toEqual(bTotals);
    const bad = await t.gql(Q.timeline, { from: '2026-01-10T00:00:00Z', to: '2026-01-10T05:00:00Z' }, userA);
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  });

  it('lag is visible while the worker is held back, and drains once it can run', async () => {
    await settled();
    const db = new pg.Client({ connectionString: fresh.url });
    await db.connect();
    try {
      await db.query('SELECT pg_advisory_lock(7303010901)'); // the writers' lock: no drain can run
      await t.prisma.$executeRawUnsafe(`INSERT INTO "StatDirtySite" ("siteId", "markedAt") VALUES ($1, now() - interval '1 hour')`, sites[0].id);
      await new Promise((r) => setTimeout(r, 1500));
      const lag = await gql(Q.lag, {}, admin);
      expect(lag.pendingSites).toBe(1);
      expect(lag.lagSeconds).toBeGreaterThanOrEqual(3600);
    } finally {
      await db.query('SELECT pg_advisory_unlock(7303010901)');
      await db.end();
    }
    await settled();
    expect((await gql(Q.lag, {}, admin)).lagSeconds).toBe(0);
  });

  it('reconcile repairs aggregates corrupted on purpose, reports it, and finds nothing the second time', async () => {
    await settled();
    const s0 = sites[0].id;
    await t.prisma.$executeRawUnsafe(`UPDATE "StatSiteCount" SET n = n + 7 WHERE "siteId" = $1 AND status = 'OPEN'`, s0);
    await t.prisma.$executeRawUnsafe(`DELETE FROM "StatSiteEntry" WHERE ctid = (SELECT ctid FROM "StatSiteEntry" WHERE "siteId" = $1 LIMIT 1)`, s0);
    await t.prisma.$executeRawUnsafe(`UPDATE "StatRollDay" SET opened = opened + 3 WHERE ctid = (SELECT ctid FROM "StatRollDay" LIMIT 1)`);
    await t.prisma.$executeRawUnsafe(`INSERT INTO "StatRollEntry" VALUES (0, 'ghost', 999999, 'LOW', 'OPEN', 5)`);
    await t.prisma.site.update({ where: { id: sites[1].id }, data: { securityScore: 1, riskLevel: 'CRITICAL' } });
    const report = await gql(Q.reconcile, {}, admin);
    expect(report).toMatchObject({ sitesRepaired: 1, scoresRepaired: 1 });
    expect(report.siteRowsRepaired).toBeGreaterThanOrEqual(2);
    expect(report.rollupRowsRepaired).toBeGreaterThanOrEqual(2);
    await expectAllViews();
    expect(await gql(Q.reconcile, {}, admin)).toMatchObject({ sitesRepaired: 0, siteRowsRepaired: 0, rollupRowsRepaired: 0, scoresRepaired: 0 });
  }, 60_000);
});
