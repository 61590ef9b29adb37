import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { INGEST_JOBS, QUEUES } from '../queue/queue.constants.js';
import { BatchApplierService } from './batch-applier.service.js';
import { IngestSweeperService } from './ingest-sweeper.service.js';
import { type ApplyJobData } from '../ingest/ingest.constants.js';
import { ParseError } from '../ingest/parsers/types.js';

/**
 * Consumer of the `ingest` queue (workers only); `apply` runs INGEST_CONCURRENCY jobs at a time.
 */
@Injectable()
export class IngestProcessor implements OnApplicationBootstrap {
  private readonly log = new Logger(IngestProcessor.name);

  constructor(
    @InjectQueue(QUEUES.ingest) private readonly queue: Queue,
    private readonly applier: BatchApplierService,
    private readonly sweeper: IngestSweeperService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.queue.process(INGEST_JOBS.apply, this.config.get('INGEST_CONCURRENCY'), (job: Job<ApplyJobData>) => this.apply(job));
    void this.queue.process(INGEST_JOBS.sweep, 1, () => this.sweeper.sweep());
    await this.sweeper.start();
  }

  private async apply(job: Job<ApplyJobData>) {
    const { batchId } = job.data;
    this.log.debug(`ingest batch ${batchId}: start (attempt ${job.attemptsMade + 1})`);
    try {
      const outcome = await this.applier.apply(batchId);
      this.log.debug(`ingest batch ${batchId}: ${outcome}`);
      return outcome;
    } catch (e) {
      if (e instanceof ParseError) {
        await this.applier.fail(batchId, e.message); // the file itself is bad: retrying cannot help
        await job.discard();
        return 'failed';
      }
      const attempts = job.attemptsMade + 1;
      this.log.error(`ingest batch ${batchId}: attempt ${attempts} failed: ${(e as Error).stack ?? String(e)}`);
      if (attempts >= (job.opts.attempts ?? 1)) {
        // Database messages name hosts, tables and values: they stay in the log, never in the batch.
        await this.applier.fail(
          batchId,
          `Could not be applied after ${attempts} attempt${attempts === 1 ? '' : 's'} (an internal error, logged by the worker); retry it with retryIngestBatch`,
        );
      }
      throw e;
    }
  }
}
