import { Module } from '@nestjs/common';
import { BatchApplier } from './batch-applier.service.js';
import { FileImporter } from './file-importer.service.js';
import { IngestModule } from './ingest.module.js';
import { IngestProcessor } from './ingest.processor.js';
import { IngestSweeper } from './ingest-sweeper.service.js';

/** Ingestion worker side: applies batches and sweeps stuck ones. Loaded where workers run. */
@Module({
  imports: [IngestModule],
  providers: [BatchApplier, FileImporter, IngestSweeper, IngestProcessor],
})
export class IngestProcessorModule {}
