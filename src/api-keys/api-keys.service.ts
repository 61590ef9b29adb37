import { Injectable } from '@nestjs/common';
import { badInput, notFound } from '../common/errors/domain-error.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { newApiKey } from '../common/auth/api-key-secret.js';
import type { ApiKeyPrincipal, UserPrincipal } from '../common/auth/principal.js';
import { toApiKey } from './models/api-key.model.js';
import type { ApiKeysArgs, CreateApiKeyInput } from './inputs/create-api-key.input.js';
import type { Prisma } from '../generated/prisma/client.js';
import { afterIdDesc, toConnection } from '../graphql/pagination.js';

/** Scanner API keys (the old vul/apiKey): administrators create, list and revoke them. */
@Injectable()
export class ApiKeysService {
  constructor(private readonly prisma: PrismaService) {}

  async create(admin: UserPrincipal, input: CreateApiKeyInput) {
    if (input.expiresAt && input.expiresAt <= new Date()) throw badInput('expiresAt must be in the future', { field: 'expiresAt' });
    if (!(await this.prisma.organization.count({ where: { id: input.organizationId } }))) {
      throw notFound('Organization', input.organizationId);
    }
    const { key, prefix, secretHash } = newApiKey();
    const row = await this.prisma.apiKey.create({
      data: {
        name: input.name.trim(),
        prefix,
        secretHash,
        scopes: [...input.scopes],
        organizationId: input.organizationId,
        createdById: admin.id,
        expiresAt: input.expiresAt ?? null,
      },
    });
    return { apiKey: toApiKey(row), secret: key };
  }

  async list(args: ApiKeysArgs) {
    const now = new Date();
    const where: Prisma.ApiKeyWhereInput = {
      ...(args.organizationId !== undefined ? { organizationId: args.organizationId } : {}),
      ...(args.includeInactive ? {} : { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }),
    };
    const [rows, total] = await Promise.all([
      this.prisma.apiKey.findMany({ where: { ...where, ...afterIdDesc(args.after) }, orderBy: { id: 'desc' }, take: args.first + 1 }),
      this.prisma.apiKey.count({ where }),
    ]);
    return toConnection(rows.map(toApiKey), args.first, total, (k) => [k.id]);
  }

  /** Revoking is immediate (the strategy reads the key on every request) and idempotent. */
  async revoke(id: number) {
    const row = await this.prisma.apiKey.findUnique({ where: { id } });
    if (!row) throw notFound('API key', id);
    if (row.revokedAt) return toApiKey(row);
    return toApiKey(await this.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } }));
  }

  /** The calling key itself, so a scanner can check its organisation, scopes and expiry. */
  async whoAmI(principal: ApiKeyPrincipal) {
    return toApiKey(await this.prisma.apiKey.findUniqueOrThrow({ where: { id: principal.id } }));
  }
}
