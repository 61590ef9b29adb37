// Jest globalSetup (plain ESM, no transform): a fresh, migrated test database, once per run.
// TEST_DATABASE_URL names it (default: xsc_test on the local PostgreSQL).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';

export default async function globalSetup() {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/xsc_test');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  const db = client.escapeIdentifier(url.pathname.slice(1));
  await client.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${db}`);
  await client.end();
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const { NODE_OPTIONS: _omit, ...env } = process.env; // the CLI must not run with --experimental-vm-modules
  execFileSync(process.execPath, [cli, 'migrate', 'deploy'], {
    env: { ...env, DATABASE_URL: url.href },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.TEST_DATABASE_URL = url.href;
  process.env.TEST_QUEUE_PREFIX = `xsc-test-${process.pid}`;
}
