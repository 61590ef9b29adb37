import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { PrismaService } from '../../../prisma/prisma.service.js';
import { parseApiKey, secretMatches } from '../api-key-secret.js';
import type { ApiKeyPrincipal, ApiKeyScope } from '../principal.js';

/** `Authorization: ApiKey <key>`: looked up by prefix, secret compared against its hash. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async validate(req: { headers: Record<string, string | undefined> }): Promise<ApiKeyPrincipal | false> {
    const header = req.headers.authorization ?? '';
    const match = /^ApiKey\s+(\S+)$/i.exec(header);
    const parsed = match && parseApiKey(match[1]);
    if (!parsed) return false;
    const key = await this.prisma.apiKey.findUnique({ where: { prefix: parsed.prefix } });
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= new Date())) return false;
    if (!secretMatches(parsed.secret, key.secretHash)) return false;
    // last-used is informative: one write a minute per key is enough.
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
      await this.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
    }
    return { kind: 'apiKey', id: key.id, organizationId: key.organizationId, scopes: key.scopes as ApiKeyScope[] };
  }
}
