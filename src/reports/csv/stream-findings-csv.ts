import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { VulnFilter } from '../../vulns/inputs/vuln-filter.input.js';
import type { ReportLang } from '../labels.js';
import { inertCell } from './csv-cells.js';
import { csvHeader, findingsCsvSql } from './findings-csv.sql.js';

/** Rows fetched per round trip of the cursor. */
const BATCH_ROWS = 2000;

/**
 * The findings export as a CSV byte stream: a server-side cursor on one pooled connection,
 * piped through csv-stringify (UTF-8 BOM, CRLF, header in `lang`), never more than a few
 * batches in memory. When the consumer goes away before the end (client disconnected, stream
 * destroyed) the connection is closed rather than returned, so PostgreSQL ends the query.
 */
export async function streamFindingsCsv(pool: pg.Pool, scopeOrgId: number | null, filter: VulnFilter, lang: ReportLang): Promise<Readable> {
  const { text, values } = findingsCsvSql(scopeOrgId, filter, lang);
  const client = await pool.connect();
  const rows = client.query(new QueryStream(text, values, { batchSize: BATCH_ROWS, rowMode: 'array' }));
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
    client.release(err); // with an error, pg destroys the connection instead of pooling it
  };
  rows.on('end', () => release());
  rows.on('error', (e) => {
    release(e);
    csv.destroy(e);
  });
  csv.on('close', () => {
    if (!released) {
      rows.destroy();
      release(new Error('findings export aborted'));
    }
  });
  rows.pipe(csv);
  return csv;
}
