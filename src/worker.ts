import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { EMBEDDED_DB_NAME, ensureRedis, exitOnBootError, readEnv } from './boot.js';

/**
 * A queue worker with no HTTP server. Without DATABASE_URL it connects to the embedded
 * PostgreSQL that `npm start` runs (it does not start one itself).
 */
async function worker() {
  const env = readEnv();
  env.PROCESS_ROLE = 'worker';
  await ensureRedis(env.REDIS_URL);
  env.DATABASE_URL ??= `postgresql://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT}/${EMBEDDED_DB_NAME}`;
  const app = await NestFactory.createApplicationContext(AppModule.register(env), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  console.log('xsc: worker started');
}

worker().catch(exitOnBootError);
