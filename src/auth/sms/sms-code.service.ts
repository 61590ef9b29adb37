import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { badInput, DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';
import { AppConfig } from '../../config/app-config.js';
import { RedisService } from '../../redis/redis.service.js';
import { sha256 } from '../../common/auth/api-key-secret.js';
import { consumeAll, redisLimiter } from '../../common/rate-limit/redis-limiter.js';
import type { SmsCodePurpose } from '../inputs/auth.inputs.js';
import { SMS_SENDER, type SmsSender } from './sms-sender.js';

export type SmsPurpose = `${SmsCodePurpose}`;

/** Redis hash holding a pending code: its SHA-256 and the wrong guesses so far. */
export const smsCodeKey = (purpose: SmsPurpose, phone: string) => `sms:code:${purpose}:${phone}`;

/**
 * One-time SMS codes: 6 random digits, stored hashed in Redis with a TTL, sent through the
 * configured sender, limited per phone and per IP; a code is consumed by its first correct use
 * and discarded after SMS_CODE_MAX_ATTEMPTS wrong guesses.
 */
@Injectable()
export class SmsCodeService {
  private readonly logger = new Logger(SmsCodeService.name);
  private readonly perPhone;
  private readonly perIp;

  constructor(
    @Inject(SMS_SENDER) private readonly sender: SmsSender,
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {
    this.perPhone = redisLimiter(redis, 'sms-phone', config.get('SMS_MAX_PER_PHONE_PER_HOUR'), 3600);
    this.perIp = redisLimiter(redis, 'sms-ip', config.get('SMS_MAX_PER_IP_PER_HOUR'), 3600);
  }

  async send(purpose: SmsPurpose, phone: string, ip: string): Promise<{ expiresAt: Date }> {
    await consumeAll('Too many SMS codes requested; try again later', [
      [this.perPhone, phone],
      [this.perIp, ip],
    ]);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const ttl = this.config.get('SMS_CODE_TTL_SECONDS');
    const key = smsCodeKey(purpose, phone);
    await this.redis.multi().del(key).hset(key, { hash: sha256(code), attempts: 0 }).expire(key, ttl).exec();
    try {
      await this.sender.send({ phone, purpose, body: `Your xsc verification code is ${code}. It expires in ${Math.round(ttl / 60)} minutes.` });
    } catch (e) {
      await this.redis.del(key);
      this.logger.error(e instanceof Error ? e.message : String(e));
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The SMS could not be sent; try again later');
    }
    return { expiresAt: new Date(Date.now() + ttl * 1000) };
  }

  /** Consumes the code or throws BAD_USER_INPUT; safe against two concurrent correct uses. */
  async verify(purpose: SmsPurpose, phone: string, code: string): Promise<void> {
    const key = smsCodeKey(purpose, phone);
    const res = await this.redis.multi().hget(key, 'hash').hincrby(key, 'attempts', 1).exec();
    const hash = res?.[0]?.[1] as string | null | undefined;
    const attempts = Number(res?.[1]?.[1]);
    if (!hash) {
      await this.redis.del(key); // hincrby created an empty hash
      throw badInput('The SMS code has expired or was never sent; request a new one', { field: 'code' });
    }
    if (attempts > this.config.get('SMS_CODE_MAX_ATTEMPTS')) {
      await this.redis.del(key);
      throw badInput('Too many wrong SMS codes; request a new one', { field: 'code' });
    }
    if (sha256(code) !== hash) throw badInput('Wrong SMS code', { field: 'code' });
    if ((await this.redis.del(key)) !== 1) throw badInput('The SMS code was already used', { field: 'code' });
  }
}
