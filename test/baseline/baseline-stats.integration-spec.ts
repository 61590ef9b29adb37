import { scoreOf } from '../../src/baseline/baseline-score.js';
import { createAdmin, createUser } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { publishedQuestionnaire, SUBMIT, idsOf } from '../questionnaires/questionnaire-helpers.js';
import { adminWithScript, baselineWorld, checksOf, PASS_RATES } from './baseline-helpers.js';

const STATUSES = ['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE', 'MANUAL'];
const TOP = `query($limit: Int, $scriptId: ID) { baselineTopFailedChecks(limit: $limit, scriptId: $scriptId) { scriptId checkId level failingSites } }`;
const POSTURE = `query($id: ID!) { sitePosture(siteId: $id) { siteId score vulnScore baselineScore questionnaireScore weights { vuln baseline questionnaire } } }`;

/** Pass rates recomputed from the source rows: latest result per site and script (highest id), its items, the site's current area. */
async function groupByFromSource(t: TestApp, by: 'SCRIPT' | 'ORGANIZATION' | 'AREA', orgIds: number[]) {
  const key = { SCRIPT: 'r."scriptId"::text', ORGANIZATION: 's."organizationId"::text', AREA: 's."areaCode"' }[by];
  const rows = await t.prisma.$queryRawUnsafe<any[]>(`
    WITH latest AS (SELECT DISTINCT ON ("siteId", "scriptId") id, "siteId", "scriptId" FROM "BaselineResult" ORDER BY "siteId", "scriptId", id DESC)
    SELECT ${key} AS key, count(DISTINCT r.id)::int AS results,
      count(*) FILTER (WHERE i.status = 'PASS')::int AS "passCount", count(*) FILTER (WHERE i.status = 'FAIL')::int AS "failCount",
      count(*) FILTER (WHERE i.status = 'ERROR')::int AS "errorCount", count(*) FILTER (WHERE i.status = 'NOT_APPLICABLE')::int AS "naCount",
      count(*) FILTER (WHERE i.status = 'MANUAL')::int AS "manualCount",
      COALESCE(sum(CASE i.level WHEN 'CRITICAL' THEN 8 WHEN 'HIGH' THEN 4 WHEN 'MEDIUM' THEN 2 WHEN 'LOW' THEN 1 ELSE 0 END) FILTER (WHERE i.status = 'PASS'), 0)::float8 AS "passWeight",
      COALESCE(sum(CASE i.level WHEN 'CRITICAL' THEN 8 WHEN 'HIGH' THEN 4 WHEN 'MEDIUM' THEN 2 WHEN 'LOW' THEN 1 ELSE 0 END) FILTER (WHERE i.status IN ('PASS', 'FAIL', 'ERROR')), 0)::float8 AS "scoredWeight"
    FROM latest r JOIN "Site" s ON s.id = r."siteId" LEFT JOIN "BaselineResultItem" i ON i."resultId" = r.id
    WHERE s."organizationId" = ANY($1::int[])
    GROUP BY 1 ORDER BY 1 NULLS LAST`, orgIds);
  return rows.map((r) => ({ ...r, passRate: scoreOf(r.passWeight, r.scoredWeight) }));
}

/** BaselineFailStat (non-zero rows) and the same counts from the source rows: latest result per site and script, its FAIL items, the site's organisation. */
async function failStatAndSource(t: TestApp, orgIds: number[]) {
  const stat = await t.prisma.$queryRaw<any[]>`
    SELECT "organizationId" AS org, "scriptId" AS script, "checkId", level::text, sites FROM "BaselineFailStat"
    WHERE sites <> 0 AND "organizationId" = ANY(${orgIds}::int[]) ORDER BY 1, 2, 3, 4`;
  const source = await t.prisma.$queryRaw<any[]>`
    WITH latest AS (SELECT DISTINCT ON ("siteId", "scriptId") id, "siteId", "scriptId" FROM "BaselineResult" ORDER BY "siteId", "scriptId", id DESC)
    SELECT s."organizationId" AS org, r."scriptId" AS script, i."checkId", i.level::text, count(*)::int AS sites
    FROM latest r JOIN "Site" s ON s.id = r."siteId" JOIN "BaselineResultItem" i ON i."resultId" = r.id AND i.status = 'FAIL'
    WHERE s."organizationId" = ANY(${orgIds}::int[]) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
  return { stat, source };
}

describe('baseline statistics: pass rates (precomputed, exact), most failed checks, posture', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ POSTURE_WEIGHT_VULN: '0.5', POSTURE_WEIGHT_BASELINE: '0.3', POSTURE_WEIGHT_QUESTIONNAIRE: '0.2' })));
  afterAll(() => t.close());

  it('pass rates by script, organisation and area equal a GROUP BY over the source rows after adds, re-checks, deletes, moves and site deletion', async () => {
    const { script: s1 } = await adminWithScript(t, checksOf(8, 'a'));
    const { script: s2 } = await adminWithScript(t, checksOf(5, 'b'));
    const a = await baselineWorld(t, { areaCodes: ['440100', '110000', null] });
    const b = await baselineWorld(t, { areaCodes: ['440100', '310000'] });
    let n = 0;
    const randomItems = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({ checkId: `${prefix}-${i + 1}`, status: STATUSES[(n++ * 7 + i * 3) % 5] }));
    const check = async (w: typeof a, siteIdx: number, script: any, prefix: string, count: number) => {
      const task = await w.task();
      await w.push({ taskId: task.id, siteId: w.sites[siteIdx].id, scriptId: script.id }, randomItems(prefix, count));
      return (await t.prisma.baselineResult.findFirstOrThrow({ where: { taskId: task.id } })).id;
    };
    const admin = await createAdmin(t);
    const orgIds = [a.orgId, b.orgId];
    const compare = async (step: string) => {
      for (const by of ['SCRIPT', 'ORGANIZATION', 'AREA'] as const) {
        // Users see their organisation's sums; the administrator's organisation rows are compared for our two organisations.
        for (const w of [a, b]) {
          const mine = await t.gql(PASS_RATES, { by }, w.user);
          expect([step, by, mine.data!.baselinePassRates.map(({ name: _n, ...x }: any) => x)]).toEqual([step, by, await groupByFromSource(t, by, [w.orgId])]);
        }
      }
      const all = await t.gql(PASS_RATES, { by: 'ORGANIZATION' }, admin);
      const ours = all.data!.baselinePassRates.filter((x: any) => orgIds.map(String).includes(x.key)).map(({ name: _n, ...x }: any) => x);
      expect([step, ours]).toEqual([step, await groupByFromSource(t, 'ORGANIZATION', orgIds)]);
      const fails = await failStatAndSource(t, orgIds);
      expect([step, fails.stat]).toEqual([step, fails.source]);
      // This file's organisations only: other files make results in SQL, outside the product's rules.
      const flags = await t.prisma.$queryRaw<{ bad: number }[]>`
        SELECT count(*)::int AS bad FROM "BaselineResult" r
        WHERE r."organizationId" = ANY(${orgIds})
          AND r."isLatest" <> (r.id = (SELECT max(id) FROM "BaselineResult" x WHERE x."siteId" = r."siteId" AND x."scriptId" = r."scriptId"))`;
      expect([step, flags[0].bad]).toEqual([step, 0]);
    };

    const first = await check(a, 0, s1, 'a', 8);
    await check(a, 1, s1, 'a', 6);
    await check(a, 2, s2, 'b', 5);
    await check(b, 0, s1, 'a', 8);
    await check(b, 1, s2, 'b', 4);
    await compare('first results');
    const recheck = await check(a, 0, s1, 'a', 8); // replaces the first as latest
    await check(b, 1, s2, 'b', 5);
    await compare('re-checks');
    expect((await t.gql('mutation($id: ID!) { baselineDelete(id: $id) }', { id: recheck }, a.user)).errors).toBeUndefined();
    await compare('latest deleted');
    expect((await t.gql('mutation($id: ID!) { baselineDelete(id: $id) }', { id: first }, a.user)).errors).toBeUndefined();
    await compare('last result of a site deleted');
    await t.prisma.site.update({ where: { id: a.sites[1].id }, data: { areaCode: '310000' } });
    await t.prisma.site.update({ where: { id: a.sites[2].id }, data: { areaCode: '440100' } });
    await compare('sites moved area');
    await t.prisma.site.delete({ where: { id: b.sites[0].id } });
    await compare('site deleted');
    const task = await a.task();
    await t.prisma.task.delete({ where: { id: task.id } });
    await compare('task deleted');
  });

  it('pass rates stay equal to a GROUP BY over the source rows when results arrive several per call (one group per task)', async () => {
    const { script: s1 } = await adminWithScript(t, checksOf(10, 'm'));
    const { script: s2 } = await adminWithScript(t, checksOf(4, 'n'));
    const a = await baselineWorld(t, { areaCodes: ['440100', '110000', null, '440100'] });
    const b = await baselineWorld(t, { areaCodes: ['310000', '440100'] });
    const admin = await createAdmin(t);
    let n = 0;
    const items = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({ checkId: `${prefix}-${i + 1}`, status: STATUSES[(n++ * 3 + i) % 5] }));
    const compare = async (step: string) => {
      for (const by of ['SCRIPT', 'ORGANIZATION', 'AREA'] as const) {
        for (const w of [a, b]) {
          const mine = await t.gql(PASS_RATES, { by }, w.user);
          expect([step, by, mine.data!.baselinePassRates.map(({ name: _n, ...x }: any) => x)]).toEqual([step, by, await groupByFromSource(t, by, [w.orgId])]);
        }
      }
      const all = await t.gql(PASS_RATES, { by: 'AREA' }, admin);
      expect(all.errors).toBeUndefined();
      const fails = await failStatAndSource(t, [a.orgId, b.orgId]);
      expect([step, fails.stat.length > 0, fails.stat]).toEqual([step, true, fails.source]);
      const stat = await t.prisma.$queryRaw<{ bad: number }[]>`SELECT count(*)::int AS bad FROM "BaselineStat" WHERE results <= 0`;
      expect([step, stat[0].bad]).toEqual([step, 0]);
    };
    /** Every site of `w` against both scripts, in one call (a result per site and script, s1 in two chunks). */
    const round = async (w: typeof a) => {
      const task = await w.task();
      await w.pushMany(w.sites.flatMap((site) => [
        { taskId: task.id, siteId: site.id, scriptId: s1.id, seq: 1, items: items('m', 6) },
        { taskId: task.id, siteId: site.id, scriptId: s1.id, seq: 2, items: items('m', 10).slice(4) },
        { taskId: task.id, siteId: site.id, scriptId: s2.id, seq: 3, items: items('n', 4) },
      ]));
      return task;
    };
    await round(a);
    await round(b);
    await compare('first calls');
    const again = await round(a); // a rescan of the same sites and scripts, items changed: the new results become the latest
    await compare('rescans');
    // A late chunk for the older task's result changes a result that is not the latest: the statistics do not move.
    await a.pushMany([{ taskId: again.id, siteId: a.sites[0].id, scriptId: s2.id, seq: 4, items: [{ checkId: 'n-1', status: 'FAIL' }] }]);
    await compare('late chunk of the latest result');
    await t.prisma.site.update({ where: { id: a.sites[0].id }, data: { areaCode: '310000' } });
    await t.prisma.site.update({ where: { id: a.sites[1].id }, data: { organizationId: b.orgId } });
    await compare('sites moved (area, organisation)');
    await t.prisma.site.delete({ where: { id: a.sites[3].id } });
    await compare('site deleted');
    const latest = await t.prisma.baselineResult.findFirstOrThrow({ where: { taskId: again.id, siteId: a.sites[2].id, scriptId: Number(s1.id) } });
    expect((await t.gql('mutation($id: ID!) { baselineDelete(id: $id) }', { id: latest.id }, a.user)).errors).toBeUndefined();
    await compare('latest result deleted');
  });

  it('most commonly failed checks count latest results only, scoped to the organisation', async () => {
    const { script } = await adminWithScript(t, checksOf(4, 'f'));
    const w = await baselineWorld(t, { sites: 3 });
    const statuses = [['FAIL', 'FAIL', 'PASS', 'FAIL'], ['FAIL', 'PASS', 'PASS', 'FAIL'], ['FAIL', 'PASS', 'PASS', 'PASS']];
    const older = await w.task(); // site 3 failed f-2 before; its newer result passes it, so it no longer counts
    await w.push({ taskId: older.id, siteId: w.sites[2].id, scriptId: script.id }, [{ checkId: 'f-2', status: 'FAIL' }]);
    for (let i = 0; i < 3; i++) {
      const task = await w.task();
      await w.push({ taskId: task.id, siteId: w.sites[i].id, scriptId: script.id }, statuses[i].map((status, j) => ({ checkId: `f-${j + 1}`, status })));
    }
    const r = await t.gql(TOP, { limit: 10 }, w.user);
    expect(r.data!.baselineTopFailedChecks).toEqual([
      { scriptId: String(script.id), checkId: 'f-1', level: 'CRITICAL', failingSites: 3 },
      { scriptId: String(script.id), checkId: 'f-4', level: 'LOW', failingSites: 2 },
      { scriptId: String(script.id), checkId: 'f-2', level: 'HIGH', failingSites: 1 },
    ]);
    const limited = await t.gql(TOP, { limit: 1, scriptId: script.id }, w.user);
    expect(limited.data!.baselineTopFailedChecks).toHaveLength(1);
    const outsider = await createUser(t);
    expect((await t.gql(TOP, {}, outsider)).data!.baselineTopFailedChecks).toEqual([]);
    expect(errorCode(await t.gql(TOP, { limit: 101 }, w.user))).toBe('BAD_USER_INPUT');
  });

  it("posture combines the vulnerability score, the latest baseline score and the organisation's questionnaire percent", async () => {
    const { admin, script } = await adminWithScript(t, checksOf(2));
    const w = await baselineWorld(t);
    const site = w.sites[0].id;
    const empty = await t.gql(POSTURE, { id: site }, w.user);
    expect(empty.data!.sitePosture).toEqual({
      siteId: String(site), score: null, vulnScore: null, baselineScore: null, questionnaireScore: null,
      weights: { vuln: 0.5, baseline: 0.3, questionnaire: 0.2 },
    });
    const task = await w.task();
    await w.push({ taskId: task.id, siteId: site, scriptId: script.id }, [{ checkId: 'c-1', status: 'PASS' }, { checkId: 'c-2', status: 'FAIL' }]);
    // CRITICAL 8 passed, HIGH 4 failed: 66.67.
    expect((await t.gql(POSTURE, { id: site }, w.user)).data!.sitePosture).toMatchObject({ score: 66.67, baselineScore: 66.67 });
    await t.prisma.site.update({ where: { id: site }, data: { securityScore: 90 } });
    const q = await publishedQuestionnaire(t, admin);
    const ids = idsOf(q);
    const submitted = await t.gql(SUBMIT, { i: { questionnaireId: q.id, answers: [
      { questionId: ids.mfa.id, choiceIds: [ids.mfa.choices[1].id] },
      { questionId: ids.controls.id, choiceIds: [ids.controls.choices[1].id] },
      { questionId: ids.patch.id, text: 'Patches within 30 days' },
    ] } }, w.user);
    expect(submitted.errors).toBeUndefined();
    const percent = (await t.prisma.questionnaireAnswer.findFirstOrThrow({ where: { organizationId: w.orgId } })).percent;
    const p = (await t.gql(POSTURE, { id: site }, w.user)).data!.sitePosture;
    expect(p).toMatchObject({ vulnScore: 90, baselineScore: 66.67, questionnaireScore: percent });
    expect(p.score).toBeCloseTo(0.5 * 90 + 0.3 * (800 / 12) + 0.2 * percent, 1);
    expect(errorCode(await t.gql(POSTURE, { id: site }, await createUser(t)))).toBe('NOT_FOUND');
  });
});
