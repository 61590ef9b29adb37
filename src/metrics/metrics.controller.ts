import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/decorators.js';
import { notFound, unauthenticated } from '../common/errors/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { bearerMatches } from './metrics-token.js';
import { MetricsService } from './metrics.service.js';

/** GET /metrics: Prometheus text format, for `Authorization: Bearer <METRICS_TOKEN>`; 404 when no token is set. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const token = this.config.get('METRICS_TOKEN');
    if (!token) throw notFound('Route', 'GET /metrics');
    if (!bearerMatches(authorization, token)) throw unauthenticated('GET /metrics requires Authorization: Bearer <METRICS_TOKEN>');
    const text = await this.metrics.registry.metrics();
    reply.header('content-type', this.metrics.registry.contentType).header('cache-control', 'no-store');
    return text;
  }
}
