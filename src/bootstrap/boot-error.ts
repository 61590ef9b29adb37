import { EnvError } from '../config/env.schema.js';
import { MigrationError } from '../db/migrate.js';
import { RedisUnreachableError } from '../redis/ensure-redis.js';

/** Boot failures that are the operator's to fix: one clear line, exit code 1, no stack trace. */
export function exitOnBootError(e: unknown): never {
  const operatorFixes = [EnvError, RedisUnreachableError, MigrationError].some((c) => e instanceof c);
  if (e instanceof Error && (operatorFixes || e.name === 'EmbeddedPgError')) {
    console.error(`xsc: ${e.message}`);
  } else {
    console.error('xsc: failed to start:', e);
  }
  process.exit(1);
}
