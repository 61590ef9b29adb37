import pg from 'pg';
import { uniq } from './factories.js';

export interface FreshDatabase {
  url: string;
  /** Drops the database, cutting off any connection still open to it. */
  drop(): Promise<void>;
}

async function asAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new URL(process.env.TEST_DATABASE_URL!);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A new, migrated database next to the test database (a copy of the migrated template), for the tests that need an empty one
 * (first start) or one they can take away (health with the database gone).
 */
export async function freshDatabase(): Promise<FreshDatabase> {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  const name = `${url.pathname.slice(1)}__fresh_${uniq()}`; // test/global-teardown.mjs drops it with the run's databases
  url.pathname = `/${name}`;
  const template = process.env.TEST_TEMPLATE_DATABASE!; // migrated once by test/global-setup.mjs
  await asAdmin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} TEMPLATE ${c.escapeIdentifier(template)}`));
  return {
    url: url.href,
    drop: () => asAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
  };
}
