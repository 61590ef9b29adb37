import { randomUUID } from 'node:crypto';
import { IngestQueueService } from '../../src/ingest/ingest-queue.service.js';
import { summarise } from '../../src/baseline/baseline-score.js';
import { seedBaselineScripts, SEED_SCRIPTS } from '../../src/baseline/baseline.seed.js';
import { createApiKey, createUser } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { createTask } from '../helpers/vuln-factories.js';
import { BATCH, waitForBatch } from '../helpers/ingest-helpers.js';
import { adminWithScript, baselineWorld, checksOf, CREATE_SCRIPT, RESULT_FIELDS, SCRIPT_FIELDS, scriptInput, UPDATE_SCRIPT } from './baseline-helpers.js';

const DETAIL = `query($id: ID!) { baselineResult(id: $id) { ${RESULT_FIELDS} items { checkId title status level expected actual } } }`;
const LIST = `query($siteId: ID!, $first: Int, $after: String) { baselineList(siteId: $siteId, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { ${RESULT_FIELDS} } } }`;
const CHANGES = `query($id: ID!) { baselineChanges(id: $id) { resultId previousResultId
  newlyFailing { checkId level before after } newlyPassing { checkId before after } } }`;
const DELETE = 'mutation($id: ID!) { baselineDelete(id: $id) }';
const FAILED = 'mutation($i: SyncBaselineFailedInput!) { syncBaselineFailed(input: $i) { id status error } }';

describe('baseline: scripts, syncBaseline, results', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('admins create scripts; an edit makes a new version and results keep the version they were checked against', async () => {
    const { admin, script } = await adminWithScript(t, checksOf(3));
    expect(script).toMatchObject({ latestVersion: 1, source: 'ADMIN', current: { version: 1 } });
    expect(script.current.checks.map((c: any) => c.checkId)).toEqual(['c-1', 'c-2', 'c-3']);
    const w = await baselineWorld(t);
    const task = await w.task();
    await w.push({ taskId: task.id, siteId: w.sites[0].id, scriptId: script.id }, [{ checkId: 'c-1', status: 'PASS' }]);

    const edited = await t.gql(UPDATE_SCRIPT, { id: script.id, i: scriptInput([{ checkId: 'new-1', title: 'New', level: 'HIGH' }], script.name) }, admin);
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.updateBaselineScript).toMatchObject({ latestVersion: 2, current: { version: 2, checks: [{ checkId: 'new-1' }] } });
    const v1 = await t.gql(`query($id: ID!) { baselineScriptVersion(id: $id, version: 1) { version checks { checkId } } }`, { id: script.id }, w.user);
    expect(v1.data!.baselineScriptVersion.checks).toHaveLength(3);
    const versions = await t.gql(`query($id: ID!) { baselineScriptVersions(id: $id) { version } }`, { id: script.id }, w.user);
    expect(versions.data!.baselineScriptVersions.map((v: any) => v.version)).toEqual([2, 1]);
    const asAgent = await t.gql(`query($id: ID!) { baselineScript(id: $id) { latestVersion current { checks { checkId } } } }`, { id: script.id }, { apiKey: w.key.key });
    expect(asAgent.data!.baselineScript).toEqual({ latestVersion: 2, current: { checks: [{ checkId: 'new-1' }] } });
    const list = await t.gql(LIST, { siteId: w.sites[0].id }, w.user);
    expect(list.data!.baselineList.nodes[0]).toMatchObject({ version: 1, scriptName: script.name });

    // Users read scripts but do not edit them; a script in use cannot be deleted; names are unique.
    expect(errorCode(await t.gql(CREATE_SCRIPT, { i: scriptInput() }, w.user))).toBe('FORBIDDEN');
    const del = 'mutation($id: ID!) { deleteBaselineScript(id: $id) }';
    expect(errorCode(await t.gql(del, { id: script.id }, admin))).toBe('CONFLICT');
    expect(errorCode(await t.gql(CREATE_SCRIPT, { i: scriptInput(checksOf(1), script.name) }, admin))).toBe('CONFLICT');
    const unused = await adminWithScript(t);
    expect((await t.gql(del, { id: unused.script.id }, admin)).data).toEqual({ deleteBaselineScript: true });
    expect(errorCode(await t.gql(`query($id: ID!) { baselineScript(id: $id) { ${SCRIPT_FIELDS} } }`, { id: unused.script.id }, admin))).toBe('NOT_FOUND');
  });

  it.each([
    ['no checks', { checks: [] }],
    ['a duplicate check id', { checks: [...checksOf(1), ...checksOf(1)] }],
    ['an unknown level', { checks: [{ checkId: 'x', title: 'X', level: 'SEVERE' }] }],
    ['a check id with spaces', { checks: [{ checkId: 'a b', title: 'X', level: 'LOW' }] }],
    ['an empty name', { name: '' }],
    ['an unknown field', { colour: 'red' }],
  ])('script input with %s is BAD_USER_INPUT', async (_what, patch) => {
    const { admin } = await adminWithScript(t);
    expect(errorCode(await t.gql(CREATE_SCRIPT, { i: { ...scriptInput(), ...patch } }, admin))).toBe('BAD_USER_INPUT');
  });

  it('the seed adds two real scripts of a dozen checks once', async () => {
    const first = await seedBaselineScripts(t.prisma);
    expect(await seedBaselineScripts(t.prisma)).toBe(0);
    expect(first).toBeLessThanOrEqual(2);
    for (const s of SEED_SCRIPTS) {
      const row = await t.prisma.baselineScript.findUniqueOrThrow({ where: { name: s.name }, include: { versions: { include: { checks: true } } } });
      expect(row.versions).toHaveLength(1);
      expect(row.versions[0].checks.length).toBeGreaterThanOrEqual(12);
      expect(new Set(row.versions[0].checks.map((c) => c.level)).size).toBeGreaterThanOrEqual(4);
    }
  });

  it('syncBaseline: items are scored by the weighted formula; replays change nothing; all chunks applied -> task SUCCEEDED', async () => {
    const { script } = await adminWithScript(t, checksOf(10));
    const w = await baselineWorld(t);
    const task = await w.task();
    const site = w.sites[0].id;
    const chunk1 = [
      { checkId: 'c-1', status: 'PASS' }, // CRITICAL 8
      { checkId: 'c-2', status: 'FAIL', actual: 'yes' }, // HIGH 4
      { checkId: 'c-3', status: 'ERROR' }, // MEDIUM 2
      { checkId: 'c-4', status: 'NOT_APPLICABLE' }, // LOW
      { checkId: 'c-5', status: 'PASS' }, // INFO 0
    ];
    const input = { taskId: task.id, siteId: site, scriptId: script.id, seq: 1, totalChunks: 2, idempotencyKey: `chunk-1-${task.id}` };
    const first = await w.sync(input, chunk1);
    expect(first.errors).toBeUndefined();
    const b1 = await waitForBatch(t, first.data!.syncBaseline.id);
    expect(b1).toMatchObject({ status: 'DONE', kind: 'BASELINE', received: 5, created: 5, rejected: 0 });
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('RUNNING');

    const replay = await w.sync(input, [{ checkId: 'c-6', status: 'FAIL' }]);
    expect(replay.data!.syncBaseline.id).toBe(b1.id);
    const chunk2 = [
      { checkId: 'c-6', status: 'MANUAL' }, // CRITICAL, left out
      { checkId: 'c-7', status: 'pass', level: 'low' }, // level given: LOW 1
      { checkId: 'c-2', status: 'FAIL', actual: 'still yes' }, // replaces chunk 1's c-2
    ];
    const b2 = await w.push({ ...input, seq: 2, idempotencyKey: `chunk-2-${task.id}` }, chunk2);
    expect(b2).toMatchObject({ status: 'DONE', received: 3, created: 2, updated: 1 });
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('SUCCEEDED');
    expect(await t.prisma.baselineResultItem.count({ where: { result: { taskId: task.id } } })).toBe(7);

    const id = (await t.prisma.baselineResult.findFirstOrThrow({ where: { taskId: task.id } })).id;
    const r = await t.gql(DETAIL, { id }, w.user);
    expect(r.errors).toBeUndefined();
    const d = r.data!.baselineResult;
    // passWeight = 8 (c-1) + 0 (c-5) + 1 (c-7) = 9; scoredWeight = 9 + 4 (c-2) + 2 (c-3) = 15.
    expect(d).toMatchObject({ passCount: 3, failCount: 1, errorCount: 1, naCount: 1, manualCount: 1, passWeight: 9, scoredWeight: 15, score: 60, isLatest: true });
    expect(d.score).toBe(summarise(d.items).score);
    expect(d.items.find((i: any) => i.checkId === 'c-2')).toEqual({ checkId: 'c-2', title: 'Check 2', status: 'FAIL', level: 'HIGH', expected: 'value 2', actual: 'still yes' });
  });

  it('bad items are rejected one by one with reasons and the rest kept', async () => {
    const { script } = await adminWithScript(t, checksOf(3));
    const w = await baselineWorld(t);
    const task = await w.task();
    const r = await w.sync({ taskId: task.id, siteId: w.sites[0].id, scriptId: script.id }, [
      { checkId: 'c-1', status: 'PASS' },
      { checkId: 'c-2', status: 'SOMETIMES' },
      { checkId: 'unknown', status: 'FAIL' },
      { checkId: 'c-1', status: 'FAIL' },
      { checkId: 'c-3', status: 'FAIL', level: 'URGENT' },
    ]);
    const b = await waitForBatch(t, r.data!.syncBaseline.id);
    expect(b).toMatchObject({ status: 'DONE', received: 5, created: 1, rejected: 4 });
    const q = await t.gql(BATCH, { id: b.id }, w.user);
    expect(q.data!.ingestBatch.rejections).toEqual([
      { index: 1, reason: expect.stringMatching(/status must be one of/) },
      { index: 2, reason: expect.stringMatching(/level must be one of .*not in the script/) },
      { index: 3, reason: 'c-1 appears twice in this chunk' },
      { index: 4, reason: expect.stringMatching(/level must be one of/) },
    ]);
  });

  it('rejects bad chunks with codes and stores nothing', async () => {
    const { script } = await adminWithScript(t, checksOf(2));
    const w = await baselineWorld(t, { sites: 2 });
    const task = await w.task([w.sites[0].id]);
    const ok = { taskId: task.id, siteId: w.sites[0].id, scriptId: script.id };
    const item = { checkId: 'c-1', status: 'PASS' };
    const vulnTask = await createTask(t, w.orgId, [w.sites[0].id], 'VULN_SCAN');
    const other = await baselineWorld(t);
    const otherTask = await other.task();
    const cases: [Record<string, unknown>, object[], string][] = [
      [{ ...ok, siteId: w.sites[1].id }, [item], 'BAD_USER_INPUT'], // not a target of the task
      [{ ...ok, scriptId: 999_999 }, [item], 'NOT_FOUND'],
      [{ ...ok, version: 9 }, [item], 'NOT_FOUND'],
      [{ ...ok, taskId: vulnTask.id }, [item], 'BAD_USER_INPUT'],
      [{ ...ok, taskId: otherTask.id, siteId: other.sites[0].id }, [item], 'NOT_FOUND'], // another organisation's task: like a missing one
      [{ ...ok, idempotencyKey: 'has spaces' }, [item], 'BAD_USER_INPUT'],
      [{ ...ok, seq: 0 }, [item], 'BAD_USER_INPUT'],
      [{ ...ok, siteId: 'abc' }, [item], 'BAD_USER_INPUT'],
      [ok, Array.from({ length: 5001 }, (_, i) => ({ checkId: `x-${i}`, status: 'PASS' })), 'BAD_USER_INPUT'], // oversized chunk
    ];
    for (const [i, items, code] of cases) expect([i, errorCode(await w.sync(i, items))]).toEqual([i, code]);
    const wrongType = await t.gql('mutation { syncBaseline(input: {taskId: 1, siteId: 1, scriptId: 1, seq: "one", idempotencyKey: "k"}, items: []) { id } }', {}, { apiKey: w.key.key });
    expect(errorCode(wrongType)).toBe('BAD_USER_INPUT');
    const vulnKey = await createApiKey(t, w.orgId, ['sync:vulns']);
    expect(errorCode(await w.sync(ok, [item], vulnKey.key))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql('mutation { syncBaseline(input: {taskId: 1, siteId: 1, scriptId: 1, seq: 1, idempotencyKey: "k"}, items: []) { id } }', {}, w.user))).toBe('FORBIDDEN');
    expect(await t.prisma.ingestBatch.count({ where: { taskId: { in: [task.id, vulnTask.id, otherTask.id] } } })).toBe(0);
    // A second version of the script for the same task and site conflicts with the first.
    await w.push(ok, [item]);
    const { admin } = await adminWithScript(t);
    await t.gql(UPDATE_SCRIPT, { id: script.id, i: scriptInput(checksOf(2), script.name) }, admin);
    expect(errorCode(await w.sync(ok, [item]))).toBe('CONFLICT');
    expect(errorCode(await w.sync({ ...ok, version: 1 }, [item]))).toBeUndefined();
  });

  it('syncBaselineResults: several results per call, each stored, answered and applied on its own; bad ones refused alone', async () => {
    const { script } = await adminWithScript(t, checksOf(6));
    const w = await baselineWorld(t, { sites: 4 });
    const task = await w.task(w.sites.slice(0, 3).map((s) => s.id));
    const other = await baselineWorld(t);
    const otherTask = await other.task();
    const base = { taskId: task.id, scriptId: script.id, totalChunks: 4 };
    const key = (n: number) => `many-${task.id}-${n}`;
    const results = [
      { ...base, siteId: w.sites[0].id, seq: 1, idempotencyKey: key(1), items: [{ checkId: 'c-1', status: 'PASS' }, { checkId: 'c-2', status: 'FAIL' }] },
      { ...base, siteId: w.sites[1].id, seq: 2, idempotencyKey: key(2), items: [{ checkId: 'c-1', status: 'FAIL' }, { checkId: 'c-9', status: 'PASS' }] },
      { ...base, siteId: w.sites[3].id, seq: 3, idempotencyKey: key(3), items: [{ checkId: 'c-1', status: 'PASS' }] }, // not a target
      // A second chunk of site 0's result in the same call: c-2 replaced, c-3 added.
      { ...base, siteId: w.sites[0].id, seq: 3, idempotencyKey: key(4), items: [{ checkId: 'c-2', status: 'PASS' }, { checkId: 'c-3', status: 'ERROR' }] },
      { ...base, siteId: w.sites[0].id, seq: 0, idempotencyKey: key(5), items: [] }, // bad seq
      { ...base, taskId: otherTask.id, siteId: other.sites[0].id, seq: 1, idempotencyKey: key(6), items: [] }, // another organisation's task
      { ...base, siteId: w.sites[0].id, seq: 1, idempotencyKey: key(1), items: [] }, // the first key again in the same call
    ];
    const r = await w.syncMany(results);
    expect(r.errors).toBeUndefined();
    const out = r.data!.syncBaselineResults;
    expect(out.map((o: any) => [o.index, o.idempotencyKey, o.error?.code ?? null, o.batch?.kind ?? null])).toEqual([
      [0, key(1), null, 'BASELINE'], [1, key(2), null, 'BASELINE'], [2, key(3), 'BAD_USER_INPUT', null], [3, key(4), null, 'BASELINE'],
      [4, key(5), 'BAD_USER_INPUT', null], [5, key(6), 'NOT_FOUND', null], [6, key(1), null, 'BASELINE'],
    ]);
    expect(out[2].error).toMatchObject({ field: 'siteId', message: expect.stringMatching(/not a target/) });
    expect(out[4].error.field).toBe('seq');
    expect(out[6].batch.id).toBe(out[0].batch.id);
    const batches = await Promise.all([0, 1, 3].map((i) => waitForBatch(t, out[i].batch.id)));
    expect(batches.map((b) => [b.status, b.received, b.created, b.updated, b.rejected])).toEqual([
      ['DONE', 2, 2, 0, 0], ['DONE', 2, 1, 0, 1], ['DONE', 2, 1, 1, 0],
    ]);
    const rejected = await t.gql(BATCH, { id: out[1].batch.id }, w.user);
    expect(rejected.data!.ingestBatch.rejections).toEqual([{ index: 1, reason: expect.stringMatching(/c-9: level must be one of/) }]);
    expect(await t.prisma.ingestBatch.count({ where: { taskId: { in: [task.id, otherTask.id] } } })).toBe(3);
    const items = async (siteId: number) => (await t.prisma.baselineResultItem.findMany({ where: { result: { taskId: task.id, siteId } }, orderBy: { checkId: 'asc' } }))
      .map((i) => [i.checkId, i.status]);
    expect(await items(w.sites[0].id)).toEqual([['c-1', 'PASS'], ['c-2', 'PASS'], ['c-3', 'ERROR']]);
    expect(await items(w.sites[1].id)).toEqual([['c-1', 'FAIL']]);
    const r0 = await t.prisma.baselineResult.findFirstOrThrow({ where: { taskId: task.id, siteId: w.sites[0].id } });
    // CRITICAL 8 + HIGH 4 passed; MEDIUM 2 errored: 12 / 14.
    expect(r0).toMatchObject({ isLatest: true, passCount: 2, errorCount: 1, passWeight: 12, scoredWeight: 14, score: 85.71 });
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('RUNNING'); // 3 of 4 chunks

    // The whole call again: every result answers its first batch and nothing more is stored; then the last chunk ends the task.
    const again = await w.syncMany(results.slice(0, 2));
    expect(again.data!.syncBaselineResults.map((o: any) => o.batch.id)).toEqual([out[0].batch.id, out[1].batch.id]);
    await w.pushMany([{ ...base, siteId: w.sites[2].id, seq: 4, idempotencyKey: key(7), items: [{ checkId: 'c-4', status: 'NOT_APPLICABLE' }] }]);
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('SUCCEEDED');

    // Bounds: items per call (BASELINE_SYNC_MAX_ITEMS, 10,000 by default) and per result; the call is refused whole.
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ checkId: `x-${i}`, status: 'PASS', level: 'LOW' }));
    const big = await w.syncMany([3, 4, 5].map(() => ({ ...base, siteId: w.sites[0].id, items: many(4000) })));
    expect(errorCode(big)).toBe('BAD_USER_INPUT');
    const oversized = await w.syncMany([{ ...base, siteId: w.sites[0].id, items: many(5001) }]);
    expect(oversized.data!.syncBaselineResults[0].error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'items' });
    expect(errorCode(await w.syncMany([{ ...base, siteId: w.sites[0].id, items: [] }], (await createApiKey(t, w.orgId, ['sync:vulns'])).key))).toBe('FORBIDDEN');
  });

  it('a group member queued on its own (as the sweep does when the leader job is lost) applies alone; its leader then skips it', async () => {
    const { script } = await adminWithScript(t, checksOf(3));
    const w = await baselineWorld(t, { sites: 2 });
    const task = await w.task();
    const versionId = (await t.prisma.baselineScriptVersion.findFirstOrThrow({ where: { scriptId: Number(script.id) } })).id;
    const [leader, member] = [randomUUID(), randomUUID()];
    const payload = (siteId: number, status: string, group?: string[]) =>
      ({ siteId, scriptId: Number(script.id), versionId, totalChunks: 2, items: [{ checkId: 'c-1', status }, { checkId: 'c-2', status: 'PASS' }], ...(group ? { group } : {}) });
    // Stored as syncBaselineResults stores a call's two results of one task (SQL fixture: the queueing is what is under test).
    await t.prisma.ingestBatch.createMany({ data: [
      { id: leader, organizationId: w.orgId, taskId: task.id, kind: 'BASELINE', seq: 1, idempotencyKey: `g1-${task.id}`, payload: payload(w.sites[0].id, 'FAIL', [leader, member]) },
      { id: member, organizationId: w.orgId, taskId: task.id, kind: 'BASELINE', seq: 2, idempotencyKey: `g2-${task.id}`, payload: payload(w.sites[1].id, 'PASS') },
    ] });
    const queue = t.app.get(IngestQueueService);
    await queue.enqueue(member);
    expect(await waitForBatch(t, member)).toMatchObject({ status: 'DONE', received: 2, created: 2, attempts: 1 });
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('RUNNING');
    await queue.enqueue(leader);
    expect(await waitForBatch(t, leader)).toMatchObject({ status: 'DONE', received: 2, created: 2 });
    expect(await t.prisma.ingestBatch.findUniqueOrThrow({ where: { id: member } })).toMatchObject({ attempts: 1, created: 2 });
    const results = await t.prisma.baselineResult.findMany({ where: { taskId: task.id }, orderBy: { siteId: 'asc' } });
    expect(results.map((r) => [r.siteId, r.passCount, r.failCount, r.isLatest])).toEqual([[w.sites[0].id, 1, 1, true], [w.sites[1].id, 2, 0, true]]);
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('SUCCEEDED');
  });

  it('ingestBatch: a sync:baseline key reads its organisation\'s baseline batches; other batches are FORBIDDEN, another organisation\'s NOT_FOUND', async () => {
    const { script } = await adminWithScript(t, checksOf(2));
    const w = await baselineWorld(t);
    const task = await w.task();
    const pushed = await w.sync({ taskId: task.id, siteId: w.sites[0].id, scriptId: script.id }, [{ checkId: 'c-1', status: 'PASS' }]);
    const id = pushed.data!.syncBaseline.id;
    await waitForBatch(t, id);
    const read = await t.gql(BATCH, { id }, { apiKey: w.key.key });
    expect(read.errors).toBeUndefined();
    expect(read.data!.ingestBatch).toMatchObject({ id, kind: 'BASELINE', status: 'DONE', received: 1, created: 1 });
    // A file batch of a baseline format too (made in SQL: importing a report would create a script the file tests expect to create).
    const file = await t.prisma.ingestBatch.create({
      data: { organizationId: w.orgId, taskId: task.id, kind: 'FILE', format: 'KUBE_BENCH', status: 'FAILED', idempotencyKey: `file-${task.id}` },
    });
    expect((await t.gql(BATCH, { id: file.id }, { apiKey: w.key.key })).data!.ingestBatch).toMatchObject({ id: file.id, kind: 'FILE' });
    // Another organisation's baseline key: NOT_FOUND, exactly like a missing batch.
    const other = await baselineWorld(t);
    expect(errorCode(await t.gql(BATCH, { id }, { apiKey: other.key.key }))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(BATCH, { id: '00000000-0000-4000-8000-000000000000' }, { apiKey: w.key.key }))).toBe('NOT_FOUND');
    // A vulnerability batch of the same organisation needs sync:vulns; a sync:vulns key still reads every batch of its organisation.
    const vulnKey = await createApiKey(t, w.orgId, ['sync:vulns']);
    const vulnTask = await createTask(t, w.orgId, [w.sites[0].id], 'VULN_SCAN');
    const vulns = await t.gql(`mutation($i: SyncVulnsInput!) { syncVulns(input: $i, findings: []) { id } }`,
      { i: { taskId: vulnTask.id, scanner: 'zap', seq: 1, idempotencyKey: `v-${vulnTask.id}` } }, { apiKey: vulnKey.key });
    expect(vulns.errors).toBeUndefined();
    expect(errorCode(await t.gql(BATCH, { id: vulns.data!.syncVulns.id }, { apiKey: w.key.key }))).toBe('FORBIDDEN');
    expect((await t.gql(BATCH, { id }, { apiKey: vulnKey.key })).data!.ingestBatch.id).toBe(id);
    const noScope = await createApiKey(t, w.orgId, ['tasks:claim']);
    expect(errorCode(await t.gql(BATCH, { id }, { apiKey: noScope.key }))).toBe('FORBIDDEN');
  });

  it('syncBaselineFailed fails a baseline task with its reason, and only a baseline task', async () => {
    const w = await baselineWorld(t);
    const task = await w.task();
    const r = await t.gql(FAILED, { i: { taskId: task.id, reason: 'agent could not read sshd_config' } }, { apiKey: w.key.key });
    expect(r.data!.syncBaselineFailed).toEqual({ id: String(task.id), status: 'FAILED', error: 'agent could not read sshd_config' });
    expect(errorCode(await t.gql(FAILED, { i: { taskId: task.id, reason: 'again' } }, { apiKey: w.key.key }))).toBe('CONFLICT');
    const vulnTask = await createTask(t, w.orgId, [w.sites[0].id], 'VULN_SCAN');
    expect(errorCode(await t.gql(FAILED, { i: { taskId: vulnTask.id, reason: 'x' } }, { apiKey: w.key.key }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(FAILED, { i: { taskId: task.id, reason: '' } }, { apiKey: w.key.key }))).toBe('BAD_USER_INPUT');
  });

  it('changes since the previous result; the list pages newest first; delete brings the previous result back as latest', async () => {
    const { script } = await adminWithScript(t, checksOf(5));
    const w = await baselineWorld(t);
    const site = w.sites[0].id;
    const run = async (statuses: string[]) => {
      const task = await w.task();
      await w.push({ taskId: task.id, siteId: site, scriptId: script.id }, statuses.map((status, i) => ({ checkId: `c-${i + 1}`, status })));
      return (await t.prisma.baselineResult.findFirstOrThrow({ where: { taskId: task.id } })).id;
    };
    const r1 = await run(['PASS', 'FAIL', 'FAIL', 'ERROR']);
    const r2 = await run(['FAIL', 'PASS', 'FAIL', 'PASS', 'FAIL']);
    const first = await t.gql(CHANGES, { id: r1 }, w.user);
    expect(first.data!.baselineChanges).toMatchObject({ previousResultId: null, newlyPassing: [] });
    expect(first.data!.baselineChanges.newlyFailing.map((c: any) => c.checkId)).toEqual(['c-2', 'c-3']);
    const second = await t.gql(CHANGES, { id: r2 }, w.user);
    expect(second.data!.baselineChanges).toEqual({
      resultId: String(r2),
      previousResultId: String(r1),
      newlyFailing: [
        { checkId: 'c-1', level: 'CRITICAL', before: 'PASS', after: 'FAIL' },
        { checkId: 'c-5', level: 'INFO', before: null, after: 'FAIL' },
      ],
      newlyPassing: [
        { checkId: 'c-2', before: 'FAIL', after: 'PASS' },
        { checkId: 'c-4', before: 'ERROR', after: 'PASS' },
      ],
    });
    const r3 = await run(['PASS']);
    const page1 = await t.gql(LIST, { siteId: site, first: 2 }, w.user);
    expect(page1.data!.baselineList.totalCount).toBe(3);
    expect(page1.data!.baselineList.nodes.map((n: any) => [Number(n.id), n.isLatest])).toEqual([[r3, true], [r2, false]]);
    const page2 = await t.gql(LIST, { siteId: site, first: 2, after: page1.data!.baselineList.pageInfo.endCursor }, w.user);
    expect(page2.data!.baselineList.nodes.map((n: any) => Number(n.id))).toEqual([r1]);

    expect((await t.gql(DELETE, { id: r3 }, w.user)).data).toEqual({ baselineDelete: true });
    const latest = await t.gql(`query($s: ID!) { latestBaselineResults(siteId: $s) { nodes { id } } }`, { s: site }, w.user);
    expect(latest.data!.latestBaselineResults.nodes).toEqual([{ id: String(r2) }]);
    expect(errorCode(await t.gql(DETAIL, { id: r3 }, w.user))).toBe('NOT_FOUND');
    expect(await t.prisma.baselineResultItem.count({ where: { resultId: r3 } })).toBe(0);
    expect((await t.gql(DELETE, { id: r1 }, w.user)).data).toEqual({ baselineDelete: true }); // not the latest: r2 stays latest
    expect((await t.prisma.baselineResult.findUniqueOrThrow({ where: { id: r2 } })).isLatest).toBe(true);
  });

  it("users see their organisation's results only: another organisation's ids answer NOT_FOUND; admins see all", async () => {
    const { admin, script } = await adminWithScript(t, checksOf(2));
    const a = await baselineWorld(t);
    const task = await a.task();
    await a.push({ taskId: task.id, siteId: a.sites[0].id, scriptId: script.id }, [{ checkId: 'c-1', status: 'FAIL' }]);
    const id = (await t.prisma.baselineResult.findFirstOrThrow({ where: { taskId: task.id } })).id;
    const bob = await createUser(t);
    expect(errorCode(await t.gql(LIST, { siteId: a.sites[0].id }, bob))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(DETAIL, { id }, bob))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(CHANGES, { id }, bob))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(DELETE, { id }, bob))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(DETAIL, { id: 2_000_000_000 }, bob))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(DETAIL, { id: 'x' }, bob))).toBe('BAD_USER_INPUT');
    const bobLatest = await t.gql('{ latestBaselineResults { totalCount } }', {}, bob);
    expect(bobLatest.data!.latestBaselineResults.totalCount).toBe(0);
    expect((await t.gql(DETAIL, { id }, admin)).data!.baselineResult.id).toBe(String(id));
    expect((await t.gql(DETAIL, { id }, a.user)).data!.baselineResult.id).toBe(String(id));
    expect(errorCode(await t.gql(DETAIL, { id }))).toBe('UNAUTHENTICATED');
  });
});
