import { BatchApplierService } from '../src/ingest-worker/batch-applier.service.js';
import { IngestService } from '../src/ingest/ingest.service.js';
import { IngestSweeperService } from '../src/ingest-worker/ingest-sweeper.service.js';
import { createApiKey, createUser, uniq } from './helpers/factories.js';
import { BATCH, COMPLETE, rec, syncGql, waitForBatch, type Rec } from './helpers/ingest-helpers.js';
import { errorCode, startTestApp, type TestApp } from './helpers/test-app.js';
import { createSite, createTask } from './helpers/vuln-factories.js';

describe('ingest: syncVulns, durable batches, completion and the auto-FIXED rule', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  async function world(nSites = 2) {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const sites: Awaited<ReturnType<typeof createSite>>[] = [];
    for (let i = 0; i < nSites; i++) sites.push(await createSite(t, orgId));
    const key = await createApiKey(t, orgId, ['sync:vulns', 'tasks:claim']);
    const task = await createTask(t, orgId, sites.map((s) => s.id));
    const push = async (findings: Rec[], o: { seq?: number; key?: string; taskId?: number; scanner?: string } = {}) => {
      const r = await syncGql(t, {
        i: { taskId: o.taskId ?? task.id, seq: o.seq ?? 1, idempotencyKey: o.key ?? uniq(), scanner: o.scanner ?? 'zap', findings },
      }, { apiKey: key.key });
      expect(r.errors).toBeUndefined();
      return r.data!.syncVulns as { id: string; status: string };
    };
    const applied = async (findings: Rec[], o: Parameters<typeof push>[1] = {}) => waitForBatch(t, (await push(findings, o)).id);
    const complete = async (totalChunks: number, o: { taskId?: number; checkIds?: string[]; scanner?: string } = {}) => {
      const r = await t.gql(COMPLETE, { i: { taskId: o.taskId ?? task.id, totalChunks, scanner: o.scanner ?? 'zap', checkIds: o.checkIds } }, { apiKey: key.key });
      expect(r.errors).toBeUndefined();
      return r.data!.completeVulnScan as { id: string; status: string };
    };
    const findings = (siteId = sites[0].id) =>
      t.prisma.finding.findMany({ where: { siteId }, include: { entry: true, history: { orderBy: { id: 'asc' } } }, orderBy: { id: 'asc' } });
    return { user, orgId, sites, key, task, push, applied, complete, findings };
  }

  it('applies a chunk, rejects bad records one by one with reasons, keeps the rest', async () => {
    const w = await world();
    const [s1, s2] = w.sites;
    const chk = `c${uniq()}`;
    const stranger = await createSite(t, (await createUser(t)).organizationId!);
    const pushed = await w.push([
      rec(s1.id, chk, '/login?b=2&a=1', { parameter: 'user', evidence: '<script>', cve: ['cve-2021-44228'], cwe: ['CWE-79'] }),
      rec(s2.id, chk, '/'),
      rec(stranger.id, chk, '/'),
      rec(s1.id, '1', '/', { level: 'severe' }),
      rec(s1.id, '2', '/', { url: 'javascript:alert(1)' }),
      rec(s1.id, '3', '/', { name: '   ' }),
      rec(s1.id, '4', '/', { parameter: 'p'.repeat(501) }),
    ]);
    await waitForBatch(t, pushed.id);
    const b = await t.gql(BATCH, { id: pushed.id }, w.user);
    expect(b.data?.ingestBatch).toMatchObject({ status: 'DONE', received: 7, created: 2, updated: 0, rejected: 5 });
    expect(b.data?.ingestBatch.rejections).toEqual([
      { index: 2, reason: expect.stringMatching(/not a target of this task/) },
      { index: 3, reason: expect.stringMatching(/level must be one of/) },
      { index: 4, reason: expect.stringMatching(/url is not an absolute http/) },
      { index: 5, reason: 'name is empty' },
      { index: 6, reason: expect.stringMatching(/parameter is longer than 500/) },
    ]);
    const [f] = await w.findings(s1.id);
    expect(f).toMatchObject({ status: 'OPEN', parameter: 'user', location: `https://site-${s1.id}.test/login?a&b`, scanner: 'zap', taskId: w.task.id });
    expect(f.entry).toMatchObject({ key: `zap:${chk}`, cve: ['CVE-2021-44228'], cwe: ['79'] });
    expect(await t.prisma.finding.count({ where: { siteId: stranger.id } })).toBe(0);
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: w.task.id } })).status).toBe('RUNNING');
    // the same key's owner sees it through the API too
    expect((await t.gql(BATCH, { id: pushed.id }, { apiKey: w.key.key })).data?.ingestBatch.status).toBe('DONE');
    expect(errorCode(await t.gql(BATCH, { id: pushed.id }, await createUser(t)))).toBe('NOT_FOUND');
  });

  it('the same idempotency key twice has the effect of once', async () => {
    const w = await world();
    const records = [rec(w.sites[0].id, 'a', '/x'), rec(w.sites[0].id, 'b', '/y')];
    const k = uniq();
    const first = await w.applied(records, { key: k });
    const again = await w.push([...records, rec(w.sites[0].id, 'c', '/z')], { key: k });
    expect(again.id).toBe(first.id);
    expect(again.status).toBe('DONE');
    const [x, y] = await Promise.all([w.push(records, { key: `${k}-p` }), w.push(records, { key: `${k}-p` })]);
    expect(x.id).toBe(y.id);
    await waitForBatch(t, x.id);
    expect(await t.prisma.ingestBatch.count({ where: { taskId: w.task.id } })).toBe(2);
    expect(await t.prisma.finding.count({ where: { siteId: w.sites[0].id } })).toBe(2);
  });

  it('duplicates within and across chunks are one finding; entries match by check id, then by name', async () => {
    const w = await world();
    const s = w.sites[0].id;
    const named = `Named vuln ${uniq()}`;
    const b1 = await w.applied([rec(s, 'dup', '/a?x=1&y=2'), rec(s, 'dup', '/a?y=9&x=0'), { siteId: s, name: named, level: 'low', url: `https://h.test/` }], { seq: 2 });
    expect(b1).toMatchObject({ created: 2, updated: 1 });
    // another scanner: its unknown check "dup" matches the entry named "Check dup" by name, so it is
    // the same finding; the named record matches by name too; only "fresh" is new
    const b2 = await w.applied([rec(s, 'dup', '/a?x=5&y=6'), { siteId: s, name: named, level: 'low', url: `https://h.test/` }, rec(s, 'fresh')], { seq: 1, scanner: 'other' });
    expect(b2).toMatchObject({ created: 1, updated: 2 });
    expect(await t.prisma.vulnEntry.count({ where: { key: 'other:dup' } })).toBe(0);
    expect(await t.prisma.vulnEntry.count({ where: { key: 'other:fresh' } })).toBe(1);
    expect(await t.prisma.vulnEntry.count({ where: { name: named } })).toBe(1);
  });

  it('chunks out of order: completion waits for every chunk, then the task SUCCEEDS', async () => {
    const w = await world();
    const s = w.sites[0].id;
    await w.applied([rec(s, 'c2', '/2')], { seq: 2 });
    const done = await w.complete(3);
    let waiting = await t.prisma.ingestBatch.findUniqueOrThrow({ where: { id: done.id } });
    while (!waiting.error) {
      await new Promise((r) => setTimeout(r, 50));
      waiting = await t.prisma.ingestBatch.findUniqueOrThrow({ where: { id: done.id } });
    }
    expect(waiting).toMatchObject({ status: 'RECEIVED', error: 'Waiting for chunks: 1 of 3 applied' });
    expect((await t.prisma.task.findUniqueOrThrow({ where: { id: w.task.id } })).progress).toBe(33);
    await w.applied([rec(s, 'c3', '/3')], { seq: 3 });
    await w.applied([rec(s, 'c1', '/1')], { seq: 1 });
    const closed = await waitForBatch(t, done.id, ['DONE']);
    expect(closed.closed).toBe(0);
    const task = await t.prisma.task.findUniqueOrThrow({ where: { id: w.task.id } });
    expect(task).toMatchObject({ status: 'SUCCEEDED', progress: 100 });
    expect(errorCode(await syncGql(t, { i: { taskId: w.task.id, seq: 4, idempotencyKey: uniq(), findings: [] } }, { apiKey: w.key.key }))).toBe('CONFLICT');
    // a second completeVulnScan is a replay of the first
    expect((await w.complete(3)).id).toBe(done.id);
  });

  it('rescan: unseen covered findings become FIXED, IGNORED stays, other scanners and sites are left alone, FIXED re-opens', async () => {
    const w = await world(2);
    const [s1, s2] = w.sites.map((s) => s.id);
    await w.applied([rec(s1, 'A'), rec(s1, 'B'), rec(s1, 'C'), rec(s2, 'A')], { seq: 1 });
    await w.applied([rec(s1, 'N')], { seq: 2, scanner: 'nuclei' });
    await waitForBatch(t, (await w.complete(2)).id);
    const c = (await w.findings(s1)).find((f) => f.entry.checkId === 'C')!;
    await t.gql('mutation($i: SetVulnStatusInput!) { setVulnStatus(input: $i) { changed } }', { i: { ids: [c.id], status: 'IGNORED', reason: 'accepted' } }, w.user);

    // second scan, of site 1 only: sees A and a new D
    const task2 = await createTask(t, w.orgId, [s1]);
    await w.applied([rec(s1, 'A'), rec(s1, 'D')], { taskId: task2.id, seq: 1 });
    const end2 = await waitForBatch(t, (await w.complete(1, { taskId: task2.id })).id);
    expect(end2.closed).toBe(1);
    const after = new Map((await w.findings(s1)).map((f) => [`${f.scanner}:${f.entry.checkId}`, f]));
    expect(after.get('zap:A')).toMatchObject({ status: 'OPEN', lastTaskId: task2.id, taskId: w.task.id });
    expect(after.get('zap:B')).toMatchObject({ status: 'FIXED' });
    expect(after.get('zap:B')!.history.at(-1)).toMatchObject({ fromStatus: 'OPEN', toStatus: 'FIXED', taskId: task2.id, reason: expect.stringMatching(/Not seen by task/) });
    expect(after.get('zap:C')).toMatchObject({ status: 'IGNORED' });
    expect(after.get('zap:D')).toMatchObject({ status: 'OPEN', taskId: task2.id });
    expect(after.get('nuclei:N')).toMatchObject({ status: 'OPEN' });
    expect((await w.findings(s2))[0]).toMatchObject({ status: 'OPEN' });
    // taskVulns: a task keeps what it found first; what it saw again stays with the last task that saw it
    const taskVulns = async (taskId: number, user = w.user) => {
      const r = await t.gql('query($id: ID!) { taskVulns(taskId: $id, first: 100) { totalCount nodes { siteId scanner entry { checkId } } } }', { id: taskId }, user);
      if (r.errors) return r;
      return (r.data!.taskVulns.nodes as { siteId: string; scanner: string; entry: { checkId: string } }[])
        .map((n) => `${n.siteId === String(s1) ? 's1' : 's2'}:${n.scanner}:${n.entry.checkId}`).sort();
    };
    expect(await taskVulns(w.task.id)).toEqual(['s1:nuclei:N', 's1:zap:A', 's1:zap:B', 's1:zap:C', 's2:zap:A']);
    expect(await taskVulns(task2.id)).toEqual(['s1:zap:A', 's1:zap:D']);
    expect(errorCode((await taskVulns(task2.id, await createUser(t))) as never)).toBe('NOT_FOUND');

    // third scan only ran check D (declared), saw B again: B re-opens, A is outside its coverage
    const task3 = await createTask(t, w.orgId, [s1]);
    await w.applied([rec(s1, 'B')], { taskId: task3.id, seq: 1 });
    await waitForBatch(t, (await w.complete(1, { taskId: task3.id, checkIds: ['B', 'D'] })).id);
    const third = new Map((await w.findings(s1)).map((f) => [`${f.scanner}:${f.entry.checkId}`, f]));
    expect(third.get('zap:B')).toMatchObject({ status: 'OPEN' });
    expect(third.get('zap:B')!.history.at(-1)).toMatchObject({ fromStatus: 'FIXED', toStatus: 'OPEN', taskId: task3.id });
    expect(third.get('zap:A')).toMatchObject({ status: 'OPEN' });
    expect(third.get('zap:D')).toMatchObject({ status: 'FIXED' });
    // B moved to task 3 (it saw it last) but stays with task 1, which found it first
    expect(await taskVulns(task3.id)).toEqual(['s1:zap:B']);
    expect(await taskVulns(task2.id)).toEqual(['s1:zap:A', 's1:zap:D']);
    expect(await taskVulns(w.task.id)).toContain('s1:zap:B');
  });

  it('denies other organisations, keys without sync:vulns, users, oversized chunks and reused keys', async () => {
    const w = await world();
    const other = await world();
    const i = (taskId: number, extra = {}) => ({ i: { taskId, seq: 1, idempotencyKey: uniq(), scanner: 'zap', findings: [], ...extra } });
    expect(errorCode(await syncGql(t, i(other.task.id), { apiKey: w.key.key }))).toBe('NOT_FOUND');
    const noScope = await createApiKey(t, w.orgId, ['tasks:claim']);
    expect(errorCode(await syncGql(t, i(w.task.id), { apiKey: noScope.key }))).toBe('FORBIDDEN');
    expect(errorCode(await syncGql(t, i(w.task.id), w.user))).toBe('FORBIDDEN');
    const tooMany = Array.from({ length: 5001 }, () => rec(w.sites[0].id, 'x'));
    expect(errorCode(await syncGql(t, i(w.task.id, { findings: tooMany }), { apiKey: w.key.key }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await syncGql(t, i(w.task.id, { idempotencyKey: "x'; DROP TABLE" }), { apiKey: w.key.key }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await syncGql(t, i(w.task.id, { scanner: undefined }), { apiKey: w.key.key }))).toBe('BAD_USER_INPUT');
    const k = uniq();
    await w.push([], { key: k });
    const reuse = await syncGql(t, { i: { taskId: (await createTask(t, w.orgId, [w.sites[0].id])).id, seq: 1, idempotencyKey: k, scanner: 'zap', findings: [] } }, { apiKey: w.key.key });
    expect(errorCode(reuse)).toBe('CONFLICT');
    expect(await t.prisma.ingestBatch.count({ where: { organizationId: w.orgId } })).toBe(1);
    expect(await t.prisma.ingestBatch.count({ where: { organizationId: other.orgId } })).toBe(0);
  });

  it('syncVulnsFailed fails the task with its reason; it can be retried', async () => {
    const w = await world();
    const r = await t.gql('mutation($i: SyncVulnsFailedInput!) { syncVulnsFailed(input: $i) { status error } }', { i: { taskId: w.task.id, reason: 'target unreachable' } }, { apiKey: w.key.key });
    expect(r.data?.syncVulnsFailed).toEqual({ status: 'FAILED', error: 'target unreachable' });
    const outOfRange = await t.gql('mutation($i: SyncVulnsFailedInput!) { syncVulnsFailed(input: $i) { status } }', { i: { taskId: '99999999999', reason: 'x' } }, { apiKey: w.key.key });
    expect(errorCode(outOfRange)).toBe('BAD_USER_INPUT');
    const retry = await t.gql('mutation($id: ID!) { retryTask(id: $id) { status error } }', { id: w.task.id }, w.user);
    expect(retry.data?.retryTask).toEqual({ status: 'PENDING', error: null });
  });

  it('two appliers on the same batch apply it once; a batch never queued is recovered by the sweep', async () => {
    const w = await world();
    const s = w.sites[0].id;
    const ingest = t.app.get(IngestService);
    const keyPrincipal = { kind: 'apiKey' as const, id: w.key.id, organizationId: w.orgId, scopes: ['sync:vulns' as const] };
    const records = Array.from({ length: 300 }, (_, n) => rec(s, `k${n % 7}`, `/p${n}`));
    const id = (await ingest.store(keyPrincipal, { taskId: w.task.id, kind: 'FINDINGS', seq: 1, idempotencyKey: uniq(), payload: { scanner: 'zap', findings: records } }))!;
    const applier = t.app.get(BatchApplierService);
    const outcomes = await Promise.all([applier.apply(id), applier.apply(id), applier.apply(id)]);
    expect(outcomes.filter((o) => o === 'done')).toHaveLength(1);
    expect(await t.prisma.finding.count({ where: { siteId: s } })).toBe(300);
    expect(await t.prisma.ingestBatch.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'DONE', created: 300 });

    const lost = (await ingest.store(keyPrincipal, { taskId: w.task.id, kind: 'FINDINGS', seq: 2, idempotencyKey: uniq(), payload: { scanner: 'zap', findings: [rec(s, 'lost')] } }))!;
    await t.app.get(IngestSweeperService).sweep();
    expect(await waitForBatch(t, lost)).toMatchObject({ status: 'DONE', created: 1 });
  });
});
