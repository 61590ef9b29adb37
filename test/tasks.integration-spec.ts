import { createApiKey, createAdmin, createUser } from './helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from './helpers/test-app.js';
import { createEntry, createFinding, createSite } from './helpers/vuln-factories.js';

const CREATE = 'mutation($i: CreateTaskInput!) { createTask(input: $i) { id status siteIds kind name } }';
const CLAIM = 'mutation($i: ClaimTaskInput!) { claimTask(input: $i) { id status scanner attempts leaseExpiresAt } }';
const BEAT = 'mutation($i: HeartbeatInput!) { heartbeatTask(input: $i) { id progress leaseExpiresAt } }';

describe('tasks: lifecycle, claims and leases', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  async function world() {
    const user = await createUser(t);
    const orgId = user.organizationId!;
    const sites = [await createSite(t, orgId), await createSite(t, orgId)];
    const scanner = await createApiKey(t, orgId, ['tasks:claim', 'sync:vulns']);
    const newTask = async (kind = 'VULN_SCAN') => {
      const r = await t.gql(CREATE, { i: { kind, name: 'weekly scan', siteIds: sites.map((s) => s.id) } }, user);
      expect(r.errors).toBeUndefined();
      return r.data!.createTask as { id: string; status: string; siteIds: string[] };
    };
    return { user, orgId, sites, scanner, newTask };
  }

  it('creates, lists, cancels, retries and deletes tasks', async () => {
    const { user, sites, newTask } = await world();
    const task = await newTask();
    expect(task).toMatchObject({ status: 'PENDING', siteIds: sites.map((s) => String(s.id)) });
    const list = await t.gql('{ tasks(first: 10) { totalCount nodes { id } } }', {}, user);
    expect(list.data?.tasks.nodes).toEqual([{ id: task.id }]);
    const cancel = await t.gql('mutation($id: ID!) { cancelTask(id: $id) { status finishedAt } }', { id: task.id }, user);
    expect(cancel.data?.cancelTask.status).toBe('CANCELLED');
    expect(errorCode(await t.gql('mutation($id: ID!) { cancelTask(id: $id) { status } }', { id: task.id }, user))).toBe('CONFLICT');
    const retry = await t.gql('mutation($id: ID!) { retryTask(id: $id) { status } }', { id: task.id }, user);
    expect(retry.data?.retryTask.status).toBe('PENDING');
    const entry = await createEntry(t);
    const found = await createFinding(t, { organizationId: user.organizationId!, siteId: sites[0].id, entryId: entry.id });
    await t.prisma.finding.update({ where: { id: found.id }, data: { taskId: Number(task.id), lastTaskId: Number(task.id) } });
    expect((await t.gql('mutation($id: ID!) { deleteTask(id: $id) }', { id: task.id }, user)).data?.deleteTask).toBe(true);
    // the finding stays, without its task references
    expect(await t.prisma.finding.findUniqueOrThrow({ where: { id: found.id } })).toMatchObject({ taskId: null, lastTaskId: null });
    expect(errorCode(await t.gql('query($id: ID!) { task(id: $id) { id } }', { id: task.id }, user))).toBe('NOT_FOUND');
  });

  it("refuses another organisation's sites and tasks", async () => {
    const a = await world();
    const b = await world();
    const r = await t.gql(CREATE, { i: { kind: 'VULN_SCAN', name: 'x', siteIds: [b.sites[0].id] } }, a.user);
    expect(errorCode(r)).toBe('NOT_FOUND');
    const task = await b.newTask();
    expect(errorCode(await t.gql('query($id: ID!) { task(id: $id) { id } }', { id: task.id }, a.user))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql('mutation($id: ID!) { cancelTask(id: $id) { id } }', { id: task.id }, a.user))).toBe('NOT_FOUND');
    expect((await t.gql('{ tasks { totalCount } }', {}, a.user)).data?.tasks.totalCount).toBe(0);
    const admin = await createAdmin(t);
    const mixed = await t.gql(CREATE, { i: { kind: 'VULN_SCAN', name: 'x', siteIds: [a.sites[0].id, b.sites[0].id] } }, admin);
    expect(errorCode(mixed)).toBe('BAD_USER_INPUT');
  });

  it('refuses ids outside a database id (BAD_USER_INPUT, not an internal error)', async () => {
    const { user } = await world();
    for (const id of ['99999999999', '2147483648', '0', '-1', '1.5', 'abc']) {
      expect(errorCode(await t.gql('query($id: ID!) { task(id: $id) { id } }', { id }, user))).toBe('BAD_USER_INPUT');
      expect(errorCode(await t.gql('mutation($id: ID!) { cancelTask(id: $id) { id } }', { id }, user))).toBe('BAD_USER_INPUT');
      expect(errorCode(await t.gql('query($id: ID!) { taskVulns(taskId: $id) { totalCount } }', { id }, user))).toBe('BAD_USER_INPUT');
      expect(errorCode(await t.gql(CREATE, { i: { kind: 'VULN_SCAN', name: 'x', siteIds: [id] } }, user))).toBe('BAD_USER_INPUT');
    }
    // the largest id a column holds is merely not found
    expect(errorCode(await t.gql('query($id: ID!) { task(id: $id) { id } }', { id: '2147483647' }, user))).toBe('NOT_FOUND');
  });

  it('concurrent claimers never get the same task; runningTaskCount follows', async () => {
    const { user, orgId, newTask } = await world();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await newTask()).id);
    const keys = await Promise.all(Array.from({ length: 8 }, () => createApiKey(t, orgId, ['tasks:claim'])));
    const claims = await Promise.all(keys.map((k) => t.gql(CLAIM, { i: { kind: 'VULN_SCAN', scanner: 'zap' } }, { apiKey: k.key })));
    const got = claims.map((c) => c.data?.claimTask?.id).filter(Boolean);
    expect(got.sort()).toEqual([...ids].sort());
    expect(claims.filter((c) => c.data?.claimTask === null)).toHaveLength(3);
    expect((await t.gql('{ runningTaskCount }', {}, user)).data?.runningTaskCount).toBe(5);
  });

  it('a lease that expires without a heartbeat returns the task to the pool', async () => {
    const { orgId, scanner, newTask } = await world();
    const task = await newTask();
    const other = await createApiKey(t, orgId, ['tasks:claim']);
    const c1 = await t.gql(CLAIM, { i: { kind: 'VULN_SCAN', scanner: 'nuclei' } }, { apiKey: scanner.key });
    expect(c1.data?.claimTask).toMatchObject({ id: task.id, status: 'RUNNING', scanner: 'nuclei', attempts: 1 });
    const beat = await t.gql(BEAT, { i: { taskId: task.id, progress: 40 } }, { apiKey: scanner.key });
    expect(beat.data?.heartbeatTask.progress).toBe(40);
    expect(errorCode(await t.gql(BEAT, { i: { taskId: task.id } }, { apiKey: other.key }))).toBe('CONFLICT');
    expect((await t.gql(CLAIM, { i: { kind: 'VULN_SCAN', scanner: 'zap' } }, { apiKey: other.key })).data?.claimTask).toBeNull();
    // the scanner goes silent: its lease runs out
    await t.prisma.task.update({ where: { id: Number(task.id) }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    const c2 = await t.gql(CLAIM, { i: { kind: 'VULN_SCAN', scanner: 'zap' } }, { apiKey: other.key });
    expect(c2.data?.claimTask).toMatchObject({ id: task.id, scanner: 'zap', attempts: 2 });
    expect(errorCode(await t.gql(BEAT, { i: { taskId: task.id } }, { apiKey: scanner.key }))).toBe('CONFLICT');
  });

  it('claims only the kind asked for, and only with a tasks:claim key', async () => {
    const { user, orgId, scanner, newTask } = await world();
    await newTask('BASELINE');
    expect((await t.gql(CLAIM, { i: { kind: 'VULN_SCAN', scanner: 'zap' } }, { apiKey: scanner.key })).data?.claimTask).toBeNull();
    const noScope = await createApiKey(t, orgId, ['sync:vulns']);
    expect(errorCode(await t.gql(CLAIM, { i: { kind: 'BASELINE', scanner: 'zap' } }, { apiKey: noScope.key }))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(CLAIM, { i: { kind: 'BASELINE', scanner: 'zap' } }, user))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(CLAIM, { i: { kind: 'BASELINE', scanner: 'Bad Name!' } }, { apiKey: scanner.key }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql('{ tasks { totalCount } }', {}, { apiKey: scanner.key }))).toBe('FORBIDDEN');
  });
});
