import { Redis } from 'ioredis';
import { redactUrl } from '../config/redact-url.js';

export class RedisUnreachableError extends Error {
  constructor(url: string, cause: string) {
    super(
      `Redis is not reachable at ${redactUrl(url)} (${cause}). Start one with ` +
        `"redis-server --daemonize yes" or point REDIS_URL at a running Redis.`,
    );
    this.name = 'RedisUnreachableError';
  }
}

/** Pings Redis once with a short timeout, so a missing Redis fails the boot instead of hanging it. */
export async function ensureRedis(url: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let lastError: Error | undefined; // ioredis rejects with "Connection is closed"; the event says why
  client.on('error', (e: Error) => (lastError = e));
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new RedisUnreachableError(url, lastError?.message || (e instanceof Error ? e.message || e.name : String(e)));
  } finally {
    client.disconnect();
  }
}
