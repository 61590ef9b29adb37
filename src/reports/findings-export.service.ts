import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { orgScopeId } from '../common/auth/scope.js';
import type { Principal } from '../common/auth/principal.js';
import { streamFindingsCsv } from './csv/stream-findings-csv.js';
import type { FindingsCsvQuery } from './inputs/findings-csv.query.js';
import { SqlPool } from '../db/sql-pool.js';

/** The findings CSV for a caller: the list's organisation scope applied to the list's filter. */
@Injectable()
export class FindingsExportService {
  constructor(private readonly db: SqlPool) {}

  findingsCsv(principal: Principal, { lang, ...filter }: FindingsCsvQuery): Promise<Readable> {
    return streamFindingsCsv(this.db.pool, orgScopeId(principal), filter, lang);
  }
}
