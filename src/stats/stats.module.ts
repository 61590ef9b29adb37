import { Module } from '@nestjs/common';
import { StatsLagService } from './stats-lag.service.js';
import { StatsQueryService } from './stats-query.service.js';
import { StatsResolver } from './stats.resolver.js';
import { StatsWriter } from './stats-writer.service.js';
import { TimelineService } from './timeline.service.js';

/** Finding statistics: queries over the aggregates, and their writer (the worker is StatsWorkerModule). */
@Module({
  providers: [StatsQueryService, TimelineService, StatsLagService, StatsWriter, StatsResolver],
  exports: [StatsWriter, StatsQueryService],
})
export class StatsModule {}
