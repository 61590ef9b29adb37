import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MetricsService } from './metrics.service.js';
import { QueueDirectoryService } from './queue-directory.service.js';

/** The process's metrics registry, for every module that counts something, and the directory of queues. */
@Global()
@Module({ imports: [DiscoveryModule], providers: [MetricsService, QueueDirectoryService], exports: [MetricsService, QueueDirectoryService] })
export class MetricsModule {}
