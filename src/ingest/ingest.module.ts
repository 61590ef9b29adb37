import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { QUEUES } from '../queue/queue.constants.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { IngestBatchRepository } from './ingest-batch.repository.js';
import { IngestDb } from '../db/ingest-db.js';
import { IngestFilesController } from './ingest-files.controller.js';
import { IngestFilesService } from './ingest-files.service.js';
import { MultipartSetup } from './multipart.setup.js';
import { IngestQueueService } from './ingest-queue.service.js';
import { IngestResolver } from './ingest.resolver.js';
import { IngestService } from './ingest.service.js';

/** Ingestion API side: syncVulns, completeVulnScan, syncVulnsFailed, ingestBatch, file uploads. */
@Module({
  imports: [
    TasksModule,
    BullModule.registerQueueAsync({
      name: QUEUES.ingest,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        settings: { lockDuration: config.get('INGEST_LOCK_MS'), stalledInterval: config.get('INGEST_LOCK_MS'), maxStalledCount: 5 },
      }),
    }),
  ],
  controllers: [IngestFilesController],
  providers: [IngestDb, IngestBatchRepository, IngestQueueService, IngestService, IngestResolver, IngestFilesService, MultipartSetup],
  exports: [IngestDb, IngestBatchRepository, IngestQueueService, IngestService, TasksModule, BullModule],
})
export class IngestModule {}
