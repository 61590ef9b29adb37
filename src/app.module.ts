import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AuthCoreModule } from './auth/auth-core.module.js';
import { AdminInitializer } from './bootstrap/admin-initializer.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import type { Env } from './config/env.schema.js';
import { AppGraphQLModule } from './graphql/graphql.module.js';
import { HealthController } from './health/health.controller.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { PrismaModule } from './prisma/prisma.module.js';
import { QueueModule } from './queue/queue.module.js';
import { RedisModule } from './redis/redis.module.js';
import { IngestProcessorModule } from './ingest/ingest-processor.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { VulnsModule } from './vulns/vulns.module.js';

/** Modules with resolvers and services; shared by the API and the worker. */
const FEATURE_MODULES: DynamicModule['imports'] = [OrganizationsModule, VulnsModule, TasksModule, IngestModule];

/** Queue consumers; loaded only by processes that run workers (PROCESS_ROLE all or worker). */
const WORKER_MODULES: DynamicModule['imports'] = [IngestProcessorModule];

@Module({})
export class AppModule {
  static register(env: Env): DynamicModule {
    const config = new AppConfig(env);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRoot({
          pinoHttp: {
            level: env.LOG_LEVEL,
            autoLogging: { ignore: (req) => req.url === '/health' },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
        }),
        PrismaModule,
        RedisModule,
        QueueModule,
        AuthCoreModule,
        ...(config.runsApi ? [AppGraphQLModule] : []),
        ...(FEATURE_MODULES ?? []),
        ...(config.runsWorkers ? (WORKER_MODULES ?? []) : []),
      ],
      controllers: config.runsApi ? [HealthController] : [],
      providers: [
        AdminInitializer,
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
