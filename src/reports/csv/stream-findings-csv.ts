import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import pg from 'pg';
import type { VulnFilter } from '../../vulns/inputs/vuln-filter.input.js';
import type { ReportLang } from '../labels.js';
import { inertCell } from './csv-cells.js';
import { csvHeader, findingsCsvSql } from './findings-csv.sql.js';

/** The socket under a pooled pg client (pg keeps it as `connection.stream`). */
const socketOf = (client: pg.PoolClient): Socket => (client as unknown as { connection: { stream: Socket } }).connection.stream;

/**
 * The findings export as a CSV byte stream: one query on one pooled connection, its rows piped
 * through csv-stringify (UTF-8 BOM, CRLF, header in `lang`) as PostgreSQL sends them.
 *
 * Not a cursor: a cursor's FETCH is a round trip per batch, during which either PostgreSQL or
 * this process waits for the other (half the speed). Instead the server streams the rows, and
 * TCP is the back-pressure: when csv-stringify's buffer is full the socket stops being read
 * until it drains, so the server blocks on send and never more than a socket buffer of rows is
 * in memory. When the consumer goes away before the end (client disconnected, stream destroyed)
 * the socket is destroyed, so PostgreSQL's next send fails and the query ends there.
 */
export async function streamFindingsCsv(pool: pg.Pool, scopeOrgId: number | null, filter: VulnFilter, lang: ReportLang): Promise<Readable> {
  const { text, values } = findingsCsvSql(scopeOrgId, filter, lang);
  const client = await pool.connect();
  const socket = socketOf(client);
  const csv = stringify({
    bom: true,
    header: true,
    columns: csvHeader(lang),
    record_delimiter: 'windows',
    cast: { string: inertCell },
  });
  let released = false;
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    if (err) socket.destroy(); // a paused socket would hold the server mid-send; cut it
    else socket.resume();
    client.release(err); // with an error, pg discards the connection instead of pooling it
  };
  const arrays: pg.QueryArrayConfig = { text, values, rowMode: 'array' };
  const query = new pg.Query<unknown[]>(arrays);
  query.on('row', (row: unknown[]) => {
    if (!released && !csv.write(row)) socket.pause();
  });
  csv.on('drain', () => socket.resume());
  query.on('end', () => {
    release();
    csv.end();
  });
  query.on('error', (e: Error) => {
    release(e);
    csv.destroy(e);
  });
  csv.on('close', () => release(new Error('findings export aborted')));
  client.query(query);
  return csv;
}
