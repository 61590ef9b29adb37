// A private redis-server on a free port, for tests that flush or stop Redis: the shared one on
// 6379 is never touched.
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './processes.js';

export interface PrivateRedis {
  url: string;
  flush(): Promise<void>;
  /** Kills the server and waits for it to exit (clients see Redis gone); safe to call twice. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty, once stopped. */
  restart(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let proc: ChildProcess;
  let client: Redis;
  const start = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    client = await connectWhenReady(url, proc);
  };
  const stop = async () => {
    client.disconnect();
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    flush: async () => void (await client.flushall()),
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}

/** Pings the new server until it answers (about five seconds at most, then kills it). */
async function connectWhenReady(url: string, proc: ChildProcess): Promise<Redis> {
  for (let i = 0; ; i++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    try {
      await client.connect();
      await client.ping();
      return client;
    } catch (e) {
      client.disconnect();
      if (i > 50) {
        proc.kill('SIGKILL');
        throw e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
