// A benchmark's own database: dropped, created and migrated with the Prisma CLI (one definition for every bench).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';

export async function recreateDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  const db = client.escapeIdentifier(name);
  await client.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${db}`);
  await client.end();
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const { NODE_OPTIONS: _omit, ...env } = process.env; // the CLI must not run with --experimental-vm-modules
  execFileSync(process.execPath, [cli, 'migrate', 'deploy'], { env: { ...env, DATABASE_URL: url }, stdio: ['ignore', 'ignore', 'inherit'] });
}
