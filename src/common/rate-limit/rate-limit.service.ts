import { Injectable } from '@nestjs/common';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal.js';
import { consumeAll, redisLimiter } from './redis-limiter.js';
import { AppConfig } from '../../config/app-config.js';
import { RedisService } from '../../redis/redis.service.js';
import { RATE_LIMIT_CLASSES, type RateLimitClass } from './rate-limit-classes.js';

/**
 * Counters in Redis (shared by every API process) per class of expensive operation: one per
 * caller (user or API key) and one per client IP. A call counts against both; either one
 * exhausted answers RATE_LIMITED with the wait in retryAfterSeconds. While Redis is down
 * each process counts in memory instead.
 */
@Injectable()
export class RateLimitService {
  private readonly limiters = new Map<RateLimitClass, { caller: RateLimiterRedis; ip: RateLimiterRedis }>();

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  async consume(cls: RateLimitClass, principal: Principal | undefined, ip: string | undefined): Promise<void> {
    const { caller, ip: byIp } = this.limitersOf(cls);
    const checks: [RateLimiterRedis, string][] = [];
    if (principal) checks.push([caller, principal.kind === 'apiKey' ? `key:${principal.id}` : `user:${principal.id}`]);
    if (ip) checks.push([byIp, ip]);
    await consumeAll(`Too many ${RATE_LIMIT_CLASSES[cls].what}; try again later`, checks);
  }

  private limitersOf(cls: RateLimitClass) {
    let found = this.limiters.get(cls);
    if (!found) {
      const { perCaller, perIp } = RATE_LIMIT_CLASSES[cls];
      const window = this.config.get('RATE_LIMIT_WINDOW_SECONDS');
      found = {
        // Fail open: ingestion stays durable without Redis, so its limits must not refuse it then.
        caller: redisLimiter(this.redis, `op-${cls}`, this.config.get(perCaller), window, { failOpen: true }),
        ip: redisLimiter(this.redis, `op-${cls}-ip`, this.config.get(perIp), window, { failOpen: true }),
      };
      this.limiters.set(cls, found);
    }
    return found;
  }
}
