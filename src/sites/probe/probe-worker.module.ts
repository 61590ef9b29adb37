import { BullModule } from '@nestjs/bull';
import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { QUEUES } from '../../queue/queue.constants.js';
import { SitesModule } from '../sites.module.js';
import { ProbeProcessor } from './probe.processor.js';
import { ProbeQueueService } from './probe-queue.service.js';

/** The `probe` queue consumer and its schedule; loaded where workers run. */
@Module({ imports: [SitesModule, BullModule.registerQueue({ name: QUEUES.probe })], providers: [ProbeProcessor] })
export class ProbeWorkerModule implements OnApplicationBootstrap {
  constructor(private readonly queue: ProbeQueueService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.syncSchedule();
  }
}
