import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QUEUES } from '../queue/queue.constants.js';
import { StatsModule } from './stats.module.js';
import { StatsProcessor } from './stats.processor.js';

/** The `stats` queue consumer; loaded where workers run. */
@Module({ imports: [StatsModule, BullModule.registerQueue({ name: QUEUES.stats })], providers: [StatsProcessor] })
export class StatsWorkerModule {}
