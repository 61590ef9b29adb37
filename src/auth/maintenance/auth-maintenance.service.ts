import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { PrismaService } from '../../prisma/prisma.service.js';

/** How long log-sender messages stay in the outbox. */
export const SMS_OUTBOX_RETENTION_DAYS = 7;

/**
 * Keeps the auth tables small: refresh tokens past their expiry, or revoked longer than an
 * access token lives, can no longer matter; outbox messages are for development only.
 * Idempotent: running it twice deletes nothing more.
 */
@Injectable()
export class AuthMaintenanceService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
  ) {}

  async purge(now = new Date()): Promise<{ refreshTokens: number; smsOutbox: number }> {
    const revokedBefore = new Date(now.getTime() - this.config.get('JWT_ACCESS_TTL_SECONDS') * 1000);
    const tokens = await this.prisma.refreshToken.deleteMany({
      where: { OR: [{ expiresAt: { lt: now } }, { revokedAt: { lt: revokedBefore } }] },
    });
    const outbox = await this.prisma.smsOutbox.deleteMany({
      where: { createdAt: { lt: new Date(now.getTime() - SMS_OUTBOX_RETENTION_DAYS * 86_400_000) } },
    });
    return { refreshTokens: tokens.count, smsOutbox: outbox.count };
  }
}
