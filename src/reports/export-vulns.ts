import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import pg from 'pg';
import { readEnv } from '../config/read-env.js';
import { embeddedDatabaseUrl } from '../db/embedded-url.js';
import { streamFindingsCsv } from './csv/stream-findings-csv.js';
import { FindingsCsvQuery } from './inputs/findings-csv.query.js';

/**
 * npm run export:vulns -- --out FILE [--siteId N] [--organizationId N] [--taskId N] [--levels HIGH,CRITICAL]
 *   [--statuses OPEN] [--kind K] [--name N] [--text T] [--seenFrom ISO] [--seenTo ISO]
 *   [--firstSeenFrom ISO] [--firstSeenTo ISO] [--lang zh|en]
 * The same CSV as GET /exports/findings.csv, over every organisation (an operator's command).
 */
async function main() {
  const { values } = parseArgs({
    options: Object.fromEntries(
      ['out', 'siteId', 'organizationId', 'taskId', 'levels', 'statuses', 'kind', 'name', 'text', 'seenFrom', 'seenTo', 'firstSeenFrom', 'firstSeenTo', 'lang'].map(
        (k) => [k, { type: 'string' as const }],
      ),
    ),
  });
  const { out, ...filters } = values;
  if (!out) throw new Error('--out FILE is required');
  const query = plainToInstance(FindingsCsvQuery, filters);
  const problems = await validate(query, { whitelist: true, forbidNonWhitelisted: true });
  if (problems.length) throw new Error(problems.flatMap((p) => Object.values(p.constraints ?? {})).join('; '));
  const env = readEnv();
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL ?? embeddedDatabaseUrl(env.EMBEDDED_PG_PORT), max: 1 });
  try {
    const { lang, ...filter } = query;
    const started = Date.now();
    await pipeline(await streamFindingsCsv(pool, null, filter, lang), createWriteStream(out));
    console.log(`xsc: findings written to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await pool.end();
  }
}

main().catch((e: Error) => {
  console.error(`export:vulns: ${e.message}`);
  process.exit(1);
});
