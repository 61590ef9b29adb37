import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { QUEUES, REPORT_JOBS } from '../queue/queue.constants.js';
import { scheduleRepeatable } from '../queue/repeatable.js';
import { type GenerateJobData } from './reports.constants.js';
import { ReportsService } from './reports.service.js';

/**
 * Consumer of the `reports` queue (workers only): generates reports, and deletes expired ones
 * as a repeatable job (scheduling it from several workers yields one schedule).
 */
@Injectable()
export class ReportsProcessor implements OnApplicationBootstrap {
  private readonly log = new Logger(ReportsProcessor.name);

  constructor(
    @InjectQueue(QUEUES.reports) private readonly queue: Queue,
    private readonly reports: ReportsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.queue.process(REPORT_JOBS.generate, 1, (job: Job<GenerateJobData>) => this.generate(job));
    void this.queue.process(REPORT_JOBS.cleanup, 1, () => this.cleanup());
    await scheduleRepeatable(this.queue, REPORT_JOBS.cleanup, { every: this.config.get('REPORT_CLEANUP_EVERY_MS') }, { removeOnFail: true });
  }

  private async generate(job: Job<GenerateJobData>) {
    const { reportId } = job.data;
    this.log.debug(`report ${reportId}: start (attempt ${job.attemptsMade + 1})`);
    try {
      return await this.reports.generate(reportId);
    } catch (e) {
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await this.reports.fail(reportId, (e as Error).message);
      throw e;
    }
  }

  private async cleanup() {
    const deleted = await this.reports.deleteExpired();
    if (deleted) this.log.log(`deleted ${deleted} expired reports`);
    return deleted;
  }
}
