import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles, Scopes } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { badInput } from '../common/errors/domain-error.js';
import { ParseIdPipe } from '../common/validation/id.js';
import { ErrorResponse } from '../common/errors/error-response.js';
import { ApiFindingFilterQuery } from './inputs/finding-filter.api.js';
import { FindingsCsvQuery } from './inputs/findings-csv.query.js';
import { DOCX_TYPE } from './reports.constants.js';
import { ReportsService } from './reports.service.js';

/**
 * GET /sites/<id>/report.docx?lang=zh|en&levels=&statuses=&kind=&name=&text=&seenFrom=...: a small
 * Word report built while the client waits (at most REPORT_DIRECT_MAX_FINDINGS listed findings;
 * larger ones go through requestSiteReport). Same callers as the queued report's download.
 */
@ApiTags('reports')
@ApiBearerAuth()
@ApiSecurity('ApiKey')
@Controller('sites')
export class SiteReportController {
  constructor(private readonly reports: ReportsService) {}

  @ApiOperation({
    summary: "A Word report of a site's findings, built at once (users of the site's organisation, administrators, or an API key with read:vulns)",
    description:
      'The same document as requestSiteReport, answered directly when the filter lists at most REPORT_DIRECT_MAX_FINDINGS ' +
      '(default 500) findings; above that the answer is 413 with code PAYLOAD_TOO_LARGE, reason REPORT_TOO_LARGE: queue it ' +
      'with the GraphQL mutation requestSiteReport and download it from GET /reports/<id>.docx. The filter narrows the ' +
      'listed findings like the vulns list; the summary always covers the whole site.',
  })
  @ApiParam({ name: 'id', description: 'The site' })
  @ApiFindingFilterQuery({ site: false })
  @ApiProduces(DOCX_TYPE)
  @ApiOkResponse({ description: 'The .docx', content: { [DOCX_TYPE]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 400, type: ErrorResponse, description: 'BAD_USER_INPUT: a bad filter or language' })
  @ApiResponse({ status: 401, type: ErrorResponse, description: 'UNAUTHENTICATED' })
  @ApiResponse({ status: 403, type: ErrorResponse, description: 'FORBIDDEN: an API key without read:vulns' })
  @ApiResponse({ status: 404, type: ErrorResponse, description: "NOT_FOUND: no such site, or another organisation's" })
  @ApiResponse({ status: 413, type: ErrorResponse, description: 'PAYLOAD_TOO_LARGE (reason REPORT_TOO_LARGE): more findings than REPORT_DIRECT_MAX_FINDINGS; use requestSiteReport' })
  @Roles('ADMIN', 'USER')
  @Scopes('read:vulns')
  @Get(':id/report.docx')
  async report(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) siteId: number,
    @Query() { lang, ...filter }: FindingsCsvQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (filter.siteId !== undefined && filter.siteId !== siteId) throw badInput('siteId is the path\'s; leave it out of the query', { field: 'siteId' });
    if (filter.organizationId !== undefined) throw badInput('organizationId does not apply to a site report', { field: 'organizationId' });
    const { file, findings } = await this.reports.direct(principal, siteId, lang, filter);
    reply
      .header('content-type', DOCX_TYPE)
      .header('content-length', file.length)
      .header('content-disposition', `attachment; filename="site-${siteId}-report.docx"`)
      .header('x-report-findings', findings)
      .header('cache-control', 'no-store');
    return file;
  }
}
