import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DEFAULT_JOB_OPTIONS } from './queue.constants.js';

/** Bull on REDIS_URL; feature modules register their own queues with BullModule.registerQueue. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        url: config.get('REDIS_URL'),
        prefix: `${config.get('QUEUE_PREFIX')}:bull`,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
