import { exitOnBootError } from './bootstrap/boot-error.js';
import { readEnv } from './config/read-env.js';
import { embeddedDatabaseUrl } from './db/embedded-url.js';
import { ensureRedis } from './redis/ensure-redis.js';

/**
 * A queue worker with no HTTP server. Without DATABASE_URL it connects to the embedded
 * PostgreSQL that `npm start` runs (it does not start one itself).
 */
async function worker() {
  const env = readEnv();
  env.PROCESS_ROLE = 'worker';
  await ensureRedis(env.REDIS_URL);
  env.DATABASE_URL ??= embeddedDatabaseUrl(env.EMBEDDED_PG_PORT);
  const { NestFactory } = await import('@nestjs/core');
  const { Logger } = await import('nestjs-pino');
  const { AppModule } = await import('./app.module.js');
  const { AppConfig } = await import('./config/app-config.js');
  const app = await NestFactory.createApplicationContext(AppModule.register(env), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  const { serveWorkerMetrics } = await import('./metrics/worker-metrics-server.js');
  const metricsServer = await serveWorkerMetrics(app);
  metricsServer?.unref(); // never what keeps a stopping worker alive
  console.log(`xsc: worker started${metricsServer ? ` (metrics on ${app.get(AppConfig).get('HOST')}:${app.get(AppConfig).get('WORKER_METRICS_PORT')})` : ''}`);
}

worker().catch(exitOnBootError);
