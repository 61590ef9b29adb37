import { existsSync } from 'node:fs';
import { loadEnv, type Env } from './env.schema.js';

/** Reads `.env` from the working directory if present (real environment variables win) and validates the result. */
export function readEnv(): Env {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return loadEnv(process.env);
}
