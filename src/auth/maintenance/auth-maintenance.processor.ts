import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { PURGE_AUTH_JOB, QUEUES } from '../../queue/queue.constants.js';
import { scheduleRepeatable } from '../../queue/repeatable.js';
import { AuthMaintenanceService } from './auth-maintenance.service.js';

/** Daily at 03:17; the repeat key makes scheduling from several workers a no-op. */
export const PURGE_AUTH_CRON = '17 3 * * *';

/** Consumer of the `maintenance` queue (workers only). */
@Injectable()
export class AuthMaintenanceProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthMaintenanceProcessor.name);

  constructor(
    private readonly service: AuthMaintenanceService,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.queue.process(PURGE_AUTH_JOB, 1, () => this.purge());
    await scheduleRepeatable(this.queue, PURGE_AUTH_JOB, { cron: PURGE_AUTH_CRON });
  }

  private async purge() {
    this.logger.log('purging expired sessions and old outbox messages');
    const result = await this.service.purge();
    this.logger.log(`purged ${result.refreshTokens} refresh tokens, ${result.smsOutbox} outbox messages`);
    return result;
  }
}
