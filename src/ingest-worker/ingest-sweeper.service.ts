import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { QUEUES } from '../queue/queue.constants.js';
import { scheduleRepeatable } from '../queue/repeatable.js';
import { TasksService } from '../tasks/tasks.service.js';
import { IngestDb } from '../db/ingest-db.js';
import { IngestQueue } from '../ingest/ingest-queue.service.js';
import { INGEST_JOBS } from '../ingest/ingest.constants.js';

/**
 * Recovery: batches stuck in RECEIVED/PROCESSING with no live queue job (Redis lost, a crash
 * between commit and enqueue) are queued again; expired task leases return tasks to the pool.
 * Runs at worker start and as a Bull repeatable job (registered again by every worker that
 * starts, so a Redis that lost it gets it back). Idempotent: job id = batch id.
 */
@Injectable()
export class IngestSweeper {
  private readonly log = new Logger(IngestSweeper.name);

  constructor(
    @InjectQueue(QUEUES.ingest) private readonly bull: Queue,
    private readonly queue: IngestQueue,
    private readonly db: IngestDb,
    private readonly tasks: TasksService,
    private readonly config: AppConfig,
  ) {}

  async start(): Promise<void> {
    await this.sweep();
    await this.ensureRepeatable();
  }

  async sweep(): Promise<number> {
    await this.tasks.releaseExpiredLeases();
    const stuck = await this.db.pool.query<{ id: string }>(
      `SELECT id FROM "IngestBatch" WHERE status IN ('RECEIVED', 'PROCESSING') ORDER BY "createdAt" LIMIT 1000`,
    );
    for (const { id } of stuck.rows) await this.queue.enqueue(id);
    if (stuck.rowCount) this.log.log(`sweep: checked ${stuck.rowCount} unfinished ingest batches`);
    return stuck.rowCount ?? 0;
  }

  private async ensureRepeatable(): Promise<void> {
    try {
      await scheduleRepeatable(this.bull, INGEST_JOBS.sweep, { every: this.config.get('INGEST_SWEEP_EVERY_MS') }, { removeOnFail: true });
    } catch (e) {
      this.log.warn(`could not schedule the ingest sweep: ${(e as Error).message}`);
    }
  }
}
