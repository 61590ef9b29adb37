import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JwtService } from '@nestjs/jwt';
import pg from 'pg';
import { embeddedDatabaseUrl } from '../../src/db/embedded-url.js';
import { uniq } from '../helpers/factories.js';
import { baseEnv, freePort, PROJECT_ROOT, runEntry, type RunningProcess } from '../helpers/processes.js';

const STACK_LINE = /^\s+at /m;
const running: RunningProcess[] = [];
const start = (...args: Parameters<typeof runEntry>) => {
  const p = runEntry(...args);
  running.push(p);
  return p;
};
afterEach(() => running.splice(0).forEach((p) => p.kill()));

describe('boot: invalid configuration', () => {
  let cwd: string; // no .env there, so only the variables given count
  beforeAll(() => (cwd = mkdtempSync(path.join(os.tmpdir(), 'xsc-boot-'))));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it.each([
    ['PORT is not a number', { PORT: 'abc' }, /PORT/],
    ['PORT out of range', { PORT: '70000' }, /PORT/],
    ['REDIS_URL is not a redis URL', { REDIS_URL: 'http://x' }, /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    ['DATABASE_URL is not a postgres URL', { DATABASE_URL: 'mysql://x/y' }, /DATABASE_URL must be a postgresql:\/\/ URL/],
    ['JWT_SECRET too short', { JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32 characters/],
    ['JWT_SECRET missing in production', { NODE_ENV: 'production', JWT_SECRET: undefined }, /JWT_SECRET is required when NODE_ENV=production/],
    ['DATABASE_URL missing in production', { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40), DATABASE_URL: undefined }, /DATABASE_URL is required when NODE_ENV=production/],
    ['NODE_ENV unknown', { NODE_ENV: 'staging' }, /NODE_ENV/],
    ['LOG_LEVEL unknown', { LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    ['ADMIN_USERNAME without ADMIN_PASSWORD', { ADMIN_USERNAME: 'root-admin' }, /ADMIN_USERNAME and ADMIN_PASSWORD must be set together/],
  ])('%s: main exits 1 naming the variable, without a stack trace', async (_name, vars, message) => {
    const p = start('main', { ...baseEnv(), ...vars }, cwd);
    const { code } = await p.exit();
    expect(code).toBe(1);
    expect(p.stderr()).toMatch(/^xsc: Invalid configuration:/);
    expect(p.stderr()).toMatch(message);
    expect(p.stderr()).not.toMatch(STACK_LINE);
    expect(p.stdout()).not.toMatch(/listening/);
  });

  it('names every bad variable at once, and the worker validates the same way', async () => {
    const p = start('worker', { ...baseEnv(), PORT: 'abc', EMBEDDED_PG_PORT: '0', QUEUE_PREFIX: 'has space' }, cwd);
    expect((await p.exit()).code).toBe(1);
    for (const name of ['PORT', 'EMBEDDED_PG_PORT', 'QUEUE_PREFIX']) expect(p.stderr()).toMatch(name);
    expect(p.stderr()).not.toMatch(STACK_LINE);
  });
});

describe('boot: Redis unreachable', () => {
  let cwd: string;
  beforeAll(() => (cwd = mkdtempSync(path.join(os.tmpdir(), 'xsc-boot-'))));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it.each(['main', 'worker'] as const)('%s says so in one line, with how to start Redis, and exits 1', async (entry) => {
    const pgDir = path.join(cwd, `never-created-${uniq()}`);
    const p = start(entry, { ...baseEnv(), REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: undefined, EMBEDDED_PG_DIR: pgDir }, cwd);
    expect((await p.exit()).code).toBe(1);
    const lines = p.stderr().split('\n').filter((l) => l.trim());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^xsc: Redis is not reachable at redis:\/\/127\.0\.0\.1:1 /);
    expect(lines[0]).toMatch(/redis-server/);
    expect(existsSync(pgDir)).toBe(false); // checked before any database is started
  });
});

describe('logs', () => {
  let cwd: string;
  beforeAll(() => (cwd = mkdtempSync(path.join(os.tmpdir(), 'xsc-boot-'))));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  async function requestLogs(level: string): Promise<Record<string, any>[]> {
    const port = await freePort();
    const p = start('main', { ...baseEnv(), LOG_LEVEL: level, PORT: String(port) }, cwd);
    await p.waitFor(/^xsc: listening on /);
    await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-real-token' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    await fetch(`http://127.0.0.1:${port}/health`);
    expect((await p.stop('SIGTERM')).code).toBe(0);
    const lines = p.stdout().split('\n').filter((l) => l.startsWith('{'));
    return lines.map((l) => JSON.parse(l)).filter((entry) => entry.req);
  }

  it('at info: one JSON line per request (health checks aside), credentials redacted', async () => {
    const entries = await requestLogs('info');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { method: 'POST', url: '/graphql', headers: { authorization: '[Redacted]' } },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
  });

  it('at warn: no request lines', async () => {
    expect(await requestLogs('warn')).toEqual([]);
  });
});

describe('boot: embedded PostgreSQL when DATABASE_URL is unset', () => {
  // Under the project's .data/ (as `npm start` uses), not a mode-0700 temp dir: when the tests
  // run as root, PostgreSQL runs as the `postgres` user, which must traverse the parents.
  const root = path.join(PROJECT_ROOT, '.data', `test-embedded-${uniq()}`);
  const pgDir = path.join(root, 'pg');
  const secret = `test-secret-${'x'.repeat(32)}`;
  const admin = { username: `first-admin-${uniq()}`, password: 'first-admin-password' };
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const embeddedEnv = (pgPort: number, port = 3000) => ({
    ...baseEnv(),
    NODE_ENV: 'development',
    DATABASE_URL: undefined,
    EMBEDDED_PG_DIR: pgDir,
    EMBEDDED_PG_PORT: String(pgPort),
    PORT: String(port),
    JWT_SECRET: secret,
    ADMIN_USERNAME: admin.username,
    ADMIN_PASSWORD: admin.password,
  });

  async function boot(pgPort: number) {
    const port = await freePort();
    const p = start('main', embeddedEnv(pgPort, port), root);
    await p.waitFor(/^xsc: listening on http:\/\/127\.0\.0\.1:\d+/);
    const gql = async (query: string, token?: string) => {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query }),
      });
      return (await res.json()) as { data?: any; errors?: unknown[] };
    };
    return { p, port, gql };
  }

  async function admins(pgPort: number) {
    const client = new pg.Client({ connectionString: embeddedDatabaseUrl(pgPort) });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: number; username: string }>(`SELECT id, username FROM "User" WHERE role = 'ADMIN'`);
      return rows;
    } finally {
      await client.end();
    }
  }

  it('initialises, migrates and serves; a restart keeps the data and applies nothing new; the seed works alongside', async () => {
    mkdirSync(root, { recursive: true, mode: 0o755 });
    const pgPort = await freePort();

    // First start: a new cluster, migrations applied, the first administrator created.
    const first = await boot(pgPort);
    expect(first.p.stdout()).toMatch(/embedded PostgreSQL at postgresql:\/\/.*; applied \d+ migrations? \(/);
    const [created, ...others] = await admins(pgPort);
    expect(others).toEqual([]);
    expect(created.username).toBe(admin.username);
    const health = await fetch(`http://127.0.0.1:${first.port}/health`);
    expect(health.status).toBe(200);

    // Log-in is another feature's; an access token signed with JWT_SECRET stands in for it.
    const token = new JwtService({ secret }).sign({ sub: created.id, role: 'ADMIN', sid: uniq() /* every token belongs to a session */ }, { expiresIn: 300 });
    const name = `kept-${uniq()}`;
    const made = await first.gql(`mutation { createOrganization(input: { name: "${name}" }) { id name } }`, token);
    expect(made.errors).toBeUndefined();

    // SIGTERM: Nest closes, then PostgreSQL stops cleanly (it removes its pid file).
    expect(await first.p.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(existsSync(path.join(pgDir, 'postmaster.pid'))).toBe(false);

    // Second start on the same directory.
    const second = await boot(pgPort);
    expect(second.p.stdout()).toMatch(/; no pending migrations/);
    const listed = await second.gql('{ organizations { id name } }', token);
    expect(listed.data?.organizations).toContainEqual(made.data.createOrganization);
    expect(await admins(pgPort)).toEqual([created]);

    // `npm run seed` while `npm start` runs: it uses the running embedded PostgreSQL.
    const seedLive = start('seed', embeddedEnv(pgPort), root);
    expect((await seedLive.exit()).code).toBe(0);
    expect(seedLive.stdout()).toMatch(/using the running embedded PostgreSQL/);
    const seeded = await second.gql('{ organizations { name } }', token);
    expect(seeded.data?.organizations).toContainEqual({ name: 'Acme Corporation' });

    // Ctrl-C in a terminal signals the whole process group, PostgreSQL included: still a clean exit.
    expect(await second.p.stop('SIGINT', { group: true })).toEqual({ code: 0, signal: null });
    expect(existsSync(path.join(pgDir, 'postmaster.pid'))).toBe(false);

    // `npm run seed` with nothing running: it starts the embedded PostgreSQL itself, then stops it.
    const seedAlone = start('seed', embeddedEnv(pgPort), root);
    expect((await seedAlone.exit()).code).toBe(0);
    expect(seedAlone.stdout()).toMatch(/started the embedded PostgreSQL/);
    expect(seedAlone.stdout()).toMatch(/organisations: 3 \(0 new\)/);
    expect(existsSync(path.join(pgDir, 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
