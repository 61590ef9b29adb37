import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MetricsService } from './metrics.service.js';
import { QueueDirectory } from './queue-directory.service.js';

/** The process's metrics registry, for every module that counts something, and the directory of queues. */
@Global()
@Module({ imports: [DiscoveryModule], providers: [MetricsService, QueueDirectory], exports: [MetricsService, QueueDirectory] })
export class MetricsModule {}
