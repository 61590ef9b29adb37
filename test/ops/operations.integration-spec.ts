import { createAdmin, createApiKey, createUser, uniq } from '../helpers/factories.js';
import { authHeader, startTestApp, type TestApp } from '../helpers/test-app.js';
import { createSite, createTask } from '../helpers/vuln-factories.js';
import { syncGql, waitForBatch, rec } from '../helpers/ingest-helpers.js';

const METRICS_TOKEN = `metrics-${uniq()}-${uniq()}`;
const ALLOWED = 'https://console.example.test';

describe('operations: security headers, CORS, /metrics, queue board', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ METRICS_TOKEN, CORS_ORIGINS: `${ALLOWED}, https://other.example.test` })));
  afterAll(() => t.close());

  describe('security headers and CORS', () => {
    it('answers with helmet headers and a Content-Security-Policy that admits only this server', async () => {
      const res = await t.http().get('/health').expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).not.toMatch(/unsafe-eval/);
    });

    it('lets a configured origin call the API from a browser (preflight and request)', async () => {
      const pre = await t
        .http()
        .options('/graphql')
        .set('origin', ALLOWED)
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'authorization, content-type');
      expect(pre.status).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(String(pre.headers['access-control-allow-headers'])).toMatch(/authorization/);
      const res = await t.http().post('/graphql').set('origin', ALLOWED).send({ query: '{ __typename }' }).expect(200);
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    });

    it('gives any other origin no CORS headers (the browser blocks it)', async () => {
      const res = await t.http().post('/graphql').set('origin', 'https://evil.example.test').send({ query: '{ __typename }' });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const pre = await t.http().options('/graphql').set('origin', 'https://evil.example.test').set('access-control-request-method', 'POST');
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('GET /metrics', () => {
    const scrape = () => t.http().get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200).then((r) => r.text);

    it('refuses a caller without the token, and one with a wrong token', async () => {
      expect((await t.http().get('/metrics').expect(401)).body.error.code).toBe('UNAUTHENTICATED');
      await t.http().get('/metrics').set('authorization', 'Bearer wrong-token-wrong-token').expect(401);
      const admin = await createAdmin(t);
      await t.http().get('/metrics').set(authHeader(admin)).expect(401); // a user's JWT is not the metrics token
    });

    it('reports latency and errors per GraphQL operation name and per HTTP route', async () => {
      const user = await createUser(t);
      await t.http().post('/graphql').set(authHeader(user)).send({ query: 'query OpsProbe { me { id } }', operationName: 'OpsProbe' }).expect(200);
      await t.http().post('/graphql').send({ query: 'query OpsDenied { me { id } }' }); // anonymous: UNAUTHENTICATED
      await t.http().get('/exports/findings.csv').expect(401);
      const text = await scrape();
      expect(text).toMatch(/xsc_graphql_operation_duration_seconds_count\{operation="OpsProbe",type="query"\} 1/);
      expect(text).toMatch(/xsc_graphql_operation_errors_total\{operation="OpsDenied",code="UNAUTHENTICATED"\} 1/);
      expect(text).toMatch(/xsc_http_request_duration_seconds_count\{method="POST",route="\/graphql",status="200"\} \d+/);
      expect(text).toMatch(/xsc_http_request_errors_total\{method="GET",route="\/exports\/findings.csv",status="401"\} 1/);
      expect(text).toMatch(/^xsc_process_cpu_user_seconds_total /m);
    });

    it('reports queue depth per queue and state, and pool use per pg pool', async () => {
      const text = await scrape();
      for (const queue of ['ingest', 'reports', 'stats']) {
        for (const state of ['waiting', 'active', 'delayed', 'failed']) {
          expect(text).toMatch(new RegExp(`xsc_queue_jobs\\{queue="${queue}",state="${state}"\\} \\d+`));
        }
      }
      for (const pool of ['sql', 'ingest', 'ingest_uploads']) {
        for (const state of ['total', 'idle', 'waiting']) expect(text).toMatch(new RegExp(`xsc_db_pool_connections\\{pool="${pool}",state="${state}"\\} \\d+`));
      }
    });

    it('counts ingested findings and times the queue jobs that applied them', async () => {
      const user = await createUser(t);
      const org = user.organizationId!;
      const site = await createSite(t, org);
      const task = await createTask(t, org, [site.id]);
      const key = await createApiKey(t, org, ['sync:vulns']);
      const before = await scrape();
      const findings = [rec(site.id, `ops-${uniq()}`), rec(site.id, `ops-${uniq()}`), { ...rec(site.id, 'bad'), siteId: 999_999_999 }];
      const r = await syncGql(t, { i: { taskId: task.id, seq: 1, idempotencyKey: uniq(), scanner: 'zap', findings } }, { apiKey: key.key });
      expect(r.errors).toBeUndefined();
      expect((await waitForBatch(t, r.data!.syncVulns.id)).status).toBe('DONE');
      let text = await scrape();
      for (let i = 0; i < 50 && !/xsc_queue_job_duration_seconds_count\{queue="ingest",outcome="completed"\}/.test(text); i++) {
        await new Promise((res) => setTimeout(res, 100)); // the job's completion event follows its commit
        text = await scrape();
      }
      const value = (s: string, result: string) => Number(new RegExp(`xsc_ingest_records_total\\{kind="findings",result="${result}"\\} (\\d+)`).exec(s)?.[1] ?? 0);
      expect(value(text, 'created') - value(before, 'created')).toBe(2);
      expect(value(text, 'rejected') - value(before, 'rejected')).toBe(1);
      expect(text).toMatch(/xsc_queue_job_duration_seconds_count\{queue="ingest",outcome="completed"\} [1-9]/);
    });
  });

  describe('Bull Board at /admin/queues', () => {
    const QUEUES_API = '/admin/queues/api/queues';

    it('refuses anonymous callers and a bad token with 401, and shows no queue data', async () => {
      for (const path of ['/admin/queues', QUEUES_API]) {
        const res = await t.http().get(path).expect(401);
        expect(res.body.error.code).toBe('UNAUTHENTICATED');
        expect(JSON.stringify(res.body)).not.toMatch(/ingest/);
      }
      await t.http().get(QUEUES_API).set('authorization', 'Bearer not.a.jwt').expect(401);
      await t.http().get(QUEUES_API).set('cookie', 'xsc_admin=not.a.jwt').expect(401);
    });

    it('refuses a USER and an API key with 403 / 401', async () => {
      const user = await createUser(t);
      const res = await t.http().get(QUEUES_API).set(authHeader(user)).expect(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(JSON.stringify(res.body)).not.toMatch(/"queues"/);
      await t.http().get(QUEUES_API).set('cookie', `xsc_admin=${user.token}`).expect(403);
      const key = await createApiKey(t, user.organizationId!, ['sync:vulns']);
      await t.http().get(QUEUES_API).set(authHeader({ apiKey: key.key })).expect(401);
    });

    it('shows an ADMIN every queue, by bearer token or by the cookie POST /admin/queues/session sets', async () => {
      const admin = await createAdmin(t);
      const res = await t.http().get(QUEUES_API).set(authHeader(admin)).expect(200);
      const names = (res.body.queues as { name: string }[]).map((q) => q.name).sort();
      expect(names).toEqual(expect.arrayContaining(['assets', 'events', 'flows', 'ingest', 'maintenance', 'probe', 'reports', 'stats']));

      const session = await t.http().post('/admin/queues/session').set(authHeader(admin)).expect(200);
      const cookie = String(session.headers['set-cookie']).split(';')[0];
      expect(String(session.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
      const page = await t.http().get('/admin/queues').set('cookie', cookie).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const viaCookie = await t.http().get(QUEUES_API).set('cookie', cookie).expect(200);
      expect(viaCookie.body.queues.length).toBe(names.length);
    });

    it('refuses a revoked session (same checks as the API)', async () => {
      const admin = await createAdmin(t);
      await t.prisma.user.update({ where: { id: admin.id }, data: { disabled: true } });
      await t.http().get(QUEUES_API).set(authHeader(admin)).expect(401);
    });
  });
});
