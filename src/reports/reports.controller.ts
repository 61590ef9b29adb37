import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles, Scopes } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { notFound } from '../common/errors/domain-error.js';
import { ErrorResponse } from '../common/errors/error-response.js';
import { DOCX_TYPE } from './reports.constants.js';
import { ReportsService } from './reports.service.js';
import { RateLimited } from '../common/rate-limit/rate-limited.decorator.js';


/** GET /reports/<id>.docx: a DONE report, to whoever may see its site, until it expires. */
@ApiTags('reports')
@ApiBearerAuth()
@ApiSecurity('ApiKey')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @ApiOperation({ summary: 'A report queued with requestSiteReport, once DONE and until it expires (whoever may see its site; API keys with read:vulns)' })
  @ApiParam({ name: 'file', description: '<report id>.docx (the downloadPath of the report query)' })
  @ApiProduces(DOCX_TYPE)
  @ApiOkResponse({ description: 'The .docx', content: { [DOCX_TYPE]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 401, type: ErrorResponse, description: 'UNAUTHENTICATED' })
  @ApiResponse({ status: 403, type: ErrorResponse, description: 'FORBIDDEN: an API key without read:vulns' })
  @ApiResponse({ status: 404, type: ErrorResponse, description: "NOT_FOUND: unknown, expired, or another organisation's report" })
  @ApiResponse({ status: 409, type: ErrorResponse, description: 'CONFLICT: the report is not DONE yet (or FAILED)' })
  @Roles('ADMIN', 'USER')
  @Scopes('read:vulns')
  @RateLimited('report')
  @Get(':file')
  async download(@CurrentPrincipal() p: Principal, @Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const id = /^(.+)\.docx$/.exec(file)?.[1];
    if (!id) throw notFound('Report', file);
    const { stream, bytes } = await this.reports.download(p, id);
    reply
      .header('content-type', DOCX_TYPE)
      .header('content-length', bytes)
      .header('content-disposition', `attachment; filename="report-${id}.docx"`)
      .header('cache-control', 'no-store');
    return stream;
  }
}
