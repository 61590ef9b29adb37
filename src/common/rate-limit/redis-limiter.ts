import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimited } from '../errors/domain-error.js';
import type { RedisService } from '../../redis/redis.service.js';

/**
 * A Redis-backed counter of `points` per `durationSeconds` (keys under the app's Redis prefix).
 * `blockSeconds`: how long an exhausted key stays refused. With `failOpen`, a Redis that is down does not refuse the call: the process counts alone in
 * memory until Redis is back (for limits on work that must go on without Redis, like ingestion).
 */
export function redisLimiter(
  redis: RedisService,
  name: string,
  points: number,
  durationSeconds: number,
  { blockSeconds = 0, failOpen = false }: { blockSeconds?: number; failOpen?: boolean } = {},
) {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `rl:${name}`,
    points,
    duration: durationSeconds,
    blockDuration: blockSeconds,
    ...(failOpen && {
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: `rl:${name}`, points, duration: durationSeconds, blockDuration: blockSeconds }),
    }),
  });
}

export const retryAfterSeconds = (res: RateLimiterRes): number => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * Consumes one point from each limiter (all keys counted, even when one is already exhausted)
 * and throws RATE_LIMITED with the longest wait when any refused.
 */
export async function consumeAll(message: string, checks: [RateLimiterRedis, string][]): Promise<void> {
  const results = await Promise.allSettled(checks.map(([limiter, key]) => limiter.consume(key)));
  const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (!refused.length) return;
  const waits = refused.map((e) => {
    if (e instanceof RateLimiterRes) return retryAfterSeconds(e);
    throw e; // a Redis failure: internal, not the caller's fault
  });
  throw rateLimited(message, Math.max(...waits));
}
