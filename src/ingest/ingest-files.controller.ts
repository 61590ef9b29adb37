import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiSecurity, ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Scopes } from '../common/auth/decorators.js';
import type { ApiKeyPrincipal } from '../common/auth/principal.js';
import { FILE_FIELD, IngestFilesService } from './ingest-files.service.js';
import { UploadFileQuery } from './inputs/upload-file.query.js';
import { ErrorResponse } from '../common/errors/error-response.js';
import { IngestBatchResponse, toBatchResponse } from './models/ingest-batch.response.js';
import { RateLimited } from '../common/rate-limit/rate-limited.decorator.js';

/**
 * POST /ingest/files?taskId=&format=NUCLEI|ZAP|OPENVAS|NMAP|MASSCAN|NAABU|HTTPX|KUBE_BENCH|XCCDF[&seq=][&idempotencyKey=] with a
 * multipart/form-data body holding one `file` part (up to INGEST_MAX_FILE_MB). Answers 202 with
 * the batch as GraphQL's ingestBatch shows it; follow it with that query. A file that cannot be
 * parsed FAILS its batch with the reason and changes nothing.
 */
@ApiTags('scanners')
@ApiSecurity('ApiKey')
@Controller('ingest')
export class IngestFilesController {
  constructor(private readonly files: IngestFilesService) {}

  @ApiOperation({
    summary: 'Upload a scanner report file for a task (API key with the sync:vulns scope; sync:baseline for KUBE_BENCH and XCCDF)',
    description:
      'The file is stored before the answer and imported by a worker: poll the GraphQL query ingestBatch(id) until ' +
      'its status is DONE or FAILED. Findings on hosts that are not targets of the task are rejected one by one ' +
      '(see rejections) unless the task has autoCreateSites. Then end the scan with the completeVulnScan mutation.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: [FILE_FIELD], properties: { [FILE_FIELD]: { type: 'string', format: 'binary' } } },
    description: `Exactly one part: the file, in the "${FILE_FIELD}" field. Any other field is refused (400).`,
  })
  @ApiAcceptedResponse({ type: IngestBatchResponse, description: 'The batch, stored (or the earlier batch of the same idempotencyKey)' })
  @ApiResponse({ status: 400, type: ErrorResponse, description: 'BAD_USER_INPUT: a bad parameter, no file, an unknown multipart field' })
  @ApiResponse({ status: 401, type: ErrorResponse, description: 'UNAUTHENTICATED: no, unknown, expired or revoked API key' })
  @ApiResponse({ status: 403, type: ErrorResponse, description: "FORBIDDEN: the key lacks the format's scope (sync:vulns or sync:baseline)" })
  @ApiResponse({ status: 404, type: ErrorResponse, description: "NOT_FOUND: no such task, or another organisation's (the same answer)" })
  @ApiResponse({ status: 409, type: ErrorResponse, description: 'CONFLICT: the task is finished, or the idempotencyKey was used for another task' })
  @ApiResponse({ status: 413, type: ErrorResponse, description: 'PAYLOAD_TOO_LARGE: the file is larger than INGEST_MAX_FILE_MB' })
  // Any API key; the service requires sync:vulns or sync:baseline depending on the format.
  @Scopes()
  @RateLimited('ingest')
  @Post('files')
  @HttpCode(202)
  async upload(@CurrentPrincipal() key: ApiKeyPrincipal, @Query() query: UploadFileQuery, @Req() req: FastifyRequest): Promise<IngestBatchResponse> {
    return toBatchResponse(await this.files.upload(key, query, req));
  }
}
