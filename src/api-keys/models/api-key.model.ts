import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Paginated } from '../../graphql/pagination.js';
import { Organization } from '../../organizations/models/organization.model.js';

/** GraphQL names for the scopes (`sync:vulns` is not a valid enum name); values are the scopes. */
export enum ApiKeyScopeEnum {
  SYNC_VULNS = 'sync:vulns',
  SYNC_BASELINE = 'sync:baseline',
  SYNC_FLOWS = 'sync:flows',
  TASKS_CLAIM = 'tasks:claim',
  READ_VULNS = 'read:vulns',
}
registerEnumType(ApiKeyScopeEnum, {
  name: 'ApiKeyScope',
  description: 'What a scanner key may do: SYNC_VULNS, SYNC_BASELINE, SYNC_FLOWS, TASKS_CLAIM, READ_VULNS (findings export and site reports)',
});

@ObjectType({ description: 'A scanner API key (its secret is never shown again after creation)' })
export class ApiKey {
  @Field(() => ID) id: number;
  @Field() name: string;
  @Field({ description: 'Public part of the key, xsc_<prefix>_...' }) prefix: string;
  @Field(() => [ApiKeyScopeEnum]) scopes: string[];
  @Field(() => ID) organizationId: number;
  @Field(() => Organization) organization?: Organization;
  @Field(() => ID, { nullable: true }) createdById: number | null;
  @Field(() => Date, { nullable: true }) expiresAt: Date | null;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
  @Field() createdAt: Date;
  @Field({ description: 'Neither revoked nor expired' }) active: boolean;
}

@ObjectType()
export class ApiKeyConnection extends Paginated(ApiKey) {}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey) apiKey: ApiKey;
  @Field({ description: 'The full key, xsc_<prefix>_<secret>: shown this once only' }) secret: string;
}

export function toApiKey(row: Omit<ApiKey, 'active' | 'organization'>): ApiKey {
  const active = !row.revokedAt && (!row.expiresAt || row.expiresAt > new Date());
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    organizationId: row.organizationId,
    createdById: row.createdById,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    createdAt: row.createdAt,
    active,
  };
}
