/** The database `npm start` creates in its embedded PostgreSQL. */
export const EMBEDDED_DB_NAME = 'xsc';

/** Where the embedded PostgreSQL of `npm start` answers (the worker and the seed connect there too). */
export function embeddedDatabaseUrl(port: number, database = EMBEDDED_DB_NAME): string {
  return `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`;
}
