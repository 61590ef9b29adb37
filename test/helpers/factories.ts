import { randomUUID } from 'node:crypto';
import { newApiKey } from '../../src/common/auth/api-key-secret.js';
import { AccessTokenService } from '../../src/common/auth/access-token.service.js';
import { hashPassword } from '../../src/common/auth/password-hasher.js';
import type { ApiKeyScope } from '../../src/common/auth/principal.js';
import type { Role } from '../../src/generated/prisma/enums.js';
import type { TestApp } from './test-app.js';

/** A short unique suffix, so tests never collide on unique names whatever their order. */
export const uniq = (): string => randomUUID().slice(0, 8);

export async function createOrg(t: TestApp, name = `org-${uniq()}`) {
  return t.prisma.organization.create({ data: { name } });
}

export interface UserWithToken {
  id: number;
  username: string;
  password: string;
  role: Role;
  organizationId: number | null;
  token: string;
}

/** A user (in a new organisation unless one is given) with a valid access token. */
export async function createUser(
  t: TestApp,
  opts: { role?: Role; organizationId?: number | null; password?: string; username?: string } = {},
): Promise<UserWithToken> {
  const password = opts.password ?? `pw-${uniq()}-secret`;
  const organizationId = opts.organizationId !== undefined ? opts.organizationId : (await createOrg(t)).id;
  const user = await t.prisma.user.create({
    data: {
      username: opts.username ?? `user-${uniq()}`,
      passwordHash: await hashPassword(password),
      role: opts.role ?? 'USER',
      organizationId,
    },
  });
  const token = t.app.get(AccessTokenService).sign(user, randomUUID()); // a session of its own
  return { id: user.id, username: user.username, password, role: user.role, organizationId: user.organizationId, token };
}

export const createAdmin = (t: TestApp, organizationId: number | null = null) => createUser(t, { role: 'ADMIN', organizationId });

/** An API key for `organizationId` with these scopes; returns the plain key. */
export async function createApiKey(
  t: TestApp,
  organizationId: number,
  scopes: ApiKeyScope[],
  opts: { expiresAt?: Date; revokedAt?: Date } = {},
): Promise<{ id: number; key: string }> {
  const { key, prefix, secretHash } = newApiKey();
  const row = await t.prisma.apiKey.create({
    data: { name: `key-${uniq()}`, prefix, secretHash, scopes, organizationId, ...opts },
  });
  return { id: row.id, key };
}
