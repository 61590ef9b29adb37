import { Module } from '@nestjs/common';
import { StatsModule } from './stats.module.js';
import { StatsProcessor } from './stats.processor.js';

/** The `stats` queue consumer; loaded where workers run. */
@Module({ imports: [StatsModule], providers: [StatsProcessor] })
export class StatsWorkerModule {}
