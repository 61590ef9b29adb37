import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { hashComponents } from '../../src/ingest/findings/fingerprint.js';
import { uniq } from '../helpers/factories.js';

const DIR = 'prisma/migrations';
const MIGRATION = readdirSync(DIR).find((d) => d.endsWith('_vuln_library_scopes'))!;

/** The migration that scopes the library: existing entries go to the organisations using them. */
describe('migration: vuln library scopes', () => {
  const admin = new URL(process.env.TEST_DATABASE_URL!);
  const url = new URL(admin);
  url.pathname = `/${admin.pathname.slice(1)}__fresh_${uniq()}`;
  admin.pathname = '/postgres';
  let db: pg.Client;

  const run = async (client: pg.Client, sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows;

  beforeAll(async () => {
    await withAdmin((c) => c.query(`CREATE DATABASE "${url.pathname.slice(1)}"`));
    db = new pg.Client({ connectionString: url.href });
    await db.connect();
    for (const m of readdirSync(DIR).filter((d) => d < MIGRATION && /^\d/.test(d)).sort()) {
      await db.query(readFileSync(`${DIR}/${m}/migration.sql`, 'utf8'));
    }
  });
  afterAll(async () => {
    await db.end();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`));
  });

  async function withAdmin(fn: (c: pg.Client) => Promise<unknown>) {
    const c = new pg.Client({ connectionString: admin.href });
    await c.connect();
    try {
      await fn(c);
    } finally {
      await c.end();
    }
  }

  const fingerprint = (siteId: number, entryId: number, location: string | null, parameter: string | null) =>
    hashComponents({ version: 1, siteId: String(siteId), entryKey: String(entryId), location, parameter });

  it('gives single-user entries to their organisation, splits shared ones, repoints and re-fingerprints findings', async () => {
    const [a, b] = await Promise.all(['a', 'b'].map(async (n) => (await run(db, `INSERT INTO "Organization" (name, "updatedAt") VALUES ($1, now()) RETURNING id`, [n]))[0].id as number));
    const site = async (org: number) =>
      (await run(db, `INSERT INTO "Site" ("organizationId", url, domain, name, "updatedAt") VALUES ($1, $2, 'x.test', 'x', now()) RETURNING id`, [org, `https://${uniq()}.test`]))[0].id as number;
    const [siteA, siteB] = [await site(a), await site(b)];
    const entry = async (key: string) =>
      (await run(db, `INSERT INTO "VulnEntry" (key, name, level, description, "updatedAt") VALUES ($1, $1, 'HIGH', 'd', now()) RETURNING id`, [key]))[0].id as number;
    const [shared, onlyA, unused] = [await entry('zap:1'), await entry('zap:2'), await entry('name:curated')];
    const finding = async (org: number, siteId: number, entryId: number, location: string | null, parameter: string | null) =>
      (await run(db,
        `INSERT INTO "Finding" ("organizationId", "siteId", "entryId", scanner, level, fingerprint, location, parameter)
         VALUES ($1, $2, $3, 'zap', 'HIGH', $4, $5, $6) RETURNING id`,
        [org, siteId, entryId, fingerprint(siteId, entryId, location, parameter), location, parameter],
      ))[0].id as number;
    const fa = await finding(a, siteA, shared, 'https://a.test/p?q', 'q');
    const fb = await finding(b, siteB, shared, 'https://b.test/"quoted"\\é\n', null);
    const fb2 = await finding(b, siteB, shared, null, 'p');
    const fa2 = await finding(a, siteA, onlyA, 'https://a.test/', null);

    await db.query(readFileSync(`${DIR}/${MIGRATION}/migration.sql`, 'utf8'));

    const entries = await run(db, `SELECT id, key, "organizationId" AS org FROM "VulnEntry" ORDER BY id`);
    const copy = entries.find((e) => e.key === 'zap:1' && e.org === b);
    expect(entries).toEqual([
      { id: shared, key: 'zap:1', org: a },
      { id: onlyA, key: 'zap:2', org: a },
      { id: unused, key: 'name:curated', org: null },
      { id: copy.id, key: 'zap:1', org: b },
    ]);
    const rows = await run(db, `SELECT id, "siteId", "entryId", location, parameter, fingerprint FROM "Finding" ORDER BY id`);
    expect(rows.map((r) => [r.id, r.entryId])).toEqual([[fa, shared], [fb, copy.id], [fb2, copy.id], [fa2, onlyA]]);
    for (const r of rows) expect(r.fingerprint).toBe(fingerprint(r.siteId, r.entryId, r.location, r.parameter));
    // curated keys stay unique among themselves; an organisation may reuse one
    await expect(db.query(`INSERT INTO "VulnEntry" (key, name, level, "updatedAt") VALUES ('name:curated', 'x', 'LOW', now())`)).rejects.toThrow(/unique/);
    await db.query(`INSERT INTO "VulnEntry" (key, name, level, "organizationId", "updatedAt") VALUES ('name:curated', 'x', 'LOW', $1, now())`, [a]);
  });
});
