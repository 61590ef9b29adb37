import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { QUEUES } from '../queue/queue.constants.js';
import { FlowMaintenance } from './flow-maintenance.service.js';
import { FLOW_JOBS } from './flows.constants.js';

/**
 * Consumer of the `flows` queue (workers only): runs partition upkeep at start and as a Bull
 * repeatable job, which each worker re-registers now and then (a Redis flush loses it).
 */
@Injectable()
export class FlowsProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(FlowsProcessor.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectQueue(QUEUES.flows) private readonly queue: Queue,
    private readonly maintenance: FlowMaintenance,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.queue.process(FLOW_JOBS.maintain, 1, () => this.maintenance.maintain());
    await this.maintenance.maintain().catch((e: Error) => this.log.warn(`flow partition upkeep failed: ${e.message}`));
    await this.ensureRepeatable();
    this.timer = setInterval(() => void this.ensureRepeatable(), 10 * 60_000);
    this.timer.unref();
  }

  private async ensureRepeatable(): Promise<void> {
    try {
      await this.queue.add(FLOW_JOBS.maintain, {}, {
        repeat: { every: this.config.get('FLOW_MAINTENANCE_EVERY_MS') },
        jobId: 'flows-maintain',
        removeOnComplete: true,
        removeOnFail: true,
      });
    } catch (e) {
      this.log.warn(`could not schedule flow partition upkeep: ${(e as Error).message}`);
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
