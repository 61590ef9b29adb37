// Jest globalTeardown: drops this run's databases (test/global-setup.mjs) and deletes its Redis
// keys (every key of the app under test starts with `<TEST_QUEUE_PREFIX>-<file>:`, test/setup-env.mjs).
import { Redis } from 'ioredis';
import pg from 'pg';

export default async function globalTeardown() {
  const url = new URL(process.env.TEST_DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2', [
    name,
    `${name.replace(/[\\%_]/g, '\\$&')}\\_\\_%`,
  ]);
  for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
  await client.end();

  await deleteRedisKeys((key) => key.startsWith(`${process.env.TEST_QUEUE_PREFIX}-`));
}

/** Deletes the `xsc-test-*` keys `doomed` picks (also used at setup for runs that died). */
export async function deleteRedisKeys(doomed) {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: 'xsc-test-*', count: 1000 })) {
      const picked = keys.filter(doomed);
      if (picked.length) await redis.unlink(...picked);
    }
  } catch (e) {
    console.warn(`could not clean test keys out of Redis: ${e.message}`);
  } finally {
    redis.disconnect();
  }
}
