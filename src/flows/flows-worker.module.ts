import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QUEUES } from '../queue/queue.constants.js';
import { FlowMaintenanceService } from './flow-maintenance.service.js';
import { FlowsModule } from './flows.module.js';
import { FlowsProcessor } from './flows.processor.js';

/** Flow logs, worker side: partition upkeep and retention. Loaded where workers run. */
@Module({
  imports: [FlowsModule, BullModule.registerQueue({ name: QUEUES.flows })],
  providers: [FlowMaintenanceService, FlowsProcessor],
})
export class FlowsWorkerModule {}
