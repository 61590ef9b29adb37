import { Module } from '@nestjs/common';
import { BaselineApplier } from '../baseline/baseline-applier.service.js';
import { BatchApplier } from './batch-applier.service.js';
import { FileImporter } from './file-importer.service.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { IngestProcessor } from './ingest.processor.js';
import { IngestSweeper } from './ingest-sweeper.service.js';

/**
 * Ingestion worker side: applies batches and sweeps stuck ones. Loaded where workers run. A folder
 * of its own above ingest, assets and baseline: it hands each batch kind to that kind's applier,
 * while those features create batches through ingest, so none of them imports this one.
 */
@Module({
  imports: [IngestModule],
  providers: [BaselineApplier, BatchApplier, FileImporter, IngestSweeper, IngestProcessor],
})
export class IngestProcessorModule {}
