// Real processes for fault tests: a private Redis (never the shared one) and xsc workers.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

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

/** Compiles src to dist so the fault tests run the real `node dist/worker.js`. */
export function buildDist(): void {
  const { NODE_OPTIONS: _omit, ...env } = process.env;
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { env, stdio: 'inherit' });
}

export function startWorker(env: Record<string, string>): ChildProcess {
  const { NODE_OPTIONS: _omit, ...base } = process.env;
  return spawn(process.execPath, ['dist/worker.js'], {
    env: { ...base, PROCESS_ROLE: 'worker', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export function stop(p: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.once('exit', () => resolve());
    p.kill(signal);
  });
}
