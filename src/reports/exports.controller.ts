import { Controller, Get, Header, Query } from '@nestjs/common';
import { CurrentPrincipal, Roles, Scopes } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { FindingsCsvQuery } from './inputs/findings-csv.query.js';
import { FindingsExportService } from './findings-export.service.js';

/**
 * GET /exports/findings.csv?siteId=&levels=HIGH,CRITICAL&statuses=&kind=&name=&text=&seenFrom=...&lang=en
 * Every finding the `vulns` list would show for that filter (all pages), streamed as CSV.
 * Users (their organisation; administrators everything) or API keys with `read:vulns`.
 */
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: FindingsExportService) {}

  @Roles('ADMIN', 'USER')
  @Scopes('read:vulns')
  @Get('findings.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="findings.csv"')
  @Header('cache-control', 'no-store')
  findings(@CurrentPrincipal() principal: Principal, @Query() query: FindingsCsvQuery) {
    return this.exports.findingsCsv(principal, query);
  }
}
