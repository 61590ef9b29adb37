import type { Role } from '../../generated/prisma/enums.js';

export const API_KEY_SCOPES = ['sync:vulns', 'sync:baseline', 'sync:flows', 'tasks:claim', 'read:vulns'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A signed-in person (JWT). `sessionId` is the refresh-token family the access token belongs to. */
export interface UserPrincipal {
  kind: 'user';
  id: number;
  username: string;
  role: Role;
  organizationId: number | null;
  sessionId: string | null;
}

/** A scanner authenticated with `Authorization: ApiKey <key>`. */
export interface ApiKeyPrincipal {
  kind: 'apiKey';
  id: number;
  organizationId: number;
  scopes: ApiKeyScope[];
}

export type Principal = UserPrincipal | ApiKeyPrincipal;
