import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import svgCaptcha from 'svg-captcha';
import { badInput } from '../../common/errors/domain-error.js';
import { AppConfig } from '../../config/app-config.js';
import { RedisService } from '../../redis/redis.service.js';
import { consumeAll, redisLimiter } from '../../common/rate-limit/redis-limiter.js';

/** Redis key of a captcha's answer (tests read it, as a person reads the image). */
export const captchaKey = (id: string) => `captcha:${id}`;

export interface CaptchaChallenge {
  id: string;
  svg: string;
  expiresAt: Date;
}

/**
 * SVG captchas (svg-captcha). The answer lives in Redis under the captcha id with a TTL and is
 * deleted by the first attempt, right or wrong: a captcha is good for one try only.
 */
@Injectable()
export class CaptchaService {
  private readonly perIp;

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {
    this.perIp = redisLimiter(redis, 'captcha-ip', config.get('CAPTCHA_MAX_PER_IP_PER_MINUTE'), 60);
  }

  async create(ip: string): Promise<CaptchaChallenge> {
    await consumeAll('Too many captcha requests; try again later', [[this.perIp, ip]]);
    const { text, data } = svgCaptcha.create({ size: 5, noise: 3, ignoreChars: '0oO1iIlL', width: 150, height: 50 });
    const id = randomUUID();
    const ttl = this.config.get('CAPTCHA_TTL_SECONDS');
    await this.redis.set(captchaKey(id), text.toLowerCase(), 'EX', ttl);
    return { id, svg: data, expiresAt: new Date(Date.now() + ttl * 1000) };
  }

  /** Throws BAD_USER_INPUT (details.captchaRequired) unless the answer is right; single use. */
  async verify(id: string | undefined, answer: string | undefined): Promise<void> {
    if (!id || !answer) throw badInput('A captcha is required', { captchaRequired: true });
    const expected = await this.redis.getdel(captchaKey(id));
    if (!expected) throw badInput('The captcha has expired or was already used; request a new one', { captchaRequired: true, captchaInvalid: true });
    if (expected !== answer.trim().toLowerCase()) {
      throw badInput('Wrong captcha answer; request a new one', { captchaRequired: true, captchaInvalid: true });
    }
  }
}
