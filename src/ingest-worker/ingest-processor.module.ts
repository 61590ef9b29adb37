import { Module } from '@nestjs/common';
import { BaselineApplier } from '../baseline/baseline-applier.service.js';
import { BatchApplier } from './batch-applier.service.js';
import { FileImporter } from './file-importer.service.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { IngestProcessor } from './ingest.processor.js';
import { IngestSweeper } from './ingest-sweeper.service.js';

/** Ingestion worker side: applies batches and sweeps stuck ones. Loaded where workers run. */
@Module({
  imports: [IngestModule],
  providers: [BaselineApplier, BatchApplier, FileImporter, IngestSweeper, IngestProcessor],
})
export class IngestProcessorModule {}
