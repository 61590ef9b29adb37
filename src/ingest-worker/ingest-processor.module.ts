import { Module } from '@nestjs/common';
import { BaselineApplierService } from '../baseline/baseline-applier.service.js';
import { BatchApplierService } from './batch-applier.service.js';
import { FileImporterService } from './file-importer.service.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { IngestProcessor } from './ingest.processor.js';
import { IngestSweeperService } from './ingest-sweeper.service.js';
import { SitesModule } from '../sites/sites.module.js';
import { VulnsModule } from '../vulns/vulns.module.js';

/**
 * Ingestion worker side: applies batches and sweeps stuck ones. Loaded where workers run. A folder
 * of its own above ingest, assets and baseline: it hands each batch kind to that kind's applier,
 * while those features create batches through ingest, so none of them imports this one.
 */
@Module({
  imports: [IngestModule, SitesModule, VulnsModule],
  providers: [BaselineApplierService, BatchApplierService, FileImporterService, IngestSweeperService, IngestProcessor],
})
export class IngestProcessorModule {}
