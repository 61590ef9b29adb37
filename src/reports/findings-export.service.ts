import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { orgScopeId } from '../auth/scope.js';
import type { Principal } from '../auth/principal.js';
import { streamFindingsCsv } from './csv/stream-findings-csv.js';
import type { FindingsCsvQuery } from './inputs/findings-csv.query.js';
import { ReportsDb } from './reports-db.js';

/** The findings CSV for a caller: the list's organisation scope applied to the list's filter. */
@Injectable()
export class FindingsExportService {
  constructor(private readonly db: ReportsDb) {}

  findingsCsv(principal: Principal, { lang, ...filter }: FindingsCsvQuery): Promise<Readable> {
    return streamFindingsCsv(this.db.pool, orgScopeId(principal), filter, lang);
  }
}
