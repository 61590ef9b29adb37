import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles, Scopes } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { ErrorResponse } from '../common/errors/error-response.js';
import { ApiFindingFilterQuery } from './inputs/finding-filter.api.js';
import { FindingsCsvQuery } from './inputs/findings-csv.query.js';
import { FindingsExportService } from './findings-export.service.js';
import { RateLimited } from '../common/rate-limit/rate-limited.decorator.js';

/**
 * GET /exports/findings.csv?siteId=&levels=HIGH,CRITICAL&statuses=&kind=&name=&text=&seenFrom=...&lang=en
 * Every finding the `vulns` list would show for that filter (all pages), streamed as CSV.
 * Users (their organisation; administrators everything) or API keys with `read:vulns`.
 */
@ApiTags('reports')
@ApiBearerAuth()
@ApiSecurity('ApiKey')
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: FindingsExportService) {}

  @ApiOperation({
    summary: 'Findings as CSV, streamed (users: their organisation; administrators: all; API keys with read:vulns)',
    description: 'UTF-8 with a byte-order mark, CRLF, header and labels in Chinese unless lang=en, dates ISO 8601 UTC, formula-like cells made inert.',
  })
  @ApiFindingFilterQuery({ site: true })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 400, type: ErrorResponse, description: 'BAD_USER_INPUT: a bad filter or language' })
  @ApiResponse({ status: 401, type: ErrorResponse, description: 'UNAUTHENTICATED' })
  @ApiResponse({ status: 403, type: ErrorResponse, description: 'FORBIDDEN: an API key without read:vulns' })
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
