import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export class MigrationError extends Error {
  constructor(output: string) {
    super(`database migrations failed:\n${output.trim()}`);
    this.name = 'MigrationError';
  }
}

/**
 * `prisma migrate deploy` against `databaseUrl` (idempotent; Prisma's advisory lock serialises
 * concurrent runs). Returns a one-line summary: "no pending migrations" or "applied N migrations (...)".
 */
export async function migrateDeploy(databaseUrl: string): Promise<string> {
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const { NODE_OPTIONS: _omit, ...env } = process.env;
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: projectRoot,
      env: { ...env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      maxBuffer: 10 * 1024 * 1024,
    }));
  } catch (e) {
    const { stdout: out = '', stderr = '' } = e as { stdout?: string; stderr?: string };
    throw new MigrationError(`${stderr}\n${out}`);
  }
  if (stdout.includes('No pending migrations')) return 'no pending migrations';
  const applied = [...stdout.matchAll(/└─ (\S+)\/\s*$/gm)].map((m) => m[1]);
  return `applied ${applied.length} migration${applied.length === 1 ? '' : 's'} (${applied.join(', ')})`;
}
