import { readFileSync } from 'node:fs';
import { EnvError, EnvSchema, loadEnv, secretVariables } from './env.schema.js';

/** The problems loadEnv reports for `source` (fails the test when it accepts it). */
function problemsOf(source: NodeJS.ProcessEnv): string[] {
  try {
    loadEnv(source);
  } catch (e) {
    if (e instanceof EnvError) return e.problems;
    throw e;
  }
  throw new Error(`loadEnv accepted ${JSON.stringify(source)}`);
}

describe('loadEnv', () => {
  it('fills every default for an empty environment', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 3000,
      LOG_LEVEL: 'info',
      PROCESS_ROLE: 'all',
      EMBEDDED_PG_DIR: '.data/pg',
      EMBEDDED_PG_PORT: 5433,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'xsc',
      JWT_ACCESS_TTL_SECONDS: 900,
      REFRESH_TTL_DAYS: 30,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.ADMIN_USERNAME).toBeUndefined();
    expect(env.JWT_SECRET.length).toBeGreaterThanOrEqual(32); // generated, kept in JWT_SECRET_FILE
  });

  it('parses numbers, treats empty strings as unset and ignores unrelated variables', () => {
    const env = loadEnv({ PORT: '8080', EMBEDDED_PG_PORT: '6543', DATABASE_URL: '', JWT_SECRET: '', PATH: '/bin', SOMETHING: 'x' });
    expect(env.PORT).toBe(8080);
    expect(env.EMBEDDED_PG_PORT).toBe(6543);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env).not.toHaveProperty('PATH');
    expect(env).not.toHaveProperty('SOMETHING');
  });

  it('keeps valid values as given', () => {
    const env = loadEnv({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://u:p@db:5432/xsc',
      REDIS_URL: 'rediss://cache:6380',
      JWT_SECRET: 's'.repeat(32),
      PROCESS_ROLE: 'worker',
      LOG_LEVEL: 'debug',
    });
    expect(env).toMatchObject({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://u:p@db:5432/xsc', JWT_SECRET: 's'.repeat(32), PROCESS_ROLE: 'worker' });
  });

  it.each([
    ['NODE_ENV', 'staging'],
    ['PORT', 'abc'],
    ['PORT', '65536'],
    ['PORT', '3.5'],
    ['LOG_LEVEL', 'loud'],
    ['PROCESS_ROLE', 'everything'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['EMBEDDED_PG_PORT', '0'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['QUEUE_PREFIX', 'with space'],
    ['JWT_SECRET', 'too-short'],
    ['JWT_ACCESS_TTL_SECONDS', '5'],
    ['REFRESH_TTL_DAYS', '400'],
  ])('names %s when it is %j, in exactly one line', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(name)).toBe(true);
  });

  it('reports a type mismatch rather than a range', () => {
    expect(problemsOf({ PORT: 'abc' })).toEqual(['PORT must be an integer number (got "abc")']);
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'x', REDIS_URL: 'x', LOG_LEVEL: 'x' });
    expect(problems.map((p) => p.split(/[ :]/)[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'REDIS_URL']);
  });

  // Every variable marked @Secret(), with a value it rejects: a new secret must be added here.
  const badSecrets: Record<string, string> = {
    JWT_SECRET: 'leak-me-jwt',
    SMS_GATEWAY_KEY: `leak-me-sms-${'k'.repeat(500)}`,
    SSO_PARTNER_SECRET: 'leak-me-sso',
    ADMIN_PASSWORD: `leak-me-admin-${'p'.repeat(128)}`,
    QINIU_SECRET_KEY: `leak-me-qiniu-${'q'.repeat(200)}`,
    S3_SECRET_ACCESS_KEY: `leak-me-s3-${'s'.repeat(200)}`,
    METRICS_TOKEN: 'leak-me-metrics',
  };

  it('marks every secret variable as secret', () => {
    expect(secretVariables().sort()).toEqual(Object.keys(badSecrets).sort());
  });

  it.each(Object.entries(badSecrets))('names %s when it is bad but shows only its length', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems.filter((p) => p.startsWith(name))).toEqual([expect.stringMatching(new RegExp(`\\(got ${value.length} characters\\)$`))]);
    expect(problems.join('\n')).not.toMatch(/leak-me/);
  });

  it('never repeats a secret or a URL password in its messages', () => {
    const problems = problemsOf({ JWT_SECRET: 'hunter2-secret', ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'pw', DATABASE_URL: 'mysql://me:topsecret@db/x' });
    const text = problems.join('\n');
    expect(text).not.toMatch(/hunter2|topsecret|"pw"/);
    expect(text).toMatch(/JWT_SECRET must be at least 32 characters long \(got 14 characters\)/);
    expect(text).toMatch(/mysql:\/\/me:\*\*\*@db\/x/);
  });

  describe('in production', () => {
    it('requires JWT_SECRET and DATABASE_URL', () => {
      expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
        'JWT_SECRET is required when NODE_ENV=production',
        'DATABASE_URL is required when NODE_ENV=production (no embedded database)',
      ]);
    });

    it('never falls back to the development secret', () => {
      expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/x' })).toEqual([
        'JWT_SECRET is required when NODE_ENV=production',
      ]);
    });
  });

  describe('ADMIN_USERNAME / ADMIN_PASSWORD', () => {
    it('are accepted together', () => {
      const env = loadEnv({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'long-enough' });
      expect(env).toMatchObject({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'long-enough' });
    });

    it.each([{ ADMIN_USERNAME: 'admin' }, { ADMIN_PASSWORD: 'long-enough' }])('are refused one without the other: %j', (source) => {
      expect(problemsOf(source)).toEqual(['ADMIN_USERNAME and ADMIN_PASSWORD must be set together']);
    });

    it('refuse a short password and an odd username', () => {
      const problems = problemsOf({ ADMIN_USERNAME: 'a b', ADMIN_PASSWORD: 'short' });
      expect(problems).toEqual([
        'ADMIN_USERNAME must be 3-64 letters, digits or _.- (got "a b")',
        'ADMIN_PASSWORD must be at least 8 characters long (got 5 characters)',
      ]);
    });
  });
});

describe('.env.example', () => {
  it('documents every variable the schema declares, and no other', () => {
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect([...new Set(documented)].sort()).toEqual(Object.keys(new EnvSchema()).sort());
  });
});
