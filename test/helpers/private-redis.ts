// A private redis-server on a free port, for tests that flush or stop Redis: the shared one on
// 6379 is never touched.
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './processes.js';

export interface PrivateRedis {
  url: string;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  let client: Redis;
  for (let i = 0; ; i++) {
    client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    try {
      await client.connect();
      await client.ping();
      break;
    } catch (e) {
      client.disconnect();
      if (i > 50) {
        proc.kill('SIGKILL');
        throw e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    flush: async () => void (await client.flushall()),
    stop: async () => {
      client.disconnect();
      proc.kill('SIGKILL');
    },
  };
}
