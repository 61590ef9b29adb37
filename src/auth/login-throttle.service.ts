import { Injectable } from '@nestjs/common';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimited } from '../common/errors/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { RedisService } from '../redis/redis.service.js';
import { redisLimiter, retryAfterSeconds } from '../common/rate-limit/redis-limiter.js';

/**
 * Failed-login counters per account name and per IP (Redis, rate-limiter-flexible). Past
 * AUTH_MAX_FAILS_* the account or IP is locked for the window; past AUTH_CAPTCHA_AFTER_* a
 * captcha is required. Keyed by the name typed, so unknown and known accounts behave alike.
 */
@Injectable()
export class LoginThrottleService {
  private readonly byAccount;
  private readonly byIp;

  constructor(
    redis: RedisService,
    private readonly config: AppConfig,
  ) {
    const window = config.get('AUTH_FAIL_WINDOW_SECONDS');
    this.byAccount = redisLimiter(redis, 'login-fail-account', config.get('AUTH_MAX_FAILS_PER_ACCOUNT'), window, { blockSeconds: window });
    this.byIp = redisLimiter(redis, 'login-fail-ip', config.get('AUTH_MAX_FAILS_PER_IP'), window, { blockSeconds: window });
  }

  /** Throws RATE_LIMITED when locked; tells whether this attempt needs a captcha. */
  async check(account: string, ip: string): Promise<{ captchaRequired: boolean }> {
    const [acc, addr] = await Promise.all([this.byAccount.get(account), this.byIp.get(ip)]);
    const locked = [
      [acc, this.config.get('AUTH_MAX_FAILS_PER_ACCOUNT')],
      [addr, this.config.get('AUTH_MAX_FAILS_PER_IP')],
    ].filter(([res, max]) => res && (res as RateLimiterRes).consumedPoints >= (max as number));
    if (locked.length) {
      const wait = Math.max(...locked.map(([res]) => retryAfterSeconds(res as RateLimiterRes)));
      throw rateLimited('Too many failed sign-in attempts; try again later', wait);
    }
    return { captchaRequired: this.needsCaptcha(acc?.consumedPoints ?? 0, addr?.consumedPoints ?? 0) };
  }

  /** Counts a failure; tells whether the next attempt needs a captcha. */
  async fail(account: string, ip: string): Promise<{ captchaRequired: boolean }> {
    const counts = await Promise.all([this.byAccount, this.byIp].map((l, i) => l.consume(i ? ip : account).then(
      (r) => r.consumedPoints,
      (e: unknown) => {
        if (e instanceof Error) throw e; // Redis failure
        return (e as RateLimiterRes).consumedPoints;
      },
    )));
    return { captchaRequired: this.needsCaptcha(counts[0], counts[1]) };
  }

  async succeed(account: string): Promise<void> {
    await this.byAccount.delete(account);
  }

  private needsCaptcha(accountFails: number, ipFails: number): boolean {
    const afterAccount = this.config.get('AUTH_CAPTCHA_AFTER_FAILS');
    const afterIp = this.config.get('AUTH_CAPTCHA_AFTER_IP_FAILS');
    return accountFails >= afterAccount || (afterIp > 0 && ipFails >= afterIp);
  }
}
