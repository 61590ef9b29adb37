import os from 'node:os';
import pg from 'pg';
import { verifyPassword } from '../../src/common/auth/password-hasher.js';
import { DEMO_ORGANIZATIONS, DEMO_PASSWORD } from '../../src/seed/demo-accounts.seed.js';
import { freshDatabase, type FreshDatabase } from '../helpers/databases.js';
import { baseEnv, runEntry } from '../helpers/processes.js';

/** What the seed leaves in `url`: row counts and the demo users. */
async function contents(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const count = async (table: string) => Number((await client.query(`SELECT count(*) FROM "${table}"`)).rows[0].count);
    const { rows: users } = await client.query(
      `SELECT u.username, u.role, u.disabled, u."passwordHash", o.name AS org FROM "User" u LEFT JOIN "Organization" o ON o.id = u."organizationId" ORDER BY u.username`,
    );
    const rows = async (sql: string) => (await client.query(sql)).rows;
    return {
      organizations: await count('Organization'),
      sites: await count('Site'),
      news: await count('News'),
      questionnaires: await count('Questionnaire'),
      users,
      // per organisation: finished demo scan tasks, findings by status and level, history entries by transition
      tasks: await rows(`SELECT "organizationId" AS org, name, status FROM "Task" ORDER BY 1, 2`),
      findings: await rows(`SELECT "organizationId" AS org, status, level, count(*)::int AS n FROM "Finding" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
      history: await rows(
        `SELECT f."organizationId" AS org, h."fromStatus" AS "from", h."toStatus" AS "to", count(*)::int AS n
         FROM "FindingHistory" h JOIN "Finding" f ON f.id = h."findingId" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      ),
      batches: await rows(`SELECT status, count(*)::int AS n FROM "IngestBatch" GROUP BY 1 ORDER BY 1`),
    };
  } finally {
    await client.end();
  }
}

/**
 * Each demo organisation has its finished scan tasks (the sample reports imported through the ingest
 * path) and, from them, open, fixed and re-opened findings across levels.
 */
function expectDemoScans(c: Awaited<ReturnType<typeof contents>>) {
  expect(c.batches.every((b) => b.status === 'DONE')).toBe(true);
  const orgs = [...new Set(c.tasks.map((t) => t.org))];
  expect(orgs).toHaveLength(DEMO_ORGANIZATIONS.length);
  for (const org of orgs) {
    const tasks = c.tasks.filter((t) => t.org === org);
    expect(tasks.map((t) => t.name)).toEqual([
      'Demo: Nuclei scan', 'Demo: OpenVAS scan', 'Demo: ZAP scan, week 1', 'Demo: ZAP scan, week 2', 'Demo: ZAP scan, week 3',
    ]);
    expect(tasks.every((t) => t.status === 'SUCCEEDED')).toBe(true);
    const findings = c.findings.filter((f) => f.org === org);
    const byStatus = (s: string) => findings.filter((f) => f.status === s).reduce((n, f) => n + f.n, 0);
    expect(byStatus('OPEN')).toBeGreaterThan(0);
    expect(byStatus('FIXED')).toBeGreaterThan(0);
    expect(new Set(findings.map((f) => f.level)).size).toBeGreaterThanOrEqual(4);
    const moves = c.history.filter((h) => h.org === org).map((h) => `${h.from}->${h.to}`);
    expect(moves).toEqual(expect.arrayContaining(['OPEN->FIXED', 'FIXED->OPEN'])); // fixed by week 2, re-opened by week 3
  }
}

describe('npm run seed (dist/seed.js)', () => {
  let db: FreshDatabase;
  beforeAll(async () => (db = await freshDatabase()));
  afterAll(() => db.drop());

  const seed = async (vars: Record<string, string | undefined> = {}) => {
    const p = runEntry('seed', { ...baseEnv(), DATABASE_URL: db.url, ...vars }, os.tmpdir());
    const exit = await p.exit();
    return { ...exit, stdout: p.stdout(), stderr: p.stderr() };
  };

  it('loads demo organisations and accounts, prints their passwords, changes nothing the second time and repairs a changed demo account', async () => {
    const first = await seed();
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/organisations: 3 \(3 new\)/);
    expect(first.stdout).toMatch(new RegExp(`demo-admin\\s+${DEMO_PASSWORD}\\s+ADMIN`));
    expect(first.stdout).toMatch(new RegExp(`demo-acme\\s+${DEMO_PASSWORD}\\s+USER\\s+Acme Corporation`));

    const after = await contents(db.url);
    expect(after.organizations).toBe(DEMO_ORGANIZATIONS.length);
    expect(first.stdout).toMatch(/sites: \d+ new/);
    expect(first.stdout).toMatch(/scans: 15 new scan tasks \(15 finished, \d+ findings\)/);
    expect(after.sites).toBeGreaterThan(0);
    expect(after.news).toBeGreaterThan(0);
    expect(after.questionnaires).toBeGreaterThan(0);
    expect(after.users.map((u) => [u.username, u.role, u.org])).toEqual([
      ['demo-acme', 'USER', 'Acme Corporation'],
      ['demo-admin', 'ADMIN', null],
      ['demo-globex', 'USER', 'Globex Industries'],
      ['demo-initech', 'USER', 'Initech'],
    ]);
    for (const u of after.users) expect(await verifyPassword(u.passwordHash, DEMO_PASSWORD)).toBe(true);
    expectDemoScans(after);

    const second = await seed();
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/organisations: 3 \(0 new\)/);
    expect(second.stdout).toMatch(/accounts: 4 \(0 new\)/);
    expect(second.stdout).toMatch(/sites: 0 new/);
    expect(second.stdout).toMatch(/scans: 0 new scan tasks \(15 finished/);
    expect(await contents(db.url)).toEqual(after); // same rows, same password hashes

    // A demo account someone changed is put back as documented.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`UPDATE "User" SET role = 'ADMIN', disabled = true, "passwordHash" = 'broken' WHERE username = 'demo-acme'`);
    await client.end();
    expect((await seed()).code).toBe(0);
    const acme = (await contents(db.url)).users.find((u) => u.username === 'demo-acme')!;
    expect(acme).toMatchObject({ role: 'USER', disabled: false });
    expect(await verifyPassword(acme.passwordHash, DEMO_PASSWORD)).toBe(true);
  }, 240_000); // three seeds, the first importing the demo scans

  it('refuses a production environment', async () => {
    const r = await seed({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^xsc seed: refusing to load demo accounts/);
    expect((await contents(db.url)).users.every((u) => u.username.startsWith('demo-'))).toBe(true);
  });
});
