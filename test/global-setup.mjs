// Jest globalSetup (plain ESM, no transform): a fresh, migrated test database, once per run.
// TEST_DATABASE_URL names it (default: xsc_test on the local PostgreSQL). Migrations are applied
// to an empty template (`<name>__template`) that the test database is copied from; tests needing
// a database of their own copy it too (`<name>__fresh_<id>`, test/helpers/databases.ts), in milliseconds.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';

export default async function globalSetup() {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/xsc_test');
  const name = url.pathname.slice(1);
  const template = new URL(url);
  template.pathname = `/${name}__template`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  const db = client.escapeIdentifier(name);
  const tpl = client.escapeIdentifier(`${name}__template`);
  // This run's template and the copies an interrupted run left go too (never another run's databases:
  // the double underscore keeps `xsc_test__…` apart from `xsc_test_<helper>`).
  const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${name}\\_\\_%`]);
  for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
  await client.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${tpl}`);
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const { NODE_OPTIONS: _omit, ...env } = process.env; // the CLI must not run with --experimental-vm-modules
  execFileSync(process.execPath, [cli, 'migrate', 'deploy'], {
    env: { ...env, DATABASE_URL: template.href },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await client.query(`CREATE DATABASE ${db} TEMPLATE ${tpl}`);
  await client.end();
  process.env.TEST_DATABASE_URL = url.href;
  process.env.TEST_TEMPLATE_DATABASE = `${name}__template`;
  process.env.TEST_QUEUE_PREFIX = `xsc-test-${process.pid}`;
}
