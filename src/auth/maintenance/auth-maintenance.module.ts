import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QUEUES } from '../../queue/queue.constants.js';
import { AuthMaintenanceProcessor } from './auth-maintenance.processor.js';
import { AuthMaintenanceService } from './auth-maintenance.service.js';

/** Worker side of auth: the daily purge of dead sessions. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.maintenance })],
  providers: [AuthMaintenanceService, AuthMaintenanceProcessor],
})
export class AuthMaintenanceModule {}
