import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';

/** The shared Redis connection for short-lived state (captcha answers, rate limits, locks). */
@Injectable()
export class RedisService extends Redis implements OnModuleDestroy {
  constructor(config: AppConfig) {
    super(config.get('REDIS_URL'), { keyPrefix: `${config.get('QUEUE_PREFIX')}:`, maxRetriesPerRequest: 3 });
  }

  async onModuleDestroy(): Promise<void> {
    await this.quit().catch(() => this.disconnect());
  }
}
