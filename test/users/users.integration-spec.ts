import { createAdmin, createApiKey, createOrg, createUser, uniq } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { gqlFrom, LOGIN, ME, REFRESH, uniqIp } from '../auth/auth-helpers.js';

const USERS = `query($f: UserFilter, $first: Int, $after: String) {
  users(filter: $f, first: $first, after: $after) { totalCount nodes { id username role disabled organizationId organization { name } } pageInfo { hasNextPage endCursor } }
}`;
const CREATE = 'mutation($i: CreateUserInput!) { createUser(input: $i) { id username role organizationId email phone } }';
const UPDATE = 'mutation($i: UpdateUserInput!) { updateUser(input: $i) { id role disabled organizationId displayName } }';
const RESET = 'mutation($i: ResetUserPasswordInput!) { resetUserPassword(input: $i) { id passwordChangedAt } }';
const PROFILE = 'mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { id displayName email phone } }';

describe('users: profile and admin user management', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  async function session(username: string, password: string) {
    const r = await gqlFrom(t, uniqIp(), LOGIN, { i: { username, password } });
    expect(r.errors).toBeUndefined();
    return r.data!.login as { accessToken: string; refreshToken: string };
  }

  describe('me and updateProfile', () => {
    it('me returns the caller with their organisation', async () => {
      const org = await createOrg(t);
      const u = await createUser(t, { organizationId: org.id });
      const r = await t.gql('{ me { id username role organization { id name } } }', {}, u);
      expect(r.data?.me).toEqual({ id: String(u.id), username: u.username, role: 'USER', organization: { id: String(org.id), name: org.name } });
    });

    it('updateProfile normalises and saves display name, email and phone; null clears', async () => {
      const u = await createUser(t);
      const r = await t.gql(PROFILE, { i: { displayName: '  Zoë  ', email: ` ${uniq()}@Example.COM`, phone: '+86 137 0000 9999' } }, u);
      expect(r.errors).toBeUndefined();
      expect(r.data?.updateProfile.displayName).toBe('Zoë');
      expect(r.data?.updateProfile.email).toMatch(/^[0-9a-f]{8}@example\.com$/);
      expect(r.data?.updateProfile.phone).toBe('13700009999');
      const cleared = await t.gql(PROFILE, { i: { phone: null } }, u);
      expect(cleared.data?.updateProfile).toMatchObject({ phone: null, displayName: 'Zoë' });
    });

    it.each([
      ['an invalid email', { email: 'not-an-email' }, /email/],
      ['an invalid phone', { phone: '12' }, /phone/],
      ['an over-long display name', { displayName: 'x'.repeat(101) }, /displayName/],
      ['an unknown field', { role: 'ADMIN' }, /role/],
    ])('%s is BAD_USER_INPUT', async (_, i, field) => {
      const u = await createUser(t);
      const r = await t.gql(PROFILE, { i }, u);
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0].message).toMatch(field);
    });

    it("another user's email is CONFLICT", async () => {
      const a = await createUser(t);
      const b = await createUser(t);
      const email = `${uniq()}@example.com`;
      await t.gql(PROFILE, { i: { email } }, a);
      expect(errorCode(await t.gql(PROFILE, { i: { email } }, b))).toBe('CONFLICT');
    });

    it('anonymous callers and API keys cannot read a profile', async () => {
      expect(errorCode(await t.gql(ME))).toBe('UNAUTHENTICATED');
      const org = await createOrg(t);
      const key = await createApiKey(t, org.id, ['sync:vulns', 'sync:baseline', 'sync:flows', 'tasks:claim']);
      expect(errorCode(await t.gql(ME, {}, { apiKey: key.key }))).toBe('FORBIDDEN');
    });
  });

  describe('user(id) and users', () => {
    it('a USER reads a colleague but not a user of another organisation', async () => {
      const org = await createOrg(t);
      const me = await createUser(t, { organizationId: org.id });
      const colleague = await createUser(t, { organizationId: org.id });
      const stranger = await createUser(t);
      const q = 'query($id: ID!) { user(id: $id) { id username } }';
      expect((await t.gql(q, { id: colleague.id }, me)).data?.user.username).toBe(colleague.username);
      const denied = await t.gql(q, { id: stranger.id }, me);
      expect(errorCode(denied)).toBe('NOT_FOUND');
      expect(denied.data).toBeNull();
    });

    it('a user without an organisation reads themselves and nobody else', async () => {
      const loner = await createUser(t, { organizationId: null });
      const other = await createUser(t, { organizationId: null });
      const q = 'query($id: ID!) { user(id: $id) { id } }';
      expect((await t.gql(q, { id: loner.id }, loner)).data?.user.id).toBe(String(loner.id));
      expect(errorCode(await t.gql(q, { id: other.id }, loner))).toBe('NOT_FOUND');
    });

    it('a USER is denied the admin list, even filtered to their own organisation', async () => {
      const u = await createUser(t);
      const r = await t.gql(USERS, { f: { organizationId: u.organizationId } }, u);
      expect(errorCode(r)).toBe('FORBIDDEN');
      expect(r.data).toBeNull();
    });

    it('an admin lists users with filters and keyset pagination', async () => {
      const admin = await createAdmin(t);
      const org = await createOrg(t);
      const tag = uniq();
      for (let i = 0; i < 5; i++) await createUser(t, { organizationId: org.id, username: `pg-${tag}-${i}` });
      const other = await createUser(t, { username: `pg-${tag}-other` });
      await t.prisma.user.update({ where: { id: other.id }, data: { disabled: true } });

      const byOrg = await t.gql(USERS, { f: { organizationId: org.id }, first: 2 }, admin);
      expect(byOrg.errors).toBeUndefined();
      expect(byOrg.data?.users.totalCount).toBe(5);
      const seen: string[] = byOrg.data?.users.nodes.map((n: { username: string }) => n.username);
      let after = byOrg.data?.users.pageInfo.endCursor;
      while (after) {
        const page = await t.gql(USERS, { f: { organizationId: org.id }, first: 2, after }, admin);
        seen.push(...page.data!.users.nodes.map((n: { username: string }) => n.username));
        after = page.data?.users.pageInfo.hasNextPage ? page.data?.users.pageInfo.endCursor : null;
      }
      expect(seen.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `pg-${tag}-${i}`));
      expect(byOrg.data?.users.nodes[0].organization.name).toBe(org.name);

      const byText = await t.gql(USERS, { f: { text: tag.toUpperCase() } }, admin);
      expect(byText.data?.users.totalCount).toBe(6);
      const disabled = await t.gql(USERS, { f: { text: tag, disabled: true } }, admin);
      expect(disabled.data?.users.nodes.map((n: { id: string }) => n.id)).toEqual([String(other.id)]);
      const admins = await t.gql(USERS, { f: { text: tag, role: 'ADMIN' } }, admin);
      expect(admins.data?.users.totalCount).toBe(0);
    });

    it('bad paging and filter values are BAD_USER_INPUT', async () => {
      const admin = await createAdmin(t);
      for (const vars of [{ first: 101 }, { first: 0 }, { after: 'garbage' }, { f: { role: 'ROOT' } }, { f: { text: 'x'.repeat(101) } }, { f: { organizationId: 'abc' } }]) {
        const r = await t.gql(USERS, vars, admin);
        expect(r.status).toBeLessThan(500);
        expect(errorCode(r)).toBe('BAD_USER_INPUT');
      }
    });
  });

  describe('createUser, updateUser, resetUserPassword', () => {
    it('an admin creates a user who can then sign in', async () => {
      const admin = await createAdmin(t);
      const org = await createOrg(t);
      const username = `made-${uniq()}`;
      const r = await t.gql(CREATE, { i: { username: username.toUpperCase(), password: 'initial-pass-1', organizationId: org.id, email: `${uniq()}@x.test` } }, admin);
      expect(r.errors).toBeUndefined();
      expect(r.data?.createUser).toMatchObject({ username, role: 'USER', organizationId: String(org.id) });
      await session(username, 'initial-pass-1');
    });

    it('createUser refuses a taken username (CONFLICT) and an unknown organisation (NOT_FOUND)', async () => {
      const admin = await createAdmin(t);
      const u = await createUser(t);
      expect(errorCode(await t.gql(CREATE, { i: { username: u.username, password: 'initial-pass-1' } }, admin))).toBe('CONFLICT');
      expect(errorCode(await t.gql(CREATE, { i: { username: `x-${uniq()}`, password: 'initial-pass-1', organizationId: 99_999_999 } }, admin))).toBe('NOT_FOUND');
    });

    it('a USER cannot create, update or reset users', async () => {
      const u = await createUser(t);
      const victim = await createUser(t, { organizationId: u.organizationId });
      expect(errorCode(await t.gql(CREATE, { i: { username: `x-${uniq()}`, password: 'initial-pass-1' } }, u))).toBe('FORBIDDEN');
      expect(errorCode(await t.gql(UPDATE, { i: { id: u.id, role: 'ADMIN' } }, u))).toBe('FORBIDDEN');
      expect(errorCode(await t.gql(RESET, { i: { id: victim.id, newPassword: 'hijacked-pass-1' } }, u))).toBe('FORBIDDEN');
      expect((await t.prisma.user.findUniqueOrThrow({ where: { id: u.id } })).role).toBe('USER');
    });

    it('an admin changes role and organisation, and removes the organisation with null', async () => {
      const admin = await createAdmin(t);
      const u = await createUser(t);
      const org = await createOrg(t);
      const moved = await t.gql(UPDATE, { i: { id: u.id, role: 'ADMIN', organizationId: org.id, displayName: 'Moved' } }, admin);
      expect(moved.data?.updateUser).toMatchObject({ role: 'ADMIN', organizationId: String(org.id), displayName: 'Moved' });
      // the change applies to the user's existing token at once
      expect((await t.gql(USERS, { first: 1 }, u)).errors).toBeUndefined();
      const removed = await t.gql(UPDATE, { i: { id: u.id, organizationId: null } }, admin);
      expect(removed.data?.updateUser.organizationId).toBeNull();
    });

    it('disabling a user ends their sessions; re-enabling lets them sign in again', async () => {
      const admin = await createAdmin(t);
      const u = await createUser(t);
      const s = await session(u.username, u.password);
      const r = await t.gql(UPDATE, { i: { id: u.id, disabled: true } }, admin);
      expect(r.data?.updateUser.disabled).toBe(true);
      expect(errorCode(await t.gql(ME, {}, { token: s.accessToken }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await t.gql(REFRESH, { t: s.refreshToken }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await gqlFrom(t, uniqIp(), LOGIN, { i: { username: u.username, password: u.password } }))).toBe('FORBIDDEN');
      await t.gql(UPDATE, { i: { id: u.id, disabled: false } }, admin);
      await session(u.username, u.password);
    });

    it('an admin cannot disable or demote themselves', async () => {
      const admin = await createAdmin(t);
      expect(errorCode(await t.gql(UPDATE, { i: { id: admin.id, disabled: true } }, admin))).toBe('FORBIDDEN');
      expect(errorCode(await t.gql(UPDATE, { i: { id: admin.id, role: 'USER' } }, admin))).toBe('FORBIDDEN');
    });

    it("resetUserPassword sets the new password and ends the user's sessions", async () => {
      const admin = await createAdmin(t);
      const u = await createUser(t);
      const s = await session(u.username, u.password);
      const r = await t.gql(RESET, { i: { id: u.id, newPassword: 'reset-pass-123' } }, admin);
      expect(r.errors).toBeUndefined();
      expect(r.data?.resetUserPassword.passwordChangedAt).not.toBeNull();
      expect(errorCode(await t.gql(ME, {}, { token: s.accessToken }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await t.gql(REFRESH, { t: s.refreshToken }))).toBe('UNAUTHENTICATED');
      await session(u.username, 'reset-pass-123');
    });

    it('unknown ids are NOT_FOUND, malformed ids BAD_USER_INPUT', async () => {
      const admin = await createAdmin(t);
      expect(errorCode(await t.gql(UPDATE, { i: { id: 99_999_999, disabled: true } }, admin))).toBe('NOT_FOUND');
      expect(errorCode(await t.gql(UPDATE, { i: { id: 'abc', disabled: true } }, admin))).toBe('BAD_USER_INPUT');
      expect(errorCode(await t.gql(RESET, { i: { id: 99_999_999, newPassword: 'reset-pass-123' } }, admin))).toBe('NOT_FOUND');
      expect(errorCode(await t.gql(UPDATE, { i: { id: 1, role: 'GOD' } }, admin))).toBe('BAD_USER_INPUT');
    });
  });
});
