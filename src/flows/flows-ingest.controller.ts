import { Controller, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Scopes } from '../common/auth/decorators.js';
import type { ApiKeyPrincipal } from '../common/auth/principal.js';
import { FlowNdjsonService } from './flow-ndjson.service.js';
import { IngestFlowsQuery } from './inputs/ingest-flows.query.js';
import { RateLimited } from '../common/rate-limit/rate-limited.decorator.js';

/**
 * POST /ingest/flows[?chunkKey=] with Content-Type application/x-ndjson: one flow record per
 * line (xsc or GoFlow2 field names), up to FLOW_MAX_BODY_MB of NDJSON, gzip allowed
 * (Content-Encoding: gzip). Answers 200 with the batch once every valid record is stored.
 */
@Controller('ingest')
export class FlowsIngestController {
  constructor(private readonly ndjson: FlowNdjsonService) {}

  @Scopes('sync:flows')
  @RateLimited('ingest')
  @Post('flows')
  ingest(@CurrentPrincipal() key: ApiKeyPrincipal, @Query() query: IngestFlowsQuery, @Req() req: FastifyRequest) {
    return this.ndjson.ingest(key, query.chunkKey, req);
  }
}
