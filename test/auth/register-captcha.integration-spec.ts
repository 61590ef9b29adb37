import { RedisService } from '../../src/redis/redis.service.js';
import { captchaKey } from '../../src/auth/captcha/captcha.service.js';
import { createOrg, uniq } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { captchaAnswer, details, gqlFrom, ME, PAYLOAD, solvedCaptcha, uniqIp } from './auth-helpers.js';

const REGISTER = `mutation($i: RegisterInput!) { register(input: $i) { ${PAYLOAD} } }`;

describe('auth: captcha and register', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ CAPTCHA_TTL_SECONDS: '120', CAPTCHA_MAX_PER_IP_PER_MINUTE: '5' })));
  afterAll(() => t.close());

  it('the captcha query returns an SVG image; its answer is kept in Redis with the configured TTL', async () => {
    const r = await gqlFrom(t, uniqIp(), '{ captcha { id svg expiresAt } }');
    expect(r.errors).toBeUndefined();
    const c = r.data!.captcha;
    expect(c.svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(c.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(r.data)).not.toContain((await captchaAnswer(t, c.id))!);
    const ttl = await t.app.get(RedisService).ttl(captchaKey(c.id));
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it('captcha requests are limited per IP', async () => {
    const ip = uniqIp();
    for (let i = 0; i < 5; i++) expect((await gqlFrom(t, ip, '{ captcha { id } }')).errors).toBeUndefined();
    const r = await gqlFrom(t, ip, '{ captcha { id } }');
    expect(errorCode(r)).toBe('RATE_LIMITED');
    expect(details(r)?.retryAfterSeconds).toBeGreaterThan(0);
    expect((await gqlFrom(t, uniqIp(), '{ captcha { id } }')).errors).toBeUndefined();
  });

  it('register with a solved captcha creates the account and signs in (answer case-insensitive)', async () => {
    const username = `New-${uniq()}`;
    const r = await gqlFrom(t, uniqIp(), REGISTER, { i: { username, password: 'a-good-password', ...(await solvedCaptcha(t)) } });
    expect(r.errors).toBeUndefined();
    expect(r.data!.register.user).toMatchObject({ username: username.toLowerCase(), role: 'USER', organizationId: null });
    const me = await t.gql(ME, {}, { token: r.data!.register.accessToken });
    expect(me.errors).toBeUndefined();
    expect(me.data?.me.username).toBe(username.toLowerCase());
    const row = await t.prisma.user.findUniqueOrThrow({ where: { username: username.toLowerCase() } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/); // the cost test/setup-env.mjs configures
  });

  it('register without a captcha is BAD_USER_INPUT with captchaRequired', async () => {
    const username = `nocap-${uniq()}`;
    const r = await gqlFrom(t, uniqIp(), REGISTER, { i: { username, password: 'a-good-password' } });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(details(r)).toMatchObject({ captchaRequired: true });
    expect(await t.prisma.user.count({ where: { username } })).toBe(0);
  });

  it('a wrong captcha answer is refused and burns the captcha', async () => {
    const username = `wrongcap-${uniq()}`;
    const c = await solvedCaptcha(t);
    const wrong = await gqlFrom(t, uniqIp(), REGISTER, { i: { username, password: 'a-good-password', captchaId: c.captchaId, captchaAnswer: 'zzzzz' } });
    expect(errorCode(wrong)).toBe('BAD_USER_INPUT');
    expect(details(wrong)).toMatchObject({ captchaRequired: true, captchaInvalid: true });
    const retry = await gqlFrom(t, uniqIp(), REGISTER, { i: { username, password: 'a-good-password', ...c } });
    expect(errorCode(retry)).toBe('BAD_USER_INPUT');
    expect(await t.prisma.user.count({ where: { username } })).toBe(0);
  });

  it('a captcha is single use', async () => {
    const c = await solvedCaptcha(t);
    const first = await gqlFrom(t, uniqIp(), REGISTER, { i: { username: `once-${uniq()}`, password: 'a-good-password', ...c } });
    expect(first.errors).toBeUndefined();
    const second = await gqlFrom(t, uniqIp(), REGISTER, { i: { username: `twice-${uniq()}`, password: 'a-good-password', ...c } });
    expect(errorCode(second)).toBe('BAD_USER_INPUT');
    expect(details(second)).toMatchObject({ captchaInvalid: true });
  });

  it('an expired captcha is refused', async () => {
    const c = await solvedCaptcha(t);
    await t.app.get(RedisService).expire(captchaKey(c.captchaId), 0); // what the TTL does when it runs out
    const r = await gqlFrom(t, uniqIp(), REGISTER, { i: { username: `late-${uniq()}`, password: 'a-good-password', ...c } });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(/expired/);
  });

  it('a taken username is CONFLICT', async () => {
    const username = `taken-${uniq()}`;
    await gqlFrom(t, uniqIp(), REGISTER, { i: { username, password: 'a-good-password', ...(await solvedCaptcha(t)) } });
    const r = await gqlFrom(t, uniqIp(), REGISTER, { i: { username: username.toUpperCase(), password: 'other-password', ...(await solvedCaptcha(t)) } });
    expect(errorCode(r)).toBe('CONFLICT');
  });

  it.each([
    ['a too short password', { password: 'short' }, /password/],
    ['an over-long password', { password: 'x'.repeat(10_000) }, /password/],
    ['an over-long username', { username: 'a'.repeat(5000) }, /username/],
    ['a username with spaces', { username: 'bad name' }, /username/],
    ['a phone-like username', { username: '13800138000' }, /username/],
    ['an injection string', { username: "x'); DROP TABLE \"User\"; --" }, /username/],
    ['a non-uuid captcha id', { captchaId: '../../etc/passwd', captchaAnswer: 'abcde' }, /captchaId/],
  ])('%s is BAD_USER_INPUT naming the field', async (_, override, field) => {
    const r = await gqlFrom(t, uniqIp(), REGISTER, { i: { username: `ok-${uniq()}`, password: 'a-good-password', ...override } });
    expect(r.status).toBeLessThan(500);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(field);
  });

  it('wrong types and unknown fields are BAD_USER_INPUT', async () => {
    const wrongType = await gqlFrom(t, uniqIp(), REGISTER, { i: { username: 42, password: 'a-good-password' } });
    expect(errorCode(wrongType)).toBe('BAD_USER_INPUT');
    const unknown = await gqlFrom(t, uniqIp(), REGISTER, { i: { username: `u-${uniq()}`, password: 'a-good-password', role: 'ADMIN' } });
    expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
    const malformed = await gqlFrom(t, uniqIp(), 'mutation { register(input: { username: "x" ');
    expect(malformed.status).toBeLessThan(500);
    expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify([wrongType, unknown, malformed])).not.toMatch(/stacktrace|\.ts:\d+/);
  });

  describe('with SELF_REGISTRATION_ORGANIZATION / SELF_REGISTRATION=false', () => {
    let t2: TestApp;
    let t3: TestApp;
    const orgName = `self-${uniq()}`;
    beforeAll(async () => {
      t2 = await startTestApp({ SELF_REGISTRATION_ORGANIZATION: orgName });
      t3 = await startTestApp({ SELF_REGISTRATION: 'false' });
    });
    afterAll(async () => {
      await t2.close();
      await t3.close();
    });

    it('self-registered users join the configured organisation', async () => {
      const existing = await createOrg(t2, orgName);
      const r = await gqlFrom(t2, uniqIp(), REGISTER, { i: { username: `joiner-${uniq()}`, password: 'a-good-password', ...(await solvedCaptcha(t2)) } });
      expect(r.errors).toBeUndefined();
      expect(r.data!.register.user.organizationId).toBe(String(existing.id));
    });

    it('registration can be switched off', async () => {
      const r = await gqlFrom(t3, uniqIp(), REGISTER, { i: { username: `closed-${uniq()}`, password: 'a-good-password', ...(await solvedCaptcha(t3)) } });
      expect(errorCode(r)).toBe('FORBIDDEN');
    });
  });

  // Started after the outer app's last use: passport strategies are process-wide, so the newest
  // app's strategies serve every app in this file.
  describe('with TRUST_PROXY naming another proxy', () => {
    let strict: TestApp;
    beforeAll(async () => (strict = await startTestApp({ TRUST_PROXY: '192.0.2.1', CAPTCHA_MAX_PER_IP_PER_MINUTE: '2' })));
    afterAll(() => strict.close());

    it('X-Forwarded-For from this peer is not believed: spoofed addresses share one counter', async () => {
      await gqlFrom(strict, '10.0.0.1', '{ captcha { id } }');
      await gqlFrom(strict, '10.0.0.2', '{ captcha { id } }');
      expect(errorCode(await gqlFrom(strict, '10.0.0.3', '{ captcha { id } }'))).toBe('RATE_LIMITED');
    });
  });
});
