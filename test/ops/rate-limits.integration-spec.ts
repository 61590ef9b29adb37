import { createAdmin, createApiKey, createUser, uniq } from '../helpers/factories.js';
import { syncGql } from '../helpers/ingest-helpers.js';
import { authHeader, errorCode, startTestApp, type Credentials, type TestApp } from '../helpers/test-app.js';
import { createSite, createTask } from '../helpers/vuln-factories.js';

// Low limits for this app only: 2 exports / reports / ingestion calls per caller, 5 per IP.
const LIMITS = {
  RATE_LIMIT_EXPORT: '2',
  RATE_LIMIT_EXPORT_PER_IP: '5',
  RATE_LIMIT_REPORT: '2',
  RATE_LIMIT_REPORT_PER_IP: '1000',
  RATE_LIMIT_INGEST: '2',
  RATE_LIMIT_INGEST_PER_IP: '1000',
  RATE_LIMIT_WINDOW_SECONDS: '120',
  PROCESS_ROLE: 'api', // no queue consumers needed here (and the queue board test below wants an API-only process)
};

const REQUEST_REPORT = 'mutation($siteId: ID!) { requestSiteReport(siteId: $siteId) { id status } }';

describe('rate limits of expensive operations (@RateLimited, Redis counters per user, API key and IP)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp(LIMITS)));
  afterAll(() => t.close());

  /** Each caller gets an address of its own, so only the per-caller counter is tested unless a test shares one. */
  const newIp = () => `10.${rnd()}.${rnd()}.${rnd()}`;
  const rnd = () => Math.floor(Math.random() * 250) + 1;
  const exportCsv = (as: Credentials, ip = newIp()) =>
    t.http().get('/exports/findings.csv').set(authHeader(as)).set('x-forwarded-for', ip);

  it('GET /exports/findings.csv answers 429 RATE_LIMITED with Retry-After past the per-user limit; another user is not affected', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    const ip = newIp();
    await exportCsv(a, ip).expect(200);
    await exportCsv(a, ip).expect(200);
    const refused = await exportCsv(a, ip).expect(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    const wait = Number(refused.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(120);
    expect(refused.body.error.details.retryAfterSeconds).toBe(wait);
    await exportCsv(b).expect(200);
  });

  it('counts per API key: one key refused, another key of the same organisation still served', async () => {
    const user = await createUser(t);
    const k1 = await createApiKey(t, user.organizationId!, ['read:vulns']);
    const k2 = await createApiKey(t, user.organizationId!, ['read:vulns']);
    await exportCsv({ apiKey: k1.key }).expect(200);
    await exportCsv({ apiKey: k1.key }).expect(200);
    expect((await exportCsv({ apiKey: k1.key }).expect(429)).headers['retry-after']).toBeDefined();
    await exportCsv({ apiKey: k2.key }).expect(200);
  });

  it('counts per client IP across callers (X-Forwarded-For from the trusted proxy)', async () => {
    const ip = newIp();
    const users = await Promise.all([1, 2, 3, 4].map(() => createUser(t)));
    for (const u of users.slice(0, 2)) {
      await exportCsv(u, ip).expect(200);
      await exportCsv(u, ip).expect(200);
    }
    await exportCsv(users[2], ip).expect(200); // 5th call from this address: the last one allowed
    const refused = await exportCsv(users[3], ip).expect(429); // a fresh user, refused for the address
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    await exportCsv(users[3], newIp()).expect(200); // the same user from elsewhere
  });

  it('requestSiteReport (GraphQL) answers RATE_LIMITED with extensions.details.retryAfterSeconds and Retry-After past the limit', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const site = await createSite(t, user.organizationId!);
    const otherSite = await createSite(t, other.organizationId!);
    for (let i = 0; i < 2; i++) expect((await t.gql(REQUEST_REPORT, { siteId: site.id }, user)).errors).toBeUndefined();
    const refused = await t.http().post('/graphql').set(authHeader(user)).send({ query: REQUEST_REPORT, variables: { siteId: site.id } }).expect(200);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    const wait = refused.body.errors[0].extensions.details.retryAfterSeconds as number;
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(120);
    expect(Number(refused.headers['retry-after'])).toBe(wait); // the GraphQL answer carries the header too
    expect((await t.gql(REQUEST_REPORT, { siteId: otherSite.id }, other)).errors).toBeUndefined();
  });

  it('syncVulns (ingestion) is limited per API key; another key keeps ingesting', async () => {
    const user = await createUser(t);
    const org = user.organizationId!;
    const site = await createSite(t, org);
    const k1 = await createApiKey(t, org, ['sync:vulns']);
    const k2 = await createApiKey(t, org, ['sync:vulns']);
    const sync = async (key: string) => {
      const task = await createTask(t, org, [site.id]);
      return syncGql(t, { i: { taskId: task.id, seq: 1, idempotencyKey: uniq(), scanner: 'zap', findings: [] } }, { apiKey: key });
    };
    expect((await sync(k1.key)).errors).toBeUndefined();
    expect((await sync(k1.key)).errors).toBeUndefined();
    expect(errorCode(await sync(k1.key))).toBe('RATE_LIMITED');
    expect((await sync(k2.key)).errors).toBeUndefined();
  });

  it('POST /ingest/flows shares the ingestion limit and answers 429 with Retry-After', async () => {
    const user = await createUser(t);
    const key = await createApiKey(t, user.organizationId!, ['sync:flows']);
    const post = () => t.http().post('/ingest/flows').set(authHeader({ apiKey: key.key })).set('content-type', 'application/x-ndjson').send('');
    await post();
    await post();
    const refused = await post().expect(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it("an API-only process's queue board still lists every queue, the workers' ones included", async () => {
    const admin = await createAdmin(t);
    const res = await t.http().get('/admin/queues/api/queues').set(authHeader(admin)).expect(200);
    const names = (res.body.queues as { name: string }[]).map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['flows', 'maintenance', 'stats', 'ingest', 'reports']));
  });

  it('GET /metrics is disabled (404) while METRICS_TOKEN is unset, as in this app', async () => {
    expect((await t.http().get('/metrics').set('authorization', 'Bearer anything-at-all-here').expect(404)).body.error.code).toBe('NOT_FOUND');
  });

  it('an unauthenticated call is refused before it is counted', async () => {
    const res = await t.http().get('/exports/findings.csv').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});
