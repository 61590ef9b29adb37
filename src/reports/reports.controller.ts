import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles, Scopes } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { notFound } from '../common/errors/domain-error.js';
import { ReportsService } from './reports.service.js';
import { RateLimited } from '../common/rate-limit/rate-limited.decorator.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** GET /reports/<id>.docx: a DONE report, to whoever may see its site, until it expires. */
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Roles('ADMIN', 'USER')
  @Scopes('read:vulns')
  @RateLimited('report')
  @Get(':file')
  async download(@CurrentPrincipal() p: Principal, @Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const id = /^(.+)\.docx$/.exec(file)?.[1];
    if (!id) throw notFound('Report', file);
    const { stream, bytes } = await this.reports.download(p, id);
    reply
      .header('content-type', DOCX)
      .header('content-length', bytes)
      .header('content-disposition', `attachment; filename="report-${id}.docx"`)
      .header('cache-control', 'no-store');
    return stream;
  }
}
