import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QUEUES } from '../queue/queue.constants.js';
import { ExportsController } from './exports.controller.js';
import { FindingsExportService } from './findings-export.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsResolver } from './reports.resolver.js';
import { ReportsService } from './reports.service.js';

/** Findings CSV export and Word site reports (API side). */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.reports })],
  controllers: [ExportsController, ReportsController],
  providers: [FindingsExportService, ReportsService, ReportsResolver],
  exports: [ReportsService, BullModule],
})
export class ReportsModule {}
