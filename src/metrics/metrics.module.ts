import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MetricsService } from './metrics.service.js';

/** The process's metrics registry, for every module that counts something. */
@Global()
@Module({ imports: [DiscoveryModule], providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}
