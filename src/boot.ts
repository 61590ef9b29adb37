import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { EnvError, loadEnv, type Env } from './config/env.schema.js';
import { ensureRedis, RedisUnreachableError } from './redis/ensure-redis.js';

export const EMBEDDED_DB_NAME = 'xsc';
/** Largest request body: a syncVulns chunk of 5,000 findings with evidence fits well within it. */
export const BODY_LIMIT_BYTES = 32 * 1024 * 1024;

/** Reads `.env` if present (real environment variables win) and validates the result. */
export function readEnv(): Env {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return loadEnv(process.env);
}

/** Builds the Nest application for a validated environment (also used by the tests). */
export async function createApp(env: Env): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(env),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: trustProxy(env.TRUST_PROXY) }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}

/** TRUST_PROXY as Fastify takes it. */
function trustProxy(value: string): boolean | string {
  return value === 'true' ? true : value === 'false' ? false : value;
}

/** Boot failures that are the operator's to fix: one clear line, exit code 1, no stack trace. */
export function exitOnBootError(e: unknown): never {
  if (e instanceof EnvError || e instanceof RedisUnreachableError) {
    console.error(`xsc: ${e.message}`);
  } else {
    console.error('xsc: failed to start:', e);
  }
  process.exit(1);
}

export { ensureRedis };
