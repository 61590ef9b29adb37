import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { hashPassword } from '../common/auth/password-hasher.js';
import { AppConfig } from '../config/app-config.js';
import { PrismaService } from '../prisma/prisma.service.js';

/**
 * First start (the old `initial.js`): creates the administrator named by ADMIN_USERNAME /
 * ADMIN_PASSWORD when no administrator exists. Safe with several processes starting at once:
 * the username is unique, so a second creator fails harmlessly.
 */
@Injectable()
export class AdminInitializer implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminInitializer.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const username = this.config.get('ADMIN_USERNAME')?.trim().toLowerCase(); // as login normalises it
    const password = this.config.get('ADMIN_PASSWORD');
    if (!username || !password) return;
    if (await this.prisma.user.count({ where: { role: 'ADMIN' } })) return;
    const passwordHash = await hashPassword(password);
    const created = await this.prisma.user
      .create({ data: { username, passwordHash, role: 'ADMIN', displayName: 'Administrator' } })
      .catch((e: { code?: string }) => {
        if (e.code === 'P2002') return null; // another process (or an existing USER) took the name
        throw e;
      });
    if (created) this.logger.log(`created administrator "${username}"`);
    else this.logger.warn(`administrator "${username}" not created: the username is taken`);
  }
}
