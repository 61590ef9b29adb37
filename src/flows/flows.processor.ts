import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { FLOW_JOBS, QUEUES } from '../queue/queue.constants.js';
import { scheduleRepeatable } from '../queue/repeatable.js';
import { FlowMaintenanceService } from './flow-maintenance.service.js';

/**
 * Consumer of the `flows` queue (workers only): runs partition upkeep at start and as a Bull
 * repeatable job (registered again by every worker that starts, so a Redis that lost it gets it back).
 */
@Injectable()
export class FlowsProcessor implements OnApplicationBootstrap {
  private readonly log = new Logger(FlowsProcessor.name);

  constructor(
    @InjectQueue(QUEUES.flows) private readonly queue: Queue,
    private readonly maintenance: FlowMaintenanceService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.queue.process(FLOW_JOBS.maintain, 1, () => this.maintenance.maintain());
    await this.maintenance.maintain().catch((e: Error) => this.log.warn(`flow partition upkeep failed: ${e.message}`));
    try {
      await scheduleRepeatable(this.queue, FLOW_JOBS.maintain, { every: this.config.get('FLOW_MAINTENANCE_EVERY_MS') }, { removeOnFail: true });
    } catch (e) {
      this.log.warn(`could not schedule flow partition upkeep: ${(e as Error).message}`);
    }
  }
}
