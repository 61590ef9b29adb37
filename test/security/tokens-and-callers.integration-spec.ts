import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { createApiKey, createUser } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';

describe('security: session-less tokens, syncRelatedDomains callers', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('a correctly signed token without a session id is refused (it could never be revoked)', async () => {
    const u = await createUser(t);
    const jwt = t.app.get(JwtService);
    const ME = '{ me { id } }';
    expect((await t.gql(ME, {}, { token: jwt.sign({ sub: u.id, role: 'USER', sid: randomUUID() }) })).data?.me.id).toBe(String(u.id));
    for (const claims of [{ sub: u.id, role: 'USER' }, { sub: u.id, role: 'USER', sid: null }, { sub: u.id, role: 'USER', sid: '' }]) {
      expect(errorCode(await t.gql(ME, {}, { token: jwt.sign(claims) }))).toBe('UNAUTHENTICATED');
    }
  });

  it('syncRelatedDomains: users of the site\'s organisation may call it, as documented; others see no site', async () => {
    const u = await createUser(t);
    const host = `${randomUUID().slice(0, 8)}.example.com`;
    const site = await t.prisma.site.create({ data: { organizationId: u.organizationId!, url: `https://www.${host}`, domain: 'example.com', name: host } });
    const SYNC = 'mutation($i: SyncRelatedDomainsInput!) { syncRelatedDomains(input: $i) { accepted rejected } }';
    const i = { siteId: String(site.id), hostnames: [`mail.${host}`, 'elsewhere.example.org'] };
    expect((await t.gql(SYNC, { i }, u)).data?.syncRelatedDomains).toEqual({ accepted: 1, rejected: ['elsewhere.example.org'] });
    const key = await createApiKey(t, u.organizationId!, ['sync:vulns']);
    expect((await t.gql(SYNC, { i }, { apiKey: key.key })).data?.syncRelatedDomains.accepted).toBe(1);
    expect(errorCode(await t.gql(SYNC, { i }, await createUser(t)))).toBe('NOT_FOUND');
    expect(await t.prisma.relatedDomain.count({ where: { siteId: site.id } })).toBe(1);
  });
});
