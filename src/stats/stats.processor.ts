import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { QUEUES } from '../queue/queue.constants.js';
import { DRAIN_EVERY_MS, RECONCILE_CRON, STATS_JOBS } from './stats.constants.js';
import { StatsWriter } from './stats-writer.service.js';

/**
 * Consumer of the `stats` queue (workers only) and its two repeatable jobs. Bull keys repeatable
 * jobs by name and schedule, so every worker process registering them yields one schedule.
 */
@Injectable()
export class StatsProcessor implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.stats) private readonly queue: Queue,
    private readonly writer: StatsWriter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.queue.process(STATS_JOBS.drain, 1, () => this.writer.drain());
    void this.queue.process(STATS_JOBS.reconcile, 1, () => this.writer.reconcile());
    const opts = { removeOnComplete: true, removeOnFail: 100, attempts: 1 };
    await this.queue.add(STATS_JOBS.drain, {}, { ...opts, repeat: { every: DRAIN_EVERY_MS }, jobId: STATS_JOBS.drain });
    await this.queue.add(STATS_JOBS.reconcile, {}, { ...opts, repeat: { cron: RECONCILE_CRON }, jobId: STATS_JOBS.reconcile });
  }
}
