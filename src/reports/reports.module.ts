import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QUEUES } from '../queue/queue.constants.js';
import { ExportsController } from './exports.controller.js';
import { FindingsExportService } from './findings-export.service.js';
import { StatsModule } from '../stats/stats.module.js';
import { ReportsController } from './reports.controller.js';
import { SiteReportController } from './site-report.controller.js';
import { SiteSummaryService } from './site-summary.js';
import { ReportsResolver } from './reports.resolver.js';
import { ReportsService } from './reports.service.js';

/** Findings CSV export and Word site reports (API side). */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.reports }), StatsModule],
  controllers: [ExportsController, ReportsController, SiteReportController],
  providers: [FindingsExportService, ReportsService, ReportsResolver, SiteSummaryService],
  exports: [ReportsService, BullModule],
})
export class ReportsModule {}
