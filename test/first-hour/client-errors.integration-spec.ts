import { JwtService } from '@nestjs/jwt';
import { createUser, uniq } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';

// Errors a client can act on: an expired token (refresh), a duplicate site (go to it), an internal address (a warning).
describe('errors a client can act on', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const ME = '{ me { id } }';
  const CREATE = 'mutation($i: CreateSiteInput!) { createSite(input: $i) { id url warning } }';
  const UPDATE = 'mutation($i: UpdateSiteInput!) { updateSite(input: $i) { id } }';

  it('an expired access token is UNAUTHENTICATED with reason TOKEN_EXPIRED; a bad one is INVALID_CREDENTIALS', async () => {
    const user = await createUser(t);
    const expired = t.app.get(JwtService).sign({ sub: user.id, role: user.role, sid: null }, { expiresIn: -60 });
    const r = await t.gql(ME, {}, { token: expired });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    expect(r.errors?.[0].message).toMatch(/expired.*refreshToken/);

    const forged = new JwtService({ secret: 'x'.repeat(40) }).sign({ sub: user.id, role: user.role, sid: null }, { expiresIn: 600 });
    const bad = await t.gql(ME, {}, { token: forged });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
    expect(errorCode(await t.gql(ME, {}, { token: 'not.a.jwt' }))).toBe('UNAUTHENTICATED');
    expect((await t.gql(ME, {}, { token: user.token })).data?.me.id).toBe(String(user.id));

    // REST answers the same way
    const rest = await t.http().post('/ingest/files').set('authorization', `Bearer ${expired}`).query({ taskId: 1, format: 'ZAP' });
    expect(rest.status).toBe(401);
    expect(rest.body.error).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
  });

  it('a duplicate site is CONFLICT in plain words with the existing site id, on create and on update', async () => {
    const user = await createUser(t);
    const host = `dup-${uniq()}.example.com`;
    const first = await t.gql(CREATE, { i: { url: `https://${host}` } }, user);
    const id = first.data?.createSite.id;
    const again = await t.gql(CREATE, { i: { url: `HTTPS://${host.toUpperCase()}/` } }, user);
    expect(again.errors?.[0]).toMatchObject({
      message: 'This site already exists in this organisation',
      extensions: { code: 'CONFLICT', details: { field: 'url', siteId: id } },
    });
    const other = await t.gql(CREATE, { i: { url: `https://other-${host}` } }, user);
    const moved = await t.gql(UPDATE, { i: { id: other.data?.createSite.id, url: `https://${host}` } }, user);
    expect(moved.errors?.[0]).toMatchObject({ message: 'This site already exists in this organisation', extensions: { details: { siteId: id } } });
  });

  it('a private or loopback address is accepted with a warning that the probe will not reach it', async () => {
    const user = await createUser(t);
    const internal = await t.gql(CREATE, { i: { url: `http://127.0.0.1:${10000 + Math.floor(Math.random() * 50000)}` } }, user);
    expect(internal.errors).toBeUndefined();
    expect(internal.data?.createSite.warning).toMatch(/127\.0\.0\.1 is a private or loopback address.*BLOCKED_ADDRESS/);
    const q = await t.gql('query($id: ID!) { site(id: $id) { warning } }', { id: internal.data?.createSite.id }, user);
    expect(q.data?.site.warning).toBe(internal.data?.createSite.warning);
    const pub = await t.gql(CREATE, { i: { url: `https://pub-${uniq()}.example.com` } }, user);
    expect(pub.data?.createSite.warning).toBeNull();
  });
});
