import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { unauthenticated } from '../errors/domain-error.js';
import { AppConfig } from '../../config/app-config.js';
import type { Role } from '../../generated/prisma/enums.js';
import { PrismaService } from '../../prisma/prisma.service.js';
import { RedisService } from '../../redis/redis.service.js';
import { AccessTokenService } from './access-token.service.js';
import { sha256 } from './api-key-secret.js';

export interface SessionTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export interface ClientMeta {
  ip?: string;
  userAgent?: string;
}

const revokedKey = (sid: string) => `session:revoked:${sid}`;

/**
 * Sessions = refresh-token families. A login starts a family; every refresh rotates its token;
 * presenting a used token again revokes the whole family. Revoking a family also marks its id
 * in Redis for as long as an access token can live, so the family's access tokens stop working
 * at once (the JWT strategy checks the mark).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
    private readonly config: AppConfig,
    private readonly accessTokens: AccessTokenService,
  ) {}

  /** A new session (family) for a user who just proved who they are. */
  async start(user: { id: number; role: Role }, meta: ClientMeta): Promise<SessionTokens> {
    const familyId = randomUUID();
    const refresh = await this.insertToken(this.prisma, user.id, familyId, meta);
    return this.tokens(user, familyId, refresh);
  }

  /**
   * Exchanges a refresh token for new tokens. Exactly one of several concurrent uses of the same
   * token wins (the conditional UPDATE locks the row); the others see it used and, as for any
   * reuse, revoke the family, since the server cannot tell a race from a stolen token.
   */
  async rotate(token: string, meta: ClientMeta): Promise<{ userId: number; tokens: SessionTokens }> {
    const tokenHash = sha256(token);
    const rotated = await this.prisma.$transaction(async (tx) => {
      const now = new Date();
      const won = await tx.refreshToken.updateMany({
        where: { tokenHash, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (won.count !== 1) return null;
      const row = await tx.refreshToken.findUniqueOrThrow({ where: { tokenHash }, include: { user: true } });
      if (row.user.disabled) return null;
      const refresh = await this.insertToken(tx, row.userId, row.familyId, meta);
      return { user: row.user, familyId: row.familyId, refresh };
    });
    if (!rotated) {
      const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash } });
      if (row?.usedAt && !row.revokedAt) await this.revokeFamilies([row.familyId]);
      throw unauthenticated('Invalid, expired or revoked refresh token');
    }
    return { userId: rotated.user.id, tokens: this.tokens(rotated.user, rotated.familyId, rotated.refresh) };
  }

  /** Ends sessions: their refresh tokens are revoked and their access tokens refused. */
  async revokeFamilies(familyIds: string[]): Promise<void> {
    if (!familyIds.length) return;
    await this.prisma.refreshToken.updateMany({ where: { familyId: { in: familyIds }, revokedAt: null }, data: { revokedAt: new Date() } });
    const ttl = this.accessTokens.ttlSeconds;
    const pipeline = this.redis.pipeline();
    for (const id of familyIds) pipeline.set(revokedKey(id), '1', 'EX', ttl);
    await pipeline.exec();
  }

  /** Ends every session of a user, except `keepFamilyId` (the caller's own, when given). */
  async revokeAllForUser(userId: number, keepFamilyId?: string | null): Promise<void> {
    const families = await this.prisma.refreshToken.findMany({
      where: { userId, revokedAt: null, ...(keepFamilyId ? { familyId: { not: keepFamilyId } } : {}) },
      select: { familyId: true },
      distinct: ['familyId'],
    });
    await this.revokeFamilies(families.map((f) => f.familyId));
  }

  /** One Redis EXISTS: true when the session an access token belongs to has been ended. */
  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.redis.exists(revokedKey(sessionId))) === 1;
  }

  private async insertToken(
    db: Pick<PrismaService, 'refreshToken'>,
    userId: number,
    familyId: string,
    meta: ClientMeta,
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.get('REFRESH_TTL_DAYS') * 86_400_000);
    await db.refreshToken.create({
      data: {
        userId,
        familyId,
        tokenHash: sha256(token),
        expiresAt,
        ip: meta.ip?.slice(0, 64),
        userAgent: meta.userAgent?.slice(0, 300),
      },
    });
    return { token, expiresAt };
  }

  private tokens(user: { id: number; role: Role }, familyId: string, refresh: { token: string; expiresAt: Date }): SessionTokens {
    return {
      accessToken: this.accessTokens.sign(user, familyId),
      accessTokenExpiresAt: new Date(Date.now() + this.accessTokens.ttlSeconds * 1000),
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt,
    };
  }
}
