import { generateKeyPairSync } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { createUser, uniq } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { gqlFrom, ME, PAYLOAD, uniqIp } from './auth-helpers.js';

const SSO = `mutation($t: String!) { ssoLogin(input: { token: $t }) { ${PAYLOAD} user { displayName email sso hasPassword organization { name } } } }`;
const ISSUER = 'https://partner.example.test';
const SECRET = 'partner-shared-secret-of-at-least-32-chars';
const jwt = new JwtService();

// The partner is outside this machine: the tests sign its tokens with keys they generate.
const partnerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: typeof partnerKeys.publicKey) => k.export({ type: 'spki', format: 'pem' }).toString();
const privatePem = (k: typeof partnerKeys.privateKey) => k.export({ type: 'pkcs8', format: 'pem' }).toString();

const hsToken = (claims: Record<string, unknown>, opts: { secret?: string; issuer?: string; audience?: string; expiresIn?: number } = {}) =>
  jwt.sign(claims, {
    secret: opts.secret ?? SECRET,
    algorithm: 'HS256',
    issuer: opts.issuer ?? ISSUER,
    audience: opts.audience ?? 'xsc',
    ...(opts.expiresIn === undefined ? { expiresIn: 300 } : { expiresIn: opts.expiresIn }),
  });

describe('auth: partner single sign-on', () => {
  describe('HS256 partner with an audience', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp({ PROCESS_ROLE: 'api', SSO_PARTNER_ISSUER: ISSUER, SSO_PARTNER_SECRET: SECRET, SSO_PARTNER_AUDIENCE: 'xsc' })));
    afterAll(() => t.close());

    it('the first sign-in creates the user, the next finds the same one', async () => {
      const sub = `partner-user-${uniq()}`;
      const name = `Pat-${uniq()}`;
      const token = hsToken({ sub, preferred_username: name, name: 'Pat Partner', email: `${uniq()}@partner.test` });
      const r = await gqlFrom(t, uniqIp(), SSO, { t: token });
      expect(r.errors).toBeUndefined();
      const s = r.data!.ssoLogin;
      expect(s.user).toMatchObject({ username: name.toLowerCase(), displayName: 'Pat Partner', sso: true, hasPassword: false, organization: null });
      expect((await t.gql(ME, {}, { token: s.accessToken })).data?.me.id).toBe(s.user.id);
      const row = await t.prisma.user.findUniqueOrThrow({ where: { id: Number(s.user.id) } });
      expect(row.externalId).toBe(`${ISSUER}|${sub}`);

      const again = await gqlFrom(t, uniqIp(), SSO, { t: hsToken({ sub, preferred_username: 'someone-else' }) });
      expect(again.data!.ssoLogin.user.id).toBe(s.user.id);
      expect(await t.prisma.user.count({ where: { externalId: `${ISSUER}|${sub}` } })).toBe(1);
    });

    it('two concurrent first sign-ins of one identity create one user', async () => {
      const sub = `race-${uniq()}`;
      const [a, b] = await Promise.all([gqlFrom(t, uniqIp(), SSO, { t: hsToken({ sub }) }), gqlFrom(t, uniqIp(), SSO, { t: hsToken({ sub }) })]);
      expect(a.errors).toBeUndefined();
      expect(b.errors).toBeUndefined();
      expect(a.data!.ssoLogin.user.id).toBe(b.data!.ssoLogin.user.id);
      expect(await t.prisma.user.count({ where: { externalId: `${ISSUER}|${sub}` } })).toBe(1);
    });

    it('a taken username falls back to a generated one', async () => {
      const existing = await createUser(t);
      const r = await gqlFrom(t, uniqIp(), SSO, { t: hsToken({ sub: `s-${uniq()}`, preferred_username: existing.username }) });
      expect(r.errors).toBeUndefined();
      expect(r.data!.ssoLogin.user.username).toMatch(/^sso-[0-9a-f]{12}$/);
    });

    it.each([
      ['a wrong secret', () => hsToken({ sub: `x-${uniq()}` }, { secret: 'another-secret-of-at-least-32-characters!' })],
      ['a wrong issuer', () => hsToken({ sub: `x-${uniq()}` }, { issuer: 'https://evil.example.test' })],
      ['a wrong audience', () => hsToken({ sub: `x-${uniq()}` }, { audience: 'other-app' })],
      ['an expired token', () => hsToken({ sub: `x-${uniq()}` }, { expiresIn: -60 })],
      ['no exp claim', () => jwt.sign({ sub: `x-${uniq()}` }, { secret: SECRET, algorithm: 'HS256', issuer: ISSUER, audience: 'xsc' })],
      ['no sub claim', () => hsToken({ name: 'nobody' })],
      ['alg "none"', () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', iss: ISSUER, aud: 'xsc', exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url')}.`],
      ['an RS256 token', () => jwt.sign({ sub: `x-${uniq()}` }, { privateKey: privatePem(partnerKeys.privateKey), algorithm: 'RS256', issuer: ISSUER, audience: 'xsc', expiresIn: 300 })],
      ['garbage', () => 'not.a.jwt'],
    ])('%s is UNAUTHENTICATED and creates nobody', async (_, make) => {
      const before = await t.prisma.user.count();
      const r = await gqlFrom(t, uniqIp(), SSO, { t: make() });
      expect(errorCode(r)).toBe('UNAUTHENTICATED');
      expect(r.data).toBeNull();
      expect(await t.prisma.user.count()).toBe(before);
    });

    it('an over-long token is BAD_USER_INPUT', async () => {
      expect(errorCode(await gqlFrom(t, uniqIp(), SSO, { t: 'a'.repeat(9000) }))).toBe('BAD_USER_INPUT');
    });

    it('a disabled SSO user is refused', async () => {
      const sub = `gone-${uniq()}`;
      await gqlFrom(t, uniqIp(), SSO, { t: hsToken({ sub }) });
      await t.prisma.user.update({ where: { externalId: `${ISSUER}|${sub}` }, data: { disabled: true } });
      expect(errorCode(await gqlFrom(t, uniqIp(), SSO, { t: hsToken({ sub }) }))).toBe('FORBIDDEN');
    });
  });

  describe('RS256 partner joining an organisation', () => {
    let t: TestApp;
    const orgName = `partner-org-${uniq()}`;
    beforeAll(
      async () =>
        (t = await startTestApp({ PROCESS_ROLE: 'api',
          SSO_PARTNER_ISSUER: ISSUER,
          SSO_PARTNER_PUBLIC_KEY: pem(partnerKeys.publicKey).replace(/\n/g, '\\n'), // as written on one .env line
          SSO_PARTNER_ORGANIZATION: orgName,
        })),
    );
    afterAll(() => t.close());

    const rsToken = (sub: string, key = partnerKeys.privateKey) =>
      jwt.sign({ sub }, { privateKey: privatePem(key), algorithm: 'RS256', issuer: ISSUER, expiresIn: 300 });

    it('a token signed with the partner key signs in and the user joins the configured organisation', async () => {
      const r = await gqlFrom(t, uniqIp(), SSO, { t: rsToken(`rs-${uniq()}`) });
      expect(r.errors).toBeUndefined();
      expect(r.data!.ssoLogin.user.organization.name).toBe(orgName);
    });

    it('a token signed with another key is refused', async () => {
      expect(errorCode(await gqlFrom(t, uniqIp(), SSO, { t: rsToken(`rs-${uniq()}`, otherKeys.privateKey) }))).toBe('UNAUTHENTICATED');
    });

    it('an HS256 token keyed with the public key (algorithm confusion) is refused', async () => {
      const forged = jwt.sign({ sub: `forged-${uniq()}` }, { secret: pem(partnerKeys.publicKey), algorithm: 'HS256', issuer: ISSUER, expiresIn: 300 });
      expect(errorCode(await gqlFrom(t, uniqIp(), SSO, { t: forged }))).toBe('UNAUTHENTICATED');
    });
  });

  describe('without a configured partner', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp({ PROCESS_ROLE: 'api', SSO_PARTNER_ISSUER: '', SSO_PARTNER_SECRET: '', SSO_PARTNER_PUBLIC_KEY: '' })));
    afterAll(() => t.close());

    it('ssoLogin is FORBIDDEN', async () => {
      expect(errorCode(await gqlFrom(t, uniqIp(), SSO, { t: hsToken({ sub: 'x' }) }))).toBe('FORBIDDEN');
    });
  });
});
