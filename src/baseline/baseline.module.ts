import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { BaselineResultsService } from './baseline-results.service.js';
import { BaselineScriptsResolver } from './baseline-scripts.resolver.js';
import { BaselineScriptsService } from './baseline-scripts.service.js';
import { BaselineStatsService } from './baseline-stats.service.js';
import { BaselineSyncService } from './baseline-sync.service.js';
import { BaselineResolver } from './baseline.resolver.js';

/** Baseline scripts, results, statistics and posture; agents' syncBaseline (applied by the ingest worker). */
@Module({
  imports: [IngestModule],
  providers: [BaselineScriptsService, BaselineScriptsResolver, BaselineResultsService, BaselineStatsService, BaselineSyncService, BaselineResolver],
})
export class BaselineModule {}
