import { createUser, uniq } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { details, gqlFrom, LOGIN, solvedCaptcha, uniqIp } from './auth-helpers.js';

describe('auth: brute-force protection', () => {
  let t: TestApp;
  beforeAll(
    async () =>
      (t = await startTestApp({
        AUTH_CAPTCHA_AFTER_FAILS: '2',
        AUTH_MAX_FAILS_PER_ACCOUNT: '4',
        AUTH_CAPTCHA_AFTER_IP_FAILS: '5',
        AUTH_MAX_FAILS_PER_IP: '8',
        AUTH_FAIL_WINDOW_SECONDS: '600',
        CAPTCHA_MAX_PER_IP_PER_MINUTE: '1000',
      })),
  );
  afterAll(() => t.close());

  const attempt = async (username: string, password: string, ip = uniqIp(), captcha = false) =>
    gqlFrom(t, ip, LOGIN, { i: { username, password, ...(captcha ? await solvedCaptcha(t) : {}) } });

  it('after a few failures the account needs a captcha; success resets the count', async () => {
    const u = await createUser(t);
    const first = await attempt(u.username, 'wrong-password');
    expect(details(first)).toEqual({ captchaRequired: false });
    const second = await attempt(u.username, 'wrong-password');
    expect(errorCode(second)).toBe('UNAUTHENTICATED');
    expect(details(second)).toEqual({ captchaRequired: true });

    const noCaptcha = await attempt(u.username, u.password);
    expect(errorCode(noCaptcha)).toBe('BAD_USER_INPUT');
    expect(details(noCaptcha)).toMatchObject({ captchaRequired: true });

    const c = await solvedCaptcha(t);
    const wrongCaptcha = await gqlFrom(t, uniqIp(), LOGIN, { i: { username: u.username, password: u.password, captchaId: c.captchaId, captchaAnswer: 'nope1' } });
    expect(errorCode(wrongCaptcha)).toBe('BAD_USER_INPUT');
    expect(details(wrongCaptcha)).toMatchObject({ captchaInvalid: true });

    const ok = await attempt(u.username, u.password, uniqIp(), true);
    expect(ok.errors).toBeUndefined();
    const afterSuccess = await attempt(u.username, 'wrong-password');
    expect(details(afterSuccess)).toEqual({ captchaRequired: false });
  });

  it('too many failures lock the account, from any address, even with the right password', async () => {
    const u = await createUser(t);
    await attempt(u.username, 'wrong-password');
    await attempt(u.username, 'wrong-password');
    await attempt(u.username, 'wrong-password', uniqIp(), true);
    expect(errorCode(await attempt(u.username, 'wrong-password', uniqIp(), true))).toBe('UNAUTHENTICATED');
    const locked = await attempt(u.username, u.password, uniqIp(), true);
    expect(errorCode(locked)).toBe('RATE_LIMITED');
    const retry = details(locked)?.retryAfterSeconds as number;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(600);

    const other = await createUser(t);
    expect((await attempt(other.username, other.password)).errors).toBeUndefined();
  });

  it('an unknown account is locked exactly like a known one (no user enumeration)', async () => {
    const ghost = `ghost-${uniq()}`;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await attempt(ghost, 'wrong-password', uniqIp(), i >= 2));
    expect(answers.map(errorCode)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
  });

  it('one address failing on many accounts needs a captcha, then is locked; others are not', async () => {
    const ip = uniqIp();
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) codes.push(errorCode(await attempt(`spray-${uniq()}`, 'wrong-password', ip)));
    expect(codes.every((c) => c === 'UNAUTHENTICATED')).toBe(true);
    const victim = await createUser(t);
    const needsCaptcha = await attempt(victim.username, victim.password, ip);
    expect(errorCode(needsCaptcha)).toBe('BAD_USER_INPUT');
    expect(details(needsCaptcha)).toMatchObject({ captchaRequired: true });
    for (let i = 0; i < 3; i++) await attempt(`spray-${uniq()}`, 'wrong-password', ip, true);
    const locked = await attempt(victim.username, victim.password, ip, true);
    expect(errorCode(locked)).toBe('RATE_LIMITED');
    expect((await attempt(victim.username, victim.password)).errors).toBeUndefined();
  });

  it('failures count against the account whichever identifier is typed', async () => {
    const u = await createUser(t);
    const email = `${uniq()}@example.com`;
    await t.prisma.user.update({ where: { id: u.id }, data: { email } });
    await attempt(u.username, 'wrong-password');
    const second = await attempt(email, 'wrong-password');
    expect(details(second)).toEqual({ captchaRequired: true });
  });

  it('a wrong current password in changePassword counts as a failed sign-in', async () => {
    const u = await createUser(t);
    const CHANGE = 'mutation($i: ChangePasswordInput!) { changePassword(input: $i) }';
    for (let i = 0; i < 4; i++) {
      const r = await gqlFrom(t, uniqIp(), CHANGE, { i: { currentPassword: 'guess-number-' + i, newPassword: 'new-password-1' } }, u);
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
    }
    const locked = await gqlFrom(t, uniqIp(), CHANGE, { i: { currentPassword: u.password, newPassword: 'new-password-1' } }, u);
    expect(errorCode(locked)).toBe('RATE_LIMITED');
    expect(errorCode(await attempt(u.username, u.password, uniqIp(), true))).toBe('RATE_LIMITED');
  });

  it('signs in with phone (any common format) or email as well as username', async () => {
    const u = await createUser(t);
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const email = `${uniq()}@example.com`;
    await t.prisma.user.update({ where: { id: u.id }, data: { phone, email } });
    const formatted = `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;
    for (const id of [formatted, phone, email.toUpperCase(), ` ${u.username.toUpperCase()} `]) {
      const r = await attempt(id, u.password);
      expect(r.errors).toBeUndefined();
      expect(r.data?.login.user.id).toBe(String(u.id));
    }
  });
});
