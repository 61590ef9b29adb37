import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { INGEST_JOBS, QUEUES } from '../queue/queue.constants.js';
import { scheduleRepeatable } from '../queue/repeatable.js';
import { TaskRepository } from '../tasks/task.repository.js';
import { IngestBatchRepository } from '../ingest/ingest-batch.repository.js';
import { IngestQueueService } from '../ingest/ingest-queue.service.js';

/**
 * Recovery: batches stuck in RECEIVED/PROCESSING with no live queue job (Redis lost, a crash
 * between commit and enqueue) are queued again; expired task leases return tasks to the pool.
 * Runs at worker start and as a Bull repeatable job (registered again by every worker that
 * starts, so a Redis that lost it gets it back). Idempotent: job id = batch id.
 */
@Injectable()
export class IngestSweeperService {
  private readonly log = new Logger(IngestSweeperService.name);

  constructor(
    @InjectQueue(QUEUES.ingest) private readonly bull: Queue,
    private readonly queue: IngestQueueService,
    private readonly batches: IngestBatchRepository,
    private readonly tasks: TaskRepository,
    private readonly config: AppConfig,
  ) {}

  async start(): Promise<void> {
    await this.sweep();
    await this.ensureRepeatable();
  }

  async sweep(): Promise<number> {
    await this.tasks.releaseExpiredLeases();
    const stuck = await this.batches.unfinished(1000);
    for (const id of stuck) await this.queue.enqueue(id);
    if (stuck.length) this.log.log(`sweep: checked ${stuck.length} unfinished ingest batches`);
    return stuck.length;
  }

  private async ensureRepeatable(): Promise<void> {
    try {
      await scheduleRepeatable(this.bull, INGEST_JOBS.sweep, { every: this.config.get('INGEST_SWEEP_EVERY_MS') }, { removeOnFail: true });
    } catch (e) {
      this.log.warn(`could not schedule the ingest sweep: ${(e as Error).message}`);
    }
  }
}
