import { readFileSync } from 'node:fs';
import { createApiKey, uniq } from '../helpers/factories.js';
import { waitForBatch } from '../helpers/ingest-helpers.js';
import { samplePath } from '../helpers/scan-samples.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createTask } from '../helpers/vuln-factories.js';
import { adminWithScript, baselineWorld, latestResult, scriptInput, UPDATE_SCRIPT } from './baseline-helpers.js';

const KUBE_MANY = 'kubebench/kube-bench-report-many-vuln.json';
const KUBE_ZERO = 'kubebench/kube-bench-report-zero-vuln.json';
const XCCDF = 'openscap/ios-sample-v1.1.3.xccdf.xml';

describe('baseline: kube-bench and XCCDF files through POST /ingest/files', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ INGEST_MAX_FILE_MB: '1' })));
  afterAll(() => t.close());

  it('kube-bench: an unknown script is created from the report; a later report reuses it; the task SUCCEEDS', async () => {
    const w = await baselineWorld(t);
    const task1 = await w.task();
    const up = await w.upload(task1.id, 'KUBE_BENCH', KUBE_MANY);
    expect(up.status).toBe(202);
    const b = await waitForBatch(t, up.body.id);
    expect(b).toMatchObject({ status: 'DONE', kind: 'FILE', received: 24, created: 24, rejected: 0 });
    const script = await t.prisma.baselineScript.findUniqueOrThrow({ where: { name: 'kube-bench node' }, include: { versions: { include: { checks: true } } } });
    expect(script).toMatchObject({ source: 'KUBE_BENCH', target: 'kubernetes', latestVersion: 1 });
    expect(script.versions[0].checks).toHaveLength(24);
    expect(script.versions[0].checks.find((c) => c.checkId === '4.1.2')).toMatchObject({ level: 'MEDIUM', position: expect.any(Number) });
    const r1 = await latestResult(t, w.sites[0].id, script.id);
    expect(r1).toMatchObject({ passCount: 20, failCount: 4, taskId: task1.id, versionId: script.versions[0].id });
    const failed = await t.prisma.baselineResultItem.findMany({ where: { resultId: r1.id, status: 'FAIL' }, orderBy: { checkId: 'asc' } });
    expect(failed.map((i) => i.checkId)).toEqual(['3.1.1', '4.1.2', '4.1.5', '4.2.11']);
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: task1.id } })).status).toBe('SUCCEEDED');

    const task2 = await w.task();
    const b2 = await waitForBatch(t, (await w.upload(task2.id, 'KUBE_BENCH', KUBE_ZERO)).body.id);
    expect(b2).toMatchObject({ status: 'DONE', received: 23, rejected: 0 });
    expect(await t.prisma.baselineScript.count({ where: { name: 'kube-bench node' } })).toBe(1);
    const r2 = await latestResult(t, w.sites[0].id, script.id);
    expect(r2).toMatchObject({ taskId: task2.id, passCount: 23, failCount: 0, score: 100 });
    expect((await t.prisma.baselineResult.findUniqueOrThrow({ where: { id: r1.id } })).isLatest).toBe(false);
  });

  it('XCCDF: the result goes to the site the file names; duplicate rule results are rejected; statuses are mapped', async () => {
    const w = await baselineWorld(t, { hosts: ['other.test.net', 'lower.test.net'] });
    const task = await w.task();
    const b = await waitForBatch(t, (await w.upload(task.id, 'XCCDF', XCCDF)).body.id);
    expect(b).toMatchObject({ status: 'DONE', received: 3, created: 2, rejected: 1 });
    expect((b.rejections as any[])[0].reason).toMatch(/ios12-no-finger-service appears twice/);
    const script = await t.prisma.baselineScript.findUniqueOrThrow({ where: { name: 'xccdf ios-test-1' } });
    const r = await latestResult(t, w.sites[1].id, script.id);
    expect(r).toMatchObject({ passCount: 1, failCount: 1, passWeight: 2, scoredWeight: 4, score: 50 });
    expect(await t.prisma.baselineResult.count({ where: { siteId: w.sites[0].id } })).toBe(0);
  });

  it('a report naming no target site of a multi-site task rejects its items', async () => {
    const w = await baselineWorld(t, { sites: 2 });
    const task = await w.task();
    const b = await waitForBatch(t, (await w.upload(task.id, 'XCCDF', XCCDF)).body.id);
    expect(b).toMatchObject({ status: 'DONE', received: 3, created: 0, rejected: 3 });
    expect((b.rejections as any[])[0].reason).toBe('target lower.test.net is not a target site of this task');
  });

  it('malformed files fail their batch with the reason and store nothing', async () => {
    const w = await baselineWorld(t);
    for (const [format, body, reason] of [
      ['KUBE_BENCH', '{"Controls": [{"tests": [{"results": [{"test_number": "1", "status": "PASS"}', /malformed JSON/],
      ['KUBE_BENCH', '{"foo": 1}', /no kube-bench controls/],
      ['XCCDF', readFileSync(samplePath(XCCDF), 'utf8').slice(0, 9000), /malformed XML|Cannot parse/],
      ['XCCDF', '<oval_results/>', /expected <Benchmark>/],
    ] as const) {
      const task = await w.task();
      const up = await w.upload(task.id, format, Buffer.from(body));
      expect(up.status).toBe(202);
      const b = await waitForBatch(t, up.body.id);
      expect([format, b.status, b.error]).toEqual([format, 'FAILED', expect.stringMatching(reason)]);
      expect(await t.prisma.baselineResult.count({ where: { taskId: task.id } })).toBe(0);
    }
  });

  it('answers bad uploads with codes', async () => {
    const w = await baselineWorld(t);
    const task = await w.task();
    const vulnTask = await createTask(t, w.orgId, [w.sites[0].id], 'VULN_SCAN');
    const vulnKey = await createApiKey(t, w.orgId, ['sync:vulns']);
    expect((await w.upload(task.id, 'KUBE_BENCH', KUBE_MANY, vulnKey.key)).body.error.code).toBe('FORBIDDEN');
    expect((await w.upload(task.id, 'ZAP', KUBE_MANY)).body.error.code).toBe('FORBIDDEN'); // sync:baseline key, vuln format
    expect((await w.upload(vulnTask.id, 'KUBE_BENCH', KUBE_MANY)).body.error.code).toBe('BAD_USER_INPUT');
    expect((await w.upload(task.id, 'CSV', KUBE_MANY)).body.error.code).toBe('BAD_USER_INPUT');
    const big = await w.upload(task.id, 'KUBE_BENCH', Buffer.alloc(1024 * 1024 + 10, ' '));
    expect([big.status, big.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(await t.prisma.ingestBatch.count({ where: { taskId: { in: [task.id, vulnTask.id] } } })).toBe(0);
  });

  it('a report for an existing script (by name) uses its latest version and creates no script', async () => {
    const bench = `bench-${uniq()}`;
    const { admin, script } = await adminWithScript(t, [{ checkId: 'r1', title: 'Rule one', level: 'LOW', expected: 'off' }]);
    const renamed = scriptInput([{ checkId: 'r1', title: 'Rule one', level: 'LOW', expected: 'off' }], `xccdf ${bench}`);
    expect((await t.gql(UPDATE_SCRIPT, { id: script.id, i: renamed }, admin)).errors).toBeUndefined();
    const scripts = await t.prisma.baselineScript.count();
    const w = await baselineWorld(t);
    const task = await w.task();
    const doc = `<Benchmark id="${bench}"><Rule id="r1" severity="high"><title>Rule one</title></Rule><TestResult id="t">` +
      '<rule-result idref="r1"><result>fail</result></rule-result><rule-result idref="r2"><result>notchecked</result></rule-result></TestResult></Benchmark>';
    const b = await waitForBatch(t, (await w.upload(task.id, 'XCCDF', Buffer.from(doc))).body.id);
    expect(b).toMatchObject({ status: 'DONE', received: 2, created: 2 });
    expect(await t.prisma.baselineScript.count()).toBe(scripts);
    const r = await t.prisma.baselineResult.findFirstOrThrow({ where: { taskId: task.id }, include: { version: true } });
    expect(r).toMatchObject({ scriptId: Number(script.id), failCount: 1, manualCount: 1, version: { version: 2 } });
    const v2 = await t.prisma.baselineCheck.count({ where: { versionId: r.versionId } });
    expect(v2).toBe(1); // the file's extra rule does not change an existing script
  });
});
