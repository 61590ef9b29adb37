import { createUser, uniq } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { gqlFrom, LOGIN, ME, REFRESH, uniqIp } from './auth-helpers.js';

describe('auth: login, refresh rotation, logout, password change', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  async function login(username: string, password: string, ip = uniqIp()) {
    const r = await gqlFrom(t, ip, LOGIN, { i: { username, password } });
    expect(r.errors).toBeUndefined();
    return r.data!.login as { accessToken: string; refreshToken: string; accessTokenExpiresAt: string; user: { id: string } };
  }

  it('login returns a working access token, a refresh token and the user', async () => {
    const u = await createUser(t);
    const s = await login(u.username.toUpperCase(), u.password);
    expect(s.user.id).toBe(String(u.id));
    expect(new Date(s.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(s.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await t.gql(ME, {}, { token: s.accessToken });
    expect(me.data?.me.username).toBe(u.username);
    const row = await t.prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.lastLoginAt).not.toBeNull();
  });

  it('the refresh token is stored hashed, never in clear', async () => {
    const u = await createUser(t);
    const s = await login(u.username, u.password);
    const rows = await t.prisma.refreshToken.findMany({ where: { userId: u.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).not.toContain(s.refreshToken);
    expect(rows[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('wrong password and unknown user get the same UNAUTHENTICATED answer', async () => {
    const u = await createUser(t);
    const wrong = await gqlFrom(t, uniqIp(), LOGIN, { i: { username: u.username, password: 'not-the-password' } });
    const unknown = await gqlFrom(t, uniqIp(), LOGIN, { i: { username: `nobody-${uniq()}`, password: 'whatever-pass' } });
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(errorCode(unknown)).toBe('UNAUTHENTICATED');
    expect(wrong.errors?.[0].message).toBe(unknown.errors?.[0].message);
    expect(wrong.errors?.[0].extensions?.details).toEqual(unknown.errors?.[0].extensions?.details);
    expect(wrong.data).toBeNull();
  });

  it('a disabled user cannot sign in', async () => {
    const u = await createUser(t);
    await t.prisma.user.update({ where: { id: u.id }, data: { disabled: true } });
    const r = await gqlFrom(t, uniqIp(), LOGIN, { i: { username: u.username, password: u.password } });
    expect(errorCode(r)).toBe('FORBIDDEN');
  });

  it('refresh rotates: new tokens work, the spent token is refused', async () => {
    const u = await createUser(t);
    const s = await login(u.username, u.password);
    const r1 = await t.gql(REFRESH, { t: s.refreshToken });
    expect(r1.errors).toBeUndefined();
    const s2 = r1.data!.refreshToken;
    expect(s2.refreshToken).not.toBe(s.refreshToken);
    expect((await t.gql(ME, {}, { token: s2.accessToken })).data?.me.id).toBe(String(u.id));
    const r2 = await t.gql(REFRESH, { t: s2.refreshToken });
    expect(r2.errors).toBeUndefined();
  });

  it('reusing a spent refresh token revokes the whole family, access tokens included', async () => {
    const u = await createUser(t);
    const s = await login(u.username, u.password);
    const s2 = (await t.gql(REFRESH, { t: s.refreshToken })).data!.refreshToken;
    const reuse = await t.gql(REFRESH, { t: s.refreshToken });
    expect(errorCode(reuse)).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gql(REFRESH, { t: s2.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gql(ME, {}, { token: s2.accessToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gql(ME, {}, { token: s.accessToken }))).toBe('UNAUTHENTICATED');
  });

  it('reuse in one session leaves the user\'s other sessions alone', async () => {
    const u = await createUser(t);
    const a = await login(u.username, u.password);
    const b = await login(u.username, u.password);
    await t.gql(REFRESH, { t: a.refreshToken });
    await t.gql(REFRESH, { t: a.refreshToken });
    expect((await t.gql(ME, {}, { token: b.accessToken })).errors).toBeUndefined();
    expect((await t.gql(REFRESH, { t: b.refreshToken })).errors).toBeUndefined();
  });

  it('exactly one of two concurrent refreshes with the same token wins', async () => {
    const u = await createUser(t);
    const s = await login(u.username, u.password);
    const results = await Promise.all([t.gql(REFRESH, { t: s.refreshToken }), t.gql(REFRESH, { t: s.refreshToken })]);
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'UNAUTHENTICATED')).toHaveLength(1);
    const rows = await t.prisma.refreshToken.count({ where: { userId: u.id } });
    expect(rows).toBe(2); // the original and exactly one successor
  });

  it('an expired refresh token is refused', async () => {
    const u = await createUser(t);
    const s = await login(u.username, u.password);
    await t.prisma.refreshToken.updateMany({ where: { userId: u.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(errorCode(await t.gql(REFRESH, { t: s.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('an unknown or malformed refresh token is refused without a 500', async () => {
    expect(errorCode(await t.gql(REFRESH, { t: 'A'.repeat(43) }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gql(REFRESH, { t: 'short' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(REFRESH, { t: 'x'.repeat(100_000) }))).toBe('BAD_USER_INPUT');
  });

  it('refresh is refused once the user is disabled', async () => {
    const u = await createUser(t);
    const s = await login(u.username, u.password);
    await t.prisma.user.update({ where: { id: u.id }, data: { disabled: true } });
    expect(errorCode(await t.gql(REFRESH, { t: s.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('logout ends the session: its access and refresh tokens stop working', async () => {
    const u = await createUser(t);
    const s = await login(u.username, u.password);
    const other = await login(u.username, u.password);
    const r = await t.gql('mutation { logout }', {}, { token: s.accessToken });
    expect(r.data?.logout).toBe(true);
    expect(errorCode(await t.gql(ME, {}, { token: s.accessToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gql(REFRESH, { t: s.refreshToken }))).toBe('UNAUTHENTICATED');
    expect((await t.gql(ME, {}, { token: other.accessToken })).errors).toBeUndefined();
  });

  it('logout(allSessions: true) ends every session of the user', async () => {
    const u = await createUser(t);
    const a = await login(u.username, u.password);
    const b = await login(u.username, u.password);
    await t.gql('mutation { logout(allSessions: true) }', {}, { token: a.accessToken });
    expect(errorCode(await t.gql(ME, {}, { token: b.accessToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gql(REFRESH, { t: b.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('logout needs a signed-in caller', async () => {
    expect(errorCode(await t.gql('mutation { logout }'))).toBe('UNAUTHENTICATED');
  });

  describe('changePassword', () => {
    const CHANGE = 'mutation($i: ChangePasswordInput!) { changePassword(input: $i) }';

    it('changes the password and ends the other sessions, keeping this one', async () => {
      const u = await createUser(t);
      const mine = await login(u.username, u.password);
      const other = await login(u.username, u.password);
      const r = await t.gql(CHANGE, { i: { currentPassword: u.password, newPassword: 'brand-new-pass-1' } }, { token: mine.accessToken });
      expect(r.data?.changePassword).toBe(true);
      expect((await t.gql(ME, {}, { token: mine.accessToken })).errors).toBeUndefined();
      expect((await t.gql(REFRESH, { t: mine.refreshToken })).errors).toBeUndefined();
      expect(errorCode(await t.gql(ME, {}, { token: other.accessToken }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await t.gql(REFRESH, { t: other.refreshToken }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await gqlFrom(t, uniqIp(), LOGIN, { i: { username: u.username, password: u.password } }))).toBe('UNAUTHENTICATED');
      await login(u.username, 'brand-new-pass-1');
    });

    it('refuses a wrong current password and keeps the old one', async () => {
      const u = await createUser(t);
      const s = await login(u.username, u.password);
      const r = await t.gql(CHANGE, { i: { currentPassword: 'wrong-password', newPassword: 'brand-new-pass-1' } }, { token: s.accessToken });
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
      await login(u.username, u.password);
    });

    it('refuses a too short or too long new password', async () => {
      const u = await createUser(t);
      const s = await login(u.username, u.password);
      for (const newPassword of ['short', 'x'.repeat(129)]) {
        const r = await t.gql(CHANGE, { i: { currentPassword: u.password, newPassword } }, { token: s.accessToken });
        expect(errorCode(r)).toBe('BAD_USER_INPUT');
        expect(r.errors?.[0].message).toMatch(/newPassword/);
      }
    });
  });
});
