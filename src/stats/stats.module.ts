import { Module } from '@nestjs/common';
import { StatsLagService } from './stats-lag.service.js';
import { StatsQueryService } from './stats-query.service.js';
import { StatsResolver } from './stats.resolver.js';
import { StatsWriterService } from './stats-writer.service.js';
import { TimelineService } from './timeline.service.js';

/** Finding statistics: queries over the aggregates, and their writer (the worker is StatsWorkerModule). */
@Module({
  providers: [StatsQueryService, TimelineService, StatsLagService, StatsWriterService, StatsResolver],
  exports: [StatsWriterService, StatsQueryService],
})
export class StatsModule {}
