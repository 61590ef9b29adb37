import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Scopes } from '../auth/decorators.js';
import type { ApiKeyPrincipal } from '../auth/principal.js';
import { IngestFilesService } from './ingest-files.service.js';
import { UploadFileQuery } from './inputs/upload-file.query.js';

/**
 * POST /ingest/files?taskId=&format=NUCLEI|ZAP|OPENVAS|NMAP|MASSCAN|NAABU|HTTPX[&seq=][&idempotencyKey=] with a
 * multipart/form-data body holding one `file` part (up to INGEST_MAX_FILE_MB). Answers 202 with
 * the batch; follow it with the ingestBatch query. A file that cannot be parsed FAILS its batch
 * with the reason and changes nothing.
 */
@Controller('ingest')
export class IngestFilesController {
  constructor(private readonly files: IngestFilesService) {}

  @Scopes('sync:vulns')
  @Post('files')
  @HttpCode(202)
  upload(@CurrentPrincipal() key: ApiKeyPrincipal, @Query() query: UploadFileQuery, @Req() req: FastifyRequest) {
    return this.files.upload(key, query, req);
  }
}
