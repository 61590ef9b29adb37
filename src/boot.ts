import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { registerQueueBoard } from './admin/queue-board.js';
import { AppModule } from './app.module.js';
import { registerHttpSecurity } from './bootstrap/http-security.js';
import { AppConfig } from './config/app-config.js';
import type { Env } from './config/env.schema.js';
import { registerHttpMetrics } from './metrics/http-metrics.js';
import { serveOpenApi } from './openapi/openapi.setup.js';

// The light start-up helpers, re-exported for the entry points and tests.
export { exitOnBootError } from './bootstrap/boot-error.js';
export { readEnv } from './config/read-env.js';
export { EMBEDDED_DB_NAME, embeddedDatabaseUrl } from './db/embedded-url.js';
export { ensureRedis } from './redis/ensure-redis.js';

/** Largest request body: a syncVulns chunk of 5,000 findings with evidence fits well within it. */
export const BODY_LIMIT_BYTES = 32 * 1024 * 1024;

/** Builds the Nest application for a validated environment (also used by the tests). */
export async function createApp(env: Env): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(env),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: trustProxy(env.TRUST_PROXY) }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  closeConnectionsOnceStopped(app);
  const config = app.get(AppConfig);
  registerHttpMetrics(app);
  await registerHttpSecurity(app, config);
  if (config.runsApi) await registerQueueBoard(app);
  serveOpenApi(app);
  return app;
}

/** TRUST_PROXY as Fastify takes it. */
function trustProxy(value: string): boolean | string {
  return value === 'true' ? true : value === 'false' ? false : value;
}

/**
 * Once the server stops listening (drainHttp), each answer closes its connection: a keep-alive
 * client then opens its next one elsewhere instead of holding this process open.
 */
function closeConnectionsOnceStopped(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().addHook('onSend', async (request, reply) => {
    if (!request.server.server.listening) reply.header('connection', 'close');
  });
}

/**
 * The first step of stopping the API: no new connection is accepted and the requests in flight
 * run to their end while PostgreSQL, Redis and the queues are still there (Nest's own close
 * tears those down before it closes the server). Connections still open after `graceMs` are cut.
 */
export async function drainHttp(app: NestFastifyApplication, graceMs: number): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const cut = setTimeout(() => fastify.server.closeAllConnections(), graceMs).unref();
  try {
    await fastify.close();
  } finally {
    clearTimeout(cut);
  }
}
