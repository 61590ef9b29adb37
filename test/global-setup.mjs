// Jest globalSetup (plain ESM, no transform): a fresh, migrated test database for this run.
// TEST_DATABASE_URL gives the base name (default: xsc_test on the local PostgreSQL); the run's
// database is `<base>__run<pid>`, so two runs at once never touch each other's data. Migrations
// are applied to an empty template (`<run>__template`) that the test database is copied from;
// tests needing a database of their own copy it too (`<run>__fresh_<id>`,
// test/helpers/databases.ts), in milliseconds. test/global-teardown.mjs drops them all at the end,
// with this run's Redis keys; databases of runs that died before their teardown go at the next start.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';
import { deleteRedisKeys } from './global-teardown.mjs';

/** Whether a process with this id still runs (a run's pid names its databases). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

export default async function globalSetup() {
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/xsc_test');
  const baseName = base.pathname.slice(1);
  const name = `${baseName}__run${process.pid}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  const template = new URL(url);
  template.pathname = `/${name}__template`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  // Leftovers of runs that were killed before their teardown (never a live run's databases).
  const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${baseName}\\_\\_run%`]);
  for (const { datname } of rows) {
    const pid = Number(/__run(\d+)/.exec(datname)?.[1]);
    if (pid && !alive(pid)) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
  }
  await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(`${name}__template`)} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${client.escapeIdentifier(`${name}__template`)}`);
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const { NODE_OPTIONS: _omit, ...env } = process.env; // the CLI must not run with --experimental-vm-modules
  execFileSync(process.execPath, [cli, 'migrate', 'deploy'], {
    env: { ...env, DATABASE_URL: template.href },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(`${name}__template`)}`);
  await client.end();
  process.env.TEST_DATABASE_URL = url.href;
  process.env.TEST_TEMPLATE_DATABASE = `${name}__template`;
  process.env.TEST_QUEUE_PREFIX = `xsc-test-${process.pid}`;
  await deleteRedisKeys((key) => {
    const pid = Number(/^xsc-test-(\d+)-/.exec(key)?.[1]);
    return pid > 0 && !alive(pid);
  });
}
