import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { BaselineModule } from './baseline/baseline.module.js';
import { AuthCoreModule } from './common/auth/auth-core.module.js';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AuthMaintenanceModule } from './auth/maintenance/auth-maintenance.module.js';
import { AdminInitializer } from './bootstrap/admin-initializer.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import type { Env } from './config/env.schema.js';
import { AppGraphQLModule } from './graphql/graphql.module.js';
import { FlowsWorkerModule } from './flows/flows-worker.module.js';
import { FlowsModule } from './flows/flows.module.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { NewsModule } from './news/news.module.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { PrismaModule } from './prisma/prisma.module.js';
import { QuestionnairesModule } from './questionnaires/questionnaires.module.js';
import { QueueShutdownService } from './queue/queue-shutdown.service.js';
import { QueueModule } from './queue/queue.module.js';
import { RedisModule } from './redis/redis.module.js';
import { ReportsWorkerModule } from './reports/reports-worker.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { IngestProcessorModule } from './ingest-worker/ingest-processor.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { AssetsModule } from './assets/assets.module.js';
import { AssetsWorkerModule } from './assets/assets-worker.module.js';
import { ProbeWorkerModule } from './sites/probe/probe-worker.module.js';
import { SitesModule } from './sites/sites.module.js';
import { StatsWorkerModule } from './stats/stats-worker.module.js';
import { StatsModule } from './stats/stats.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { UploadsModule } from './uploads/uploads.module.js';
import { UsersModule } from './users/users.module.js';
import { VulnsModule } from './vulns/vulns.module.js';

/** Modules with resolvers and services; shared by the API and the worker. */
const FEATURE_MODULES: DynamicModule['imports'] = [
  OrganizationsModule,
  UsersModule,
  AuthModule,
  ApiKeysModule,
  SitesModule,
  VulnsModule,
  TasksModule,
  IngestModule,
  FlowsModule,
  BaselineModule,
  AssetsModule,
  QuestionnairesModule,
  NewsModule,
  UploadsModule,
  ReportsModule,
  StatsModule,
];

/** Queue consumers; loaded only by processes that run workers (PROCESS_ROLE all or worker). */
const WORKER_MODULES: DynamicModule['imports'] = [AuthMaintenanceModule, ProbeWorkerModule, IngestProcessorModule, FlowsWorkerModule, ReportsWorkerModule, StatsWorkerModule, AssetsWorkerModule];

@Module({})
export class AppModule {
  static register(env: Env): DynamicModule {
    const config = new AppConfig(env);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRoot({
          // nestjs-pino's default route pattern ("{/*splat}") never matches under Fastify's
          // middleware (no request was logged); this one matches every path.
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: env.LOG_LEVEL,
            // The middleware sees req.url with its matched path stripped; originalUrl is the real one.
            autoLogging: { ignore: (req) => ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').split('?')[0] === '/health' },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
        }),
        DiscoveryModule,
        PrismaModule,
        RedisModule,
        QueueModule,
        AuthCoreModule,
        MetricsModule,
        RateLimitModule,
        ...(config.runsApi ? [AppGraphQLModule] : []),
        ...(FEATURE_MODULES ?? []),
        ...(config.runsWorkers ? (WORKER_MODULES ?? []) : []),
      ],
      controllers: config.runsApi ? [HealthController, MetricsController] : [],
      providers: [
        AdminInitializer,
        QueueShutdownService,
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
