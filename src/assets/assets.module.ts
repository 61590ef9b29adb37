import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { QUEUES } from '../queue/queue.constants.js';
import { AssetStatsService } from './asset-stats.service.js';
import { AssetsResolver } from './assets.resolver.js';
import { AssetsService } from './assets.service.js';
import { ExposureEventsService } from './exposure-events.service.js';
import { ExposuresService } from './exposures.service.js';
import { MonitoredPortsResolver } from './monitored-ports.resolver.js';
import { MonitoredPortsService } from './monitored-ports.service.js';
import { SyncAssetsResolver } from './sync-assets.resolver.js';
import { SyncAssetsService } from './sync-assets.service.js';

/**
 * Assets (hosts), their service ports, monitored ports and exposures. Scanner imports write them
 * through src/assets/import (called by the ingest file importer inside its batch transaction).
 */
@Module({
  imports: [IngestModule, BullModule.registerQueue({ name: QUEUES.assets }, { name: QUEUES.events })],
  providers: [AssetsService, AssetsResolver, MonitoredPortsService, ExposuresService, MonitoredPortsResolver, ExposureEventsService, SyncAssetsService, SyncAssetsResolver, AssetStatsService],
  exports: [ExposureEventsService, AssetStatsService, BullModule],
})
export class AssetsModule {}
