// The API and worker processes a benchmark runs against: `node dist/main.js` / `dist/worker.js`
// in production mode, as a deployment starts them.
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Starts the API (`api`) or a worker (`worker`) with the bench's environment plus `env`
 * (NODE_ENV=production and PROCESS_ROLE set here), `nodeArgs` (heap cap, profiler) before the script.
 */
export function startXsc(role: 'api' | 'worker', env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, role === 'api' ? 'dist/main.js' : 'dist/worker.js'], {
    env: { ...process.env, NODE_ENV: 'production', PROCESS_ROLE: role, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Waits for the API's /health on `port` (up to two minutes: a loaded machine starts slowly). */
export async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('API did not start');
}
