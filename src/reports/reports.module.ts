import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QUEUES } from '../queue/queue.constants.js';
import { ExportsController } from './exports.controller.js';
import { FindingsExportService } from './findings-export.service.js';
import { StatsQueryService } from '../stats/stats-query.service.js';
import { ReportsController } from './reports.controller.js';
import { SiteReportController } from './site-report.controller.js';
import { SiteSummaryService } from './site-summary.js';
import { ReportsResolver } from './reports.resolver.js';
import { ReportsService } from './reports.service.js';

/** Findings CSV export and Word site reports (API side). */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.reports })],
  controllers: [ExportsController, ReportsController, SiteReportController],
  // StatsQueryService is stateless (SqlPool only); StatsModule does not export it yet. Once it
  // does, import StatsModule here instead of providing it.
  providers: [FindingsExportService, ReportsService, ReportsResolver, SiteSummaryService, StatsQueryService],
  exports: [ReportsService, BullModule],
})
export class ReportsModule {}
