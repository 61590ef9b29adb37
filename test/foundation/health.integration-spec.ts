import { freshDatabase, type FreshDatabase } from '../helpers/databases.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** Polls GET /health until `ok(status)`; the test's own timeout catches a state that never comes. */
async function healthUntil(t: TestApp, ok: (status: number) => boolean) {
  for (;;) {
    const res = await t.http().get('/health');
    if (ok(res.status)) return res;
    await new Promise((r) => setTimeout(r, 100)); // not a hot loop while a client reconnects
  }
}

describe('GET /health', () => {
  it('is public and reports both dependencies up with their latency', async () => {
    const t = await startTestApp({ PROCESS_ROLE: 'api' });
    try {
      const res = await t.http().get('/health').expect(200);
      expect(res.body).toEqual({
        status: 'ok',
        database: { status: 'up', latencyMs: expect.any(Number) },
        redis: { status: 'up', latencyMs: expect.any(Number) },
      });
    } finally {
      await t.close();
    }
  });

  describe('with the database gone', () => {
    let db: FreshDatabase;
    let t: TestApp;
    beforeAll(async () => {
      db = await freshDatabase();
      t = await startTestApp({ PROCESS_ROLE: 'api', DATABASE_URL: db.url });
    });
    afterAll(async () => {
      await t.close();
      await db.drop();
    });

    it('answers 503 naming the database, while Redis stays up, and no more (details go to the log)', async () => {
      await t.http().get('/health').expect(200);
      await db.drop(); // terminates the app's connections; new ones find no database
      const res = await t.http().get('/health').expect(503);
      expect(res.body).toEqual({
        status: 'error',
        database: { status: 'down', latencyMs: expect.any(Number) },
        redis: { status: 'up', latencyMs: expect.any(Number) },
      });
      expect(res.text).not.toContain(new URL(db.url).pathname.slice(1));
    });
  });

  describe('with Redis gone', () => {
    let redis: PrivateRedis;
    let t: TestApp;
    beforeAll(async () => {
      redis = await startPrivateRedis();
      t = await startTestApp({ PROCESS_ROLE: 'api', REDIS_URL: redis.url });
    });
    afterAll(async () => {
      await t?.close();
      await redis?.stop();
    });

    it('answers 503 naming Redis, and 200 again once Redis is back', async () => {
      await t.http().get('/health').expect(200);
      await redis.stop();
      const down = await t.http().get('/health').expect(503);
      expect(down.body).toEqual({
        status: 'error',
        database: { status: 'up', latencyMs: expect.any(Number) },
        redis: { status: 'down', latencyMs: expect.any(Number) },
      });

      await redis.restart();
      const up = await healthUntil(t, (s) => s === 200);
      expect(up.body).toMatchObject({ status: 'ok', redis: { status: 'up' } });
    });
  });
});
