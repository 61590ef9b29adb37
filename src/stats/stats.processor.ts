import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { QUEUES } from '../queue/queue.constants.js';
import { DRAIN_EVERY_MS, STATS_JOBS } from './stats.constants.js';
import { StatsWriter } from './stats-writer.service.js';

/**
 * Consumer of the `stats` queue (workers only) and its repeatable jobs (reconcile: STATS_RECONCILE_CRON, none when empty). Bull keys repeatable
 * jobs by name and schedule, so every worker process registering them yields one schedule.
 */
@Injectable()
export class StatsProcessor implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.stats) private readonly queue: Queue,
    private readonly writer: StatsWriter,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.queue.process(STATS_JOBS.drain, 1, () => this.writer.drain());
    void this.queue.process(STATS_JOBS.reconcile, 1, () => this.writer.reconcile());
    const opts = { removeOnComplete: true, removeOnFail: 100, attempts: 1 };
    await this.queue.add(STATS_JOBS.drain, {}, { ...opts, repeat: { every: DRAIN_EVERY_MS }, jobId: STATS_JOBS.drain });
    const cron = this.config.get('STATS_RECONCILE_CRON');
    for (const job of await this.queue.getRepeatableJobs()) {
      if (job.name === STATS_JOBS.reconcile && job.cron !== cron) await this.queue.removeRepeatableByKey(job.key);
    }
    if (cron) await this.queue.add(STATS_JOBS.reconcile, {}, { ...opts, repeat: { cron }, jobId: STATS_JOBS.reconcile });
  }
}
