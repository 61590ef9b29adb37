import { createServer, type Server } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { bearerMatches } from './metrics-token.js';
import { MetricsService } from './metrics.service.js';

/**
 * A worker process has no API port; with WORKER_METRICS_PORT and METRICS_TOKEN set it answers
 * GET /metrics (the same token) on that port, on HOST, so its job durations and ingest
 * counters can be scraped. Closed with the application.
 */
export async function serveWorkerMetrics(app: INestApplicationContext): Promise<Server | undefined> {
  const config = app.get(AppConfig);
  const port = config.get('WORKER_METRICS_PORT');
  const token = config.get('METRICS_TOKEN');
  if (!port || !token) return undefined;
  const metrics = app.get(MetricsService);
  const server = createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/json') => res.writeHead(status, { 'content-type': type }).end(body);
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return send(404, JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Not found' } }));
    if (!bearerMatches(req.headers.authorization, token)) return send(401, JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'GET /metrics requires Authorization: Bearer <METRICS_TOKEN>' } }));
    metrics.registry.metrics().then(
      (text) => send(200, text, metrics.registry.contentType),
      () => send(500, JSON.stringify({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } })),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, config.get('HOST'), resolve));
  return server;
}
