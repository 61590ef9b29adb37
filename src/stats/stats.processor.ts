import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { QUEUES, STATS_JOBS } from '../queue/queue.constants.js';
import { scheduleRepeatable } from '../queue/repeatable.js';
import { DRAIN_EVERY_MS } from './stats.constants.js';
import { StatsWriterService } from './stats-writer.service.js';

/**
 * Consumer of the `stats` queue (workers only) and its repeatable jobs (reconcile: STATS_RECONCILE_CRON, none when empty). Bull keys repeatable
 * jobs by name and schedule, so every worker process registering them yields one schedule.
 */
@Injectable()
export class StatsProcessor implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.stats) private readonly queue: Queue,
    private readonly writer: StatsWriterService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.queue.process(STATS_JOBS.drain, 1, () => this.writer.drain());
    void this.queue.process(STATS_JOBS.reconcile, 1, () => this.writer.reconcile());
    await scheduleRepeatable(this.queue, STATS_JOBS.drain, { every: DRAIN_EVERY_MS }, { attempts: 1 });
    const cron = this.config.get('STATS_RECONCILE_CRON');
    await scheduleRepeatable(this.queue, STATS_JOBS.reconcile, cron ? { cron } : null, { attempts: 1 });
  }
}
