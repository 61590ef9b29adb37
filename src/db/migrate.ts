import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `prisma migrate deploy` against `databaseUrl` (idempotent; Prisma's advisory lock serialises concurrent runs). */
export async function migrateDeploy(databaseUrl: string): Promise<string> {
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const { NODE_OPTIONS: _omit, ...env } = process.env;
  const { stdout } = await run(process.execPath, [cli, 'migrate', 'deploy'], {
    cwd: projectRoot,
    env: { ...env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    maxBuffer: 10 * 1024 * 1024,
  });
  const applied = /(\d+) migrations? (?:found|applied)/.exec(stdout);
  return stdout.includes('No pending migrations') ? 'no pending migrations' : (applied?.[0] ?? 'migrations applied');
}
