import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { QUEUES } from '../queue/queue.constants.js';
import { TasksService } from '../tasks/tasks.service.js';
import { IngestDb } from './ingest-db.js';
import { IngestQueue } from './ingest-queue.service.js';
import { INGEST_JOBS } from './ingest.constants.js';

/**
 * Recovery: batches stuck in RECEIVED/PROCESSING with no live queue job (Redis lost, a crash
 * between commit and enqueue) are queued again; expired task leases return tasks to the pool.
 * Runs at worker start and as a Bull repeatable job. Idempotent: job id = batch id.
 */
@Injectable()
export class IngestSweeper implements OnModuleDestroy {
  private readonly log = new Logger(IngestSweeper.name);
  private timer?: NodeJS.Timeout;

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
    // A Redis flush also loses the repeatable job: each worker re-registers it (a no-op while it exists).
    this.timer = setInterval(() => void this.ensureRepeatable(), this.config.get('INGEST_SWEEP_EVERY_MS'));
    this.timer.unref();
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
      await this.bull.add(INGEST_JOBS.sweep, {}, {
        repeat: { every: this.config.get('INGEST_SWEEP_EVERY_MS') },
        jobId: 'ingest-sweep',
        removeOnComplete: true,
        removeOnFail: true,
      });
    } catch (e) {
      this.log.warn(`could not schedule the ingest sweep: ${(e as Error).message}`);
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
