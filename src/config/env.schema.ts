import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  type ValidationError,
} from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const DEV_JWT_SECRET = 'xsc-development-secret-not-for-production-use';
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every environment variable xsc reads, with its default. Validated once at boot
 * (`loadEnv`); the rest of the code reads the typed result through AppConfig.
 */
export class EnvSchema {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @IsString()
  HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsIn(PROCESS_ROLES)
  PROCESS_ROLE: (typeof PROCESS_ROLES)[number] = 'all';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL?: string;

  @IsString()
  EMBEDDED_PG_DIR = '.data/pg';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 5433;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 letters, digits or _.:-' })
  QUEUE_PREFIX = 'xsc';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(86_400)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TTL_DAYS = 30;

  /** How long a scanner's claim on a task lasts without a heartbeat. */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(86_400)
  TASK_LEASE_SECONDS = 300;

  /** Ingest batches one worker process applies at the same time. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(16)
  INGEST_CONCURRENCY = 2;

  /** How often stuck ingest batches (RECEIVED/PROCESSING without a queue job) are queued again. */
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(3_600_000)
  INGEST_SWEEP_EVERY_MS = 30_000;

  /** Bull lock of a running ingest job: a killed worker's job is picked up again after this. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  INGEST_LOCK_MS = 30_000;

  /** Largest scanner file accepted by POST /ingest/files. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2048)
  INGEST_MAX_FILE_MB = 200;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{3,64}$/, { message: 'ADMIN_USERNAME must be 3-64 letters, digits or _.-' })
  ADMIN_USERNAME?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters long' })
  @MaxLength(128)
  ADMIN_PASSWORD?: string;
}

export type Env = EnvSchema & { JWT_SECRET: string };

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((msg) =>
      msg.startsWith(e.property) ? `${msg} (got ${JSON.stringify(e.value)})` : `${e.property}: ${msg} (got ${JSON.stringify(e.value)})`,
    ),
  );
}

/** Validates the environment; throws EnvError naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv): Env {
  const known = Object.keys(new EnvSchema());
  const picked = Object.fromEntries(known.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
  const env = plainToInstance(EnvSchema, picked, { exposeDefaultValues: true });
  const problems = describe(validateSync(env, { forbidUnknownValues: true }));
  if (env.NODE_ENV === 'production') {
    if (!env.JWT_SECRET) problems.push('JWT_SECRET is required when NODE_ENV=production');
    if (!env.DATABASE_URL) problems.push('DATABASE_URL is required when NODE_ENV=production (no embedded database)');
  }
  if (Boolean(env.ADMIN_USERNAME) !== Boolean(env.ADMIN_PASSWORD)) {
    problems.push('ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  }
  if (problems.length) throw new EnvError(problems);
  return { ...env, JWT_SECRET: env.JWT_SECRET ?? DEV_JWT_SECRET } as Env;
}
