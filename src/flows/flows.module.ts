import { Module } from '@nestjs/common';
import { FlowIngestService } from './flow-ingest.service.js';
import { FlowNdjsonService } from './flow-ndjson.service.js';
import { FlowQueryService } from './flow-query.service.js';
import { FlowsIngestController } from './flows-ingest.controller.js';
import { FlowsResolver } from './flows.resolver.js';

/** Flow logs, API side: syncFlow, POST /ingest/flows, flow records and aggregates. */
@Module({
  controllers: [FlowsIngestController],
  providers: [FlowIngestService, FlowNdjsonService, FlowQueryService, FlowsResolver],
})
export class FlowsModule {}
