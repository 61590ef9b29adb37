import pg from 'pg';
import { exitOnBootError } from './bootstrap/boot-error.js';
import type { Env } from './config/env.schema.js';
import { readEnv } from './config/read-env.js';
import { embeddedDatabaseUrl } from './db/embedded-url.js';
import { migrateDeploy } from './db/migrate.js';
import { ensureRedis } from './redis/ensure-redis.js';
import type { SeedContext } from './seed/seed-context.js';

/**
 * `npm run seed`: demo data for a newcomer (idempotent). Uses DATABASE_URL; without it, the
 * embedded PostgreSQL of `npm start` — the running one, or started here on the same data
 * directory if `npm start` is not running. Applies pending migrations first. Refuses production.
 */
async function seed() {
  const env = readEnv();
  if (env.NODE_ENV === 'production') {
    console.error('xsc seed: refusing to load demo accounts with known passwords into a NODE_ENV=production database');
    process.exit(1);
  }
  env.PROCESS_ROLE = 'api'; // no queue consumers in this short-lived process
  if (env.LOG_LEVEL === 'info') env.LOG_LEVEL = 'warn'; // the summary below says what happened; Nest's start-up lines would bury it
  await ensureRedis(env.REDIS_URL);
  const stopDb = await useDatabase(env);
  try {
    console.log(`xsc seed: ${await migrateDeploy(env.DATABASE_URL!)}`);
    const { createApp } = await import('./boot.js');
    const { PrismaService } = await import('./prisma/prisma.service.js');
    const { runSeeders } = await import('./seed/seed-context.js');
    const { SEEDERS } = await import('./seed/seeders.js');
    const app = await createApp(env);
    await app.init();
    const ctx: SeedContext = { app, prisma: app.get(PrismaService), orgIds: [], accounts: [], scansDir: env.SCANS_DIR };
    try {
      for (const line of await runSeeders(ctx, SEEDERS)) console.log(`xsc seed: ${line}`);
    } finally {
      await app.close();
    }
    console.log(`\nDemo accounts:\n  ${'username'.padEnd(16)} ${'password'.padEnd(16)} ${'role'.padEnd(6)} organisation`);
    for (const a of ctx.accounts) {
      console.log(`  ${a.username.padEnd(16)} ${a.password.padEnd(16)} ${a.role.padEnd(6)} ${a.organization ?? '(all organisations)'}`);
    }
    console.log(`\nSign in with the login mutation in the GraphQL IDE at http://${env.HOST}:${env.PORT}/graphql (npm start).`);
  } finally {
    await stopDb();
  }
}

/** Points env.DATABASE_URL at the database to seed; returns how to stop what was started here. */
async function useDatabase(env: Env): Promise<() => Promise<void>> {
  if (env.DATABASE_URL) return async () => {};
  const url = embeddedDatabaseUrl(env.EMBEDDED_PG_PORT);
  env.DATABASE_URL = url;
  if (await answers(url)) {
    console.log(`xsc seed: using the running embedded PostgreSQL at ${url}`);
    return async () => {};
  }
  const { startEmbeddedPostgres } = await import('./db/embedded-pg.js');
  const db = await startEmbeddedPostgres(env.EMBEDDED_PG_DIR, env.EMBEDDED_PG_PORT);
  console.log(`xsc seed: started the embedded PostgreSQL (data in ${env.EMBEDDED_PG_DIR}); it stops when the seed is done`);
  return db.stop;
}

/** Whether a PostgreSQL already serves `url`; false only when nothing listens on its port. */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ECONNREFUSED') return false;
    throw e;
  } finally {
    await client.end().catch(() => undefined);
  }
}

seed().then(
  () => process.exit(0),
  exitOnBootError,
);
