import { Controller, Get, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles, Scopes } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { FindingsCsvQuery } from './inputs/findings-csv.query.js';
import { FindingsExportService } from './findings-export.service.js';
import { RateLimited } from '../common/rate-limit/rate-limited.decorator.js';

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
  @RateLimited('export')
  @Get('findings.csv')
  async findings(@CurrentPrincipal() principal: Principal, @Query() query: FindingsCsvQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    const csv = await this.exports.findingsCsv(principal, query);
    // Set here, not with @Header: an error answer must keep its JSON content type.
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="findings.csv"')
      .header('cache-control', 'no-store');
    return csv;
  }
}
