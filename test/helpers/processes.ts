import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root directory (where package.json and dist/ live). */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Longest a process under test may take to reach a line or exit before it is declared hung. */
const HANG_MS = 60_000; // the seed imports demo scans; a shared CI machine can be slow

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching `re`; rejects if the process exits first or hangs. */
  waitFor(re: RegExp): Promise<string>;
  /** Waits for the process to exit by itself (declared hung after a while). */
  exit(): Promise<Exit>;
  /** Kills the whole process group at once (cleanup after a failed test). */
  kill(): void;
  /** Sends `signal` (to the whole process group with `group`) and waits for the exit. */
  stop(signal?: NodeJS.Signals, opts?: { group?: boolean }): Promise<Exit>;
}

/**
 * Runs a compiled entry point (`node dist/<entry>.js`) the way `npm start` does, with exactly
 * the environment given (plus PATH and HOME). `npm test` builds dist/ first.
 */
export function runEntry(entry: 'main' | 'worker' | 'seed', env: Record<string, string | undefined>, cwd: string): RunningProcess {
  const script = path.join(PROJECT_ROOT, 'dist', `${entry}.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` (\`npm test\` does it first)`);
  const clean = Object.fromEntries(Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, ...env }).filter(([, v]) => v !== undefined));
  // detached: its own process group, so a test can signal node and PostgreSQL together, as Ctrl-C does.
  const child = spawn(process.execPath, [script], { cwd, env: clean, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const describe = () => `\n--- stdout ---\n${out.slice(-3000)}\n--- stderr ---\n${err.slice(-3000)}`;

  const hangGuard = <T>(what: string, p: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        killGroup(child, 'SIGKILL');
        reject(new Error(`${entry}.js hung: no ${what} within ${HANG_MS / 1000} s${describe()}`));
      }, HANG_MS);
    });
    return Promise.race([p, hung]).finally(() => clearTimeout(timer));
  };

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit: () => hangGuard('exit', exited),
    kill: () => killGroup(child, 'SIGKILL'),
    waitFor(re) {
      const found = new Promise<string>((resolve, reject) => {
        const check = () => {
          const line = out.split('\n').find((l) => re.test(l));
          if (line !== undefined) {
            child.stdout.off('data', check);
            resolve(line);
          }
        };
        child.stdout.on('data', check);
        check();
        void exited.then((e) => reject(new Error(`${entry}.js exited (${e.code ?? e.signal}) before printing ${re}${describe()}`)));
      });
      return hangGuard(String(re), found);
    },
    async stop(signal = 'SIGTERM', opts = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        if (opts.group) killGroup(child, signal);
        else child.kill(signal);
      }
      return hangGuard(`exit after ${signal}`, exited);
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The environment the boot tests start from: the test database and Redis, quiet logs. */
export function baseEnv(): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    QUEUE_PREFIX: process.env.QUEUE_PREFIX,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
  };
}

/** A bare `node dist/worker.js` with the test environment plus `env` (fault tests kill it at will). */
export function startWorker(env: Record<string, string>): ChildProcess {
  const { NODE_OPTIONS: _omit, ...base } = process.env;
  return spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'worker.js')], {
    cwd: PROJECT_ROOT,
    env: { ...base, PROCESS_ROLE: 'worker', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Sends `signal` and waits for the exit (at once if it is already gone). */
export function stop(p: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.once('exit', () => resolve());
    p.kill(signal);
  });
}
