import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Int, Query, Resolver } from '@nestjs/graphql';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../src/app.module.js';
import { CurrentPrincipal, Scopes } from '../../src/common/auth/decorators.js';
import { parseApiKey } from '../../src/common/auth/api-key-secret.js';
import type { ApiKeyPrincipal } from '../../src/common/auth/principal.js';
import { loadEnv } from '../../src/config/env.schema.js';
import { createAdmin, createApiKey, createOrg, createUser, uniq } from '../helpers/factories.js';
import { errorCode, testAppOf, type TestApp } from '../helpers/test-app.js';

/** Stands in for a scanner operation (ingest, task claim) so the guard's scope check runs for real. */
@Resolver()
class ScopeProbeResolver {
  @Scopes('sync:vulns', 'tasks:claim')
  @Query(() => Int)
  scopeProbe(@CurrentPrincipal() key: ApiKeyPrincipal) {
    return key.organizationId;
  }
}

@Module({ providers: [ScopeProbeResolver] })
class ScopeProbeModule {}

/** The real application plus the probe operation. */
async function startAppWithProbe(): Promise<TestApp> {
  const env = loadEnv(process.env);
  @Module({ imports: [AppModule.register(env), ScopeProbeModule] })
  class ProbedAppModule {}
  return testAppOf(await NestFactory.create<NestFastifyApplication>(ProbedAppModule, new FastifyAdapter(), { logger: false }));
}

const CREATE = `mutation($i: CreateApiKeyInput!) {
  createApiKey(input: $i) { secret apiKey { id name prefix scopes organizationId organization { name } expiresAt revokedAt active createdById } }
}`;
const WHOAMI = '{ apiKeyWhoAmI { id name scopes organizationId organization { id name } expiresAt lastUsedAt } }';
const PROBE = '{ scopeProbe }';

describe('auth: scanner API keys', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startAppWithProbe()));
  afterAll(() => t.close());

  async function newKey(scopes: string[], extra: Record<string, unknown> = {}) {
    const admin = await createAdmin(t);
    const org = await createOrg(t);
    const r = await t.gql(CREATE, { i: { name: `scanner-${uniq()}`, organizationId: org.id, scopes, ...extra } }, admin);
    expect(r.errors).toBeUndefined();
    return { admin, org, ...(r.data!.createApiKey as { secret: string; apiKey: Record<string, any> }) };
  }

  it('an admin creates a key: the secret is shown once and stored only as a hash', async () => {
    const { admin, org, secret, apiKey } = await newKey(['SYNC_VULNS', 'TASKS_CLAIM']);
    expect(secret).toMatch(/^xsc_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ organizationId: String(org.id), scopes: ['SYNC_VULNS', 'TASKS_CLAIM'], active: true, revokedAt: null, createdById: String(admin.id) });
    expect(secret.startsWith(`xsc_${apiKey.prefix}_`)).toBe(true);
    const row = await t.prisma.apiKey.findUniqueOrThrow({ where: { id: Number(apiKey.id) } });
    expect(row.scopes).toEqual(['sync:vulns', 'tasks:claim']);
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(parseApiKey(secret)!.secret); // (the secret may itself contain '_')
    const list = await t.gql('query($o: ID) { apiKeys(organizationId: $o) { totalCount nodes { id prefix } } }', { o: org.id }, admin);
    expect(list.data?.apiKeys).toEqual({ totalCount: 1, nodes: [{ id: apiKey.id, prefix: apiKey.prefix }] });
    expect(JSON.stringify(list)).not.toContain(secret);
  });

  it('a key authenticates with "Authorization: ApiKey <key>"; apiKeyWhoAmI tells its organisation and scopes', async () => {
    const { org, secret, apiKey } = await newKey(['SYNC_BASELINE']);
    const r = await t.gql(WHOAMI, {}, { apiKey: secret });
    expect(r.errors).toBeUndefined();
    expect(r.data?.apiKeyWhoAmI).toMatchObject({ id: apiKey.id, scopes: ['SYNC_BASELINE'], organization: { id: String(org.id), name: org.name } });
    expect(r.data?.apiKeyWhoAmI.lastUsedAt).not.toBeNull();
  });

  it('a key may call an operation only with every scope it requires', async () => {
    const { org, secret } = await newKey(['SYNC_VULNS', 'TASKS_CLAIM']);
    const ok = await t.gql(PROBE, {}, { apiKey: secret });
    expect(ok.data?.scopeProbe).toBe(org.id);
    const partial = await newKey(['SYNC_VULNS']);
    const denied = await t.gql(PROBE, {}, { apiKey: partial.secret });
    expect(errorCode(denied)).toBe('FORBIDDEN');
    expect(denied.errors?.[0].message).toMatch(/tasks:claim/);
    expect(denied.data).toBeNull();
  });

  it('an expired key is refused', async () => {
    const org = await createOrg(t);
    const key = await createApiKey(t, org.id, ['sync:vulns', 'tasks:claim'], { expiresAt: new Date(Date.now() - 1000) });
    expect(errorCode(await t.gql(WHOAMI, {}, { apiKey: key.key }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gql(PROBE, {}, { apiKey: key.key }))).toBe('UNAUTHENTICATED');
  });

  it('a key with a future expiry works until then', async () => {
    const { secret, apiKey } = await newKey(['SYNC_FLOWS'], { expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(apiKey.expiresAt).not.toBeNull();
    expect((await t.gql(WHOAMI, {}, { apiKey: secret })).errors).toBeUndefined();
    await t.prisma.apiKey.update({ where: { id: Number(apiKey.id) }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(errorCode(await t.gql(WHOAMI, {}, { apiKey: secret }))).toBe('UNAUTHENTICATED');
  });

  it('a revoked key is refused at once; revoking twice is harmless', async () => {
    const { admin, secret, apiKey } = await newKey(['SYNC_VULNS', 'TASKS_CLAIM']);
    expect((await t.gql(PROBE, {}, { apiKey: secret })).errors).toBeUndefined();
    const REVOKE = 'mutation($id: ID!) { revokeApiKey(id: $id) { id active revokedAt } }';
    const r = await t.gql(REVOKE, { id: apiKey.id }, admin);
    expect(r.data?.revokeApiKey).toMatchObject({ active: false });
    expect(r.data?.revokeApiKey.revokedAt).not.toBeNull();
    expect(errorCode(await t.gql(PROBE, {}, { apiKey: secret }))).toBe('UNAUTHENTICATED');
    expect((await t.gql(REVOKE, { id: apiKey.id }, admin)).data?.revokeApiKey.revokedAt).toBe(r.data?.revokeApiKey.revokedAt);
  });

  it('a wrong secret with a valid prefix, or a malformed key, is refused', async () => {
    const { secret } = await newKey(['SYNC_VULNS']);
    const tampered = secret.slice(0, -4) + (secret.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const apiKey of [tampered, 'xsc_short', 'garbage', `${secret} extra`]) {
      expect(errorCode(await t.gql(WHOAMI, {}, { apiKey }))).toBe('UNAUTHENTICATED');
    }
  });

  it('an API key cannot call user or admin operations', async () => {
    const { secret } = await newKey(['SYNC_VULNS', 'SYNC_BASELINE', 'SYNC_FLOWS', 'TASKS_CLAIM']);
    const org = await createOrg(t);
    for (const [q, v] of [
      ['{ me { id } }', {}],
      ['{ users { totalCount } }', {}],
      ['{ organizations { id } }', {}],
      ['{ apiKeys { totalCount } }', {}],
      [CREATE, { i: { name: 'escalate', organizationId: org.id, scopes: ['SYNC_VULNS'] } }],
      ['mutation { logout }', {}],
    ] as const) {
      const r = await t.gql(q, v, { apiKey: secret });
      expect(errorCode(r)).toBe('FORBIDDEN');
    }
  });

  it('users (even admins) cannot call scanner operations; a USER cannot manage keys', async () => {
    const admin = await createAdmin(t);
    expect(errorCode(await t.gql(WHOAMI, {}, admin))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(PROBE, {}, admin))).toBe('FORBIDDEN');
    const user = await createUser(t);
    const { apiKey } = await newKey(['SYNC_VULNS']);
    expect(errorCode(await t.gql(CREATE, { i: { name: 'mine', organizationId: user.organizationId, scopes: ['SYNC_VULNS'] } }, user))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql('{ apiKeys { totalCount } }', {}, user))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: apiKey.id }, user))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(WHOAMI))).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['no scopes', 'BAD_USER_INPUT', { scopes: [] }],
    ['an unknown scope', 'BAD_USER_INPUT', { scopes: ['ROOT'] }],
    ['a repeated scope', 'BAD_USER_INPUT', { scopes: ['SYNC_VULNS', 'SYNC_VULNS'] }],
    ['an expiry in the past', 'BAD_USER_INPUT', { expiresAt: '2000-01-01T00:00:00Z' }],
    ['an invalid date', 'BAD_USER_INPUT', { expiresAt: 'tomorrow' }],
    ['an over-long name', 'BAD_USER_INPUT', { name: 'k'.repeat(101) }],
    ['an empty name', 'BAD_USER_INPUT', { name: '' }],
    ['an unknown organisation', 'NOT_FOUND', { organizationId: 99_999_999 }],
    ['a non-numeric organisation id', 'BAD_USER_INPUT', { organizationId: 'abc' }],
  ])('createApiKey with %s is %s', async (_, code, override) => {
    const admin = await createAdmin(t);
    const org = await createOrg(t);
    const before = await t.prisma.apiKey.count();
    const r = await t.gql(CREATE, { i: { name: 'scanner', organizationId: org.id, scopes: ['SYNC_VULNS'], ...override } }, admin);
    expect(r.status).toBeLessThan(500);
    expect(errorCode(r)).toBe(code);
    expect(await t.prisma.apiKey.count()).toBe(before);
  });

  it('apiKeys pages through an organisation\'s keys and can hide inactive ones', async () => {
    const admin = await createAdmin(t);
    const org = await createOrg(t);
    const keys = [];
    for (let i = 0; i < 3; i++) keys.push(await createApiKey(t, org.id, ['sync:vulns']));
    await createApiKey(t, org.id, ['sync:vulns'], { revokedAt: new Date() });
    await createApiKey(t, org.id, ['sync:vulns'], { expiresAt: new Date(Date.now() - 1000) });
    const Q = 'query($o: ID, $a: String, $i: Boolean) { apiKeys(organizationId: $o, first: 2, after: $a, includeInactive: $i) { totalCount nodes { id active } pageInfo { hasNextPage endCursor } } }';
    const all = await t.gql(Q, { o: org.id }, admin);
    expect(all.data?.apiKeys.totalCount).toBe(5);
    const first = await t.gql(Q, { o: org.id, i: false }, admin);
    expect(first.data?.apiKeys.totalCount).toBe(3);
    const second = await t.gql(Q, { o: org.id, i: false, a: first.data?.apiKeys.pageInfo.endCursor }, admin);
    const ids = [...first.data!.apiKeys.nodes, ...second.data!.apiKeys.nodes].map((n: { id: string; active: boolean }) => (expect(n.active).toBe(true), n.id));
    expect(ids.sort()).toEqual(keys.map((k) => String(k.id)).sort());
    expect(second.data?.apiKeys.pageInfo.hasNextPage).toBe(false);
  });

  it('revoking an unknown key is NOT_FOUND', async () => {
    const admin = await createAdmin(t);
    expect(errorCode(await t.gql('mutation { revokeApiKey(id: 99999999) { id } }', {}, admin))).toBe('NOT_FOUND');
  });
});
