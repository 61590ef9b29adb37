import { Redis } from 'ioredis';

export class RedisUnreachableError extends Error {
  constructor(url: string, cause: string) {
    super(
      `Redis is not reachable at ${url} (${cause}). Start one with ` +
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
  client.on('error', () => undefined); // reported through the rejected connect below
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new RedisUnreachableError(url, e instanceof Error ? e.message || e.name : String(e));
  } finally {
    client.disconnect();
  }
}
