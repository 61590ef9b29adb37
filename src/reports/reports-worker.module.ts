import { Module } from '@nestjs/common';
import { ReportsModule } from './reports.module.js';
import { ReportsProcessor } from './reports.processor.js';

/** Report generation and clean-up; loaded where workers run. */
@Module({
  imports: [ReportsModule],
  providers: [ReportsProcessor],
})
export class ReportsWorkerModule {}
