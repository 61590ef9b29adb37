import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { withTimeout } from '../common/timeout.js';
import { INGEST_JOBS, QUEUES } from '../queue/queue.constants.js';
import { type ApplyJobData } from './ingest.constants.js';

/** Producer for the ingest queue. The batch row is always committed before this is called. */
@Injectable()
export class IngestQueueService {
  private readonly log = new Logger(IngestQueueService.name);

  constructor(@InjectQueue(QUEUES.ingest) readonly queue: Queue<ApplyJobData>) {}

  /**
   * Queues a batch (job id = batch id, or a distinct id for a wake-up). Bull ignores an add whose
   * id still exists, even finished, so a completed or failed job of that id is removed first.
   */
  async enqueue(batchId: string, jobId = batchId): Promise<void> {
    const existing = await this.queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if (state !== 'completed' && state !== 'failed') return; // waiting, delayed or active: it will run
      await existing.remove();
    }
    await this.queue.add(INGEST_JOBS.apply, { batchId }, { jobId });
  }

  /** Like enqueue, but a Redis failure is only logged: the batch is durable and the sweep queues it. */
  async tryEnqueue(batchId: string, jobId = batchId): Promise<void> {
    try {
      await withTimeout(this.enqueue(batchId, jobId), 5000, 'timed out');
    } catch (e) {
      this.log.warn(`could not queue ingest batch ${batchId} (the sweep will): ${(e as Error).message}`);
    }
  }
}
