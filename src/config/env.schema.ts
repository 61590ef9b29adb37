import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
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
import { redactUrl } from './redact-url.js';
import { localJwtSecret } from './local-secret.js';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;
export const SMS_SENDERS = ['log', 'http'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const UPLOAD_PROVIDERS = ['qiniu', 's3'] as const;

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const BOOLEANS: Record<string, boolean> = { true: true, '1': true, yes: true, false: false, '0': false, no: false, '': false };
/** The one reading of boolean variables: true/1/yes, false/0/no/empty (any case); anything else is refused. */
const toBoolean = ({ value }: { value: unknown }) => (typeof value === 'string' ? (BOOLEANS[value.toLowerCase()] ?? value) : value);

const SECRETS = new Set<string>();
/** Marks a variable whose value never appears in messages (boot errors show its length only). */
const Secret = (): PropertyDecorator => (_target, name) => void SECRETS.add(String(name));
/** The variables marked @Secret(). */
export const secretVariables = (): string[] => [...SECRETS];

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

  /**
   * Whose X-Forwarded-For to believe for the client address (per-IP limits depend on it):
   * comma-separated IPs/CIDRs or loopback/linklocal/uniquelocal; "false" = nobody; "true" =
   * anybody (only behind a proxy that overwrites the header).
   */
  @Matches(/^(true|false|[0-9A-Za-z.:/]+(\s*,\s*[0-9A-Za-z.:/]+)*)$/, { message: 'TRUST_PROXY must be true, false or a comma-separated list of IPs, CIDRs or loopback/linklocal/uniquelocal' })
  TRUST_PROXY = 'loopback';

  // --- Operations: headers, CORS, metrics, rate limits ---------------------------------------
  /** Origins allowed to call the API from a browser (comma-separated, e.g. https://app.example.com); empty: none. */
  @Matches(/^(\s*https?:\/\/[A-Za-z0-9.-]+(:\d+)?\s*(,\s*https?:\/\/[A-Za-z0-9.-]+(:\d+)?\s*)*)?$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com',
  })
  CORS_ORIGINS = '';

  /** Bearer token that GET /metrics requires; unset: /metrics is disabled (404). */
  @Secret()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters long' })
  METRICS_TOKEN?: string;

  /** Worker processes (PROCESS_ROLE=worker) serve /metrics on this port when set (they have no API port). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  WORKER_METRICS_PORT?: number;

  /** Window of the rate limits below (seconds). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /** CSV exports per user or API key per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_EXPORT = 60;

  /** CSV exports per client IP per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_EXPORT_PER_IP = 600;

  /** Report requests and downloads per user or API key per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_REPORT = 300;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_REPORT_PER_IP = 3000;

  /** Ingestion calls (sync* mutations, /ingest/* uploads) per API key per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_INGEST = 60_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_INGEST_PER_IP = 600_000;

  /** Aliases allowed in one GraphQL request (each one is a resolver call of its own). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  GRAPHQL_MAX_ALIASES = 100;

  /** Tokens allowed in one GraphQL document: parsing stops there (large inputs go in variables). */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(10_000_000)
  GRAPHQL_MAX_TOKENS = 10_000;

  /** Estimated cost allowed for one GraphQL request: 1 per field, list fields times their `first`. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(10_000_000)
  GRAPHQL_MAX_COST = 20_000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL?: string;

  @IsString()
  EMBEDDED_PG_DIR = '.data/pg';

  /** Folder of the sample scanner reports `npm run seed` imports; unset: ../shared/scans next to the repository. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SCANS_DIR?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 5433;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 letters, digits or _.:-' })
  QUEUE_PREFIX = 'xsc';

  @Secret()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  /** Where the generated secret is kept when JWT_SECRET is unset outside production. */
  @IsString()
  @MinLength(1)
  JWT_SECRET_FILE = '.data/jwt-secret';

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

  // --- Brute-force protection (counters in Redis) -------------------------------------------
  /** Failed logins for one account name within AUTH_FAIL_WINDOW_SECONDS before it is locked. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  AUTH_MAX_FAILS_PER_ACCOUNT = 10;

  /** Failed logins from one IP address within AUTH_FAIL_WINDOW_SECONDS before it is locked. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  AUTH_MAX_FAILS_PER_IP = 100;

  /** Failures (per account, or per IP) after which login requires a captcha; 0 = always. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  AUTH_CAPTCHA_AFTER_FAILS = 3;

  /**
   * Failures from one IP address after which every login from it requires a captcha; 0 = never.
   * High by default: a whole office behind one NAT (or a local script) shares an IP; the
   * per-account count asks for a captcha much sooner.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  AUTH_CAPTCHA_AFTER_IP_FAILS = 50;

  /** Window of the failure counters, and how long a lockout lasts. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  AUTH_FAIL_WINDOW_SECONDS = 900;

  /** Anyone may create an account with `register`/`smsRegister` (false: administrators only). */
  @Transform(toBoolean)
  @IsBoolean()
  SELF_REGISTRATION = true;

  /** Name of the organisation self-registered users join (created if missing); unset: none. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  SELF_REGISTRATION_ORGANIZATION?: string;

  // --- Captcha ----------------------------------------------------------------------------------
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3600)
  CAPTCHA_TTL_SECONDS = 300;

  /** Captcha images one IP address may request per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  CAPTCHA_MAX_PER_IP_PER_MINUTE = 30;

  // --- SMS --------------------------------------------------------------------------------------
  /** log: write messages to the log and the SmsOutbox table (development, tests); http: gateway. */
  @IsIn(SMS_SENDERS)
  SMS_SENDER: (typeof SMS_SENDERS)[number] = 'log';

  /** The gateway's endpoint: receives POST {"phone","message"} JSON with the key in X-Api-Key. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'SMS_GATEWAY_URL must be an http(s):// URL' })
  SMS_GATEWAY_URL?: string;

  @Secret()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(500)
  SMS_GATEWAY_KEY?: string;

  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(3600)
  SMS_CODE_TTL_SECONDS = 300;

  /** Wrong guesses allowed for one code before it is discarded. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  SMS_CODE_MAX_ATTEMPTS = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  SMS_MAX_PER_PHONE_PER_HOUR = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  SMS_MAX_PER_IP_PER_HOUR = 20;

  // --- Partner single sign-on (old hjLogin) -----------------------------------------------------
  /** The partner's `iss`; SSO is off unless it and one of the two keys below are set. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  SSO_PARTNER_ISSUER?: string;

  /** Shared secret for HS256 tokens. */
  @Secret()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SSO_PARTNER_SECRET must be at least 32 characters long' })
  SSO_PARTNER_SECRET?: string;

  /** PEM public key for RS256/ES256 tokens (literal "\n" sequences are accepted). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/, { message: 'SSO_PARTNER_PUBLIC_KEY must be a PEM public key or certificate' })
  SSO_PARTNER_PUBLIC_KEY?: string;

  /** Required `aud` of partner tokens, if set. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  SSO_PARTNER_AUDIENCE?: string;

  /** Name of the organisation users created by SSO join (created if missing); unset: none. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  SSO_PARTNER_ORGANIZATION?: string;

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

  /** Connections of the plain pg pool (flows COPY, exports and reports cursors, statistics reads). */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(100)
  SQL_POOL_MAX = 10;

  /**
   * On shutdown, how long HTTP requests in flight may take before their connections are cut, then
   * how long running queue jobs may take before the worker lets go of them (Bull hands a job it
   * let go of to another worker once its lock expires).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_MS = 10_000;

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

  /** Items (over all results) one syncBaselineResults call may carry; a larger call is refused whole. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  BASELINE_SYNC_MAX_ITEMS = 10_000;

  /** Largest scanner file accepted by POST /ingest/files. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2048)
  INGEST_MAX_FILE_MB = 200;

  /** Days of raw flow records kept: older day partitions are dropped, older records refused. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  FLOW_RETENTION_DAYS = 30;

  /** Days of hourly flow aggregates kept (longer than the raw records). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36500)
  FLOW_STATS_RETENTION_DAYS = 400;

  /** Day partitions of flow records made ahead of time. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  FLOW_PARTITIONS_AHEAD_DAYS = 3;

  /** How often the flow partition upkeep (make ahead, drop expired) runs. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  FLOW_MAINTENANCE_EVERY_MS = 3_600_000;

  /** Largest NDJSON body (after gunzip) accepted by POST /ingest/flows. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024)
  FLOW_MAX_BODY_MB = 100;

  /**
   * Flow records per segment of a chunk: their staging rows (for the hourly rollup, under 96
   * bytes each) are buffered up to this many records, then sent to the database (bounds the
   * API's memory per request).
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  FLOW_SEGMENT_RECORDS = 25_000;
  /** How long a generated Word report can be downloaded; the clean-up job deletes it after. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(43_200)
  REPORT_TTL_MINUTES = 1440;

  /** How often the clean-up job deletes expired reports (Bull repeatable job). */
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(86_400_000)
  REPORT_CLEANUP_EVERY_MS = 600_000;

  /**
   * Most findings a report built directly by GET /sites/:id/report.docx may list; a larger one
   * answers 413 (REPORT_TOO_LARGE) and is queued with requestSiteReport instead.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  REPORT_DIRECT_MAX_FINDINGS = 500;

  /** Longest a Word report's builder process may run before it is killed and the report fails. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  REPORT_BUILD_TIMEOUT_MS = 600_000;
  /**
   * Weights of a site's posture (sitePosture): vulnerability score, latest baseline score,
   * questionnaire score. Any non-negative numbers; they are renormalised over the parts known.
   */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1000)
  POSTURE_WEIGHT_VULN = 0.4;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1000)
  POSTURE_WEIGHT_BASELINE = 0.4;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1000)
  POSTURE_WEIGHT_QUESTIONNAIRE = 0.2;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{3,64}$/, { message: 'ADMIN_USERNAME must be 3-64 letters, digits or _.-' })
  ADMIN_USERNAME?: string;

  @Secret()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters long' })
  @MaxLength(128)
  ADMIN_PASSWORD?: string;

  // --- Password hashing (argon2id). The defaults are production's; tests lower them (test/setup-env.mjs).
  /** Memory per hash in KiB (default 64 MiB). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(4 * 1024 * 1024)
  PASSWORD_HASH_MEMORY_KIB = 1 << 16;

  /** Passes over the memory. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  PASSWORD_HASH_TIME_COST = 3;

  /** Lanes (threads) per hash. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  PASSWORD_HASH_PARALLELISM = 4;

  // --- Upload credentials (object storage). Unset UPLOAD_PROVIDER: uploads are unavailable.
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(UPLOAD_PROVIDERS)
  UPLOAD_PROVIDER?: (typeof UPLOAD_PROVIDERS)[number];

  @Matches(/^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/, {
    message: 'UPLOAD_KEY_PREFIX must be /-separated segments of letters, digits or _.- (no leading dot or slash)',
  })
  @MaxLength(100)
  UPLOAD_KEY_PREFIX = 'uploads';

  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(3600)
  UPLOAD_TTL_SECONDS = 600;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  UPLOAD_IMAGE_MAX_BYTES = 10 * 1024 * 1024;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  UPLOAD_DOCUMENT_MAX_BYTES = 50 * 1024 * 1024;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  QINIU_ACCESS_KEY?: string;

  @Secret()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  QINIU_SECRET_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9-]{3,63}$/, { message: 'QINIU_BUCKET must be 3-63 lower-case letters, digits or -' })
  QINIU_BUCKET?: string;

  @Matches(/^https?:\/\/[^\s]+$/, { message: 'QINIU_UPLOAD_URL must be an http(s) URL' })
  QINIU_UPLOAD_URL = 'https://up.qiniup.com';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'S3_ENDPOINT must be an http(s) URL' })
  S3_ENDPOINT?: string;

  @Matches(/^[a-z0-9-]{2,32}$/, { message: 'S3_REGION must be a region name such as us-east-1' })
  S3_REGION = 'us-east-1';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'S3_BUCKET must be a valid bucket name' })
  S3_BUCKET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  S3_ACCESS_KEY_ID?: string;

  @Secret()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  S3_SECRET_ACCESS_KEY?: string;

  @Transform(toBoolean)
  @IsBoolean({ message: 'S3_FORCE_PATH_STYLE must be true or false' })
  S3_FORCE_PATH_STYLE = false;

  // --- Site probe (src/sites/probe) ---
  /** Cron expression (Bull repeatable job) for probing due sites; empty disables the schedule. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @Matches(/^$|^(\S+\s+){4,5}\S+$/, { message: 'PROBE_SCHEDULE_CRON must be a 5- or 6-field cron expression or empty' })
  PROBE_SCHEDULE_CRON = '15 */6 * * *';

  /** A scheduled run probes sites not probed for this many minutes. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(525_600)
  PROBE_DUE_AFTER_MINUTES = 360;

  /** Allow probing private, loopback and link-local addresses (tests, intranet deployments). */
  @Transform(toBoolean)
  @IsBoolean()
  PROBE_ALLOW_PRIVATE = false;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  PROBE_CONNECT_TIMEOUT_MS = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  PROBE_TIMEOUT_MS = 15_000;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  PROBE_MAX_BODY_BYTES = 2 * 1024 * 1024;

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  PROBE_USER_AGENT =
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

  // --- Statistics (src/stats) ---
  /** Cron expression (Bull repeatable job) for the reconcile of every statistic; empty disables the schedule. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @Matches(/^$|^(\S+\s+){4,5}\S+$/, { message: 'STATS_RECONCILE_CRON must be a 5- or 6-field cron expression or empty' })
  STATS_RECONCILE_CRON = '17 * * * *';
}

/** The variables each upload provider needs. */
const UPLOAD_PROVIDER_VARS: Record<(typeof UPLOAD_PROVIDERS)[number], (keyof EnvSchema)[]> = {
  qiniu: ['QINIU_ACCESS_KEY', 'QINIU_SECRET_KEY', 'QINIU_BUCKET'],
  s3: ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'],
};

export type Env = EnvSchema & { JWT_SECRET: string };

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** The offending value as it may be shown: secrets by length only, URL passwords masked. */
function shown(name: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  if (SECRETS.has(name)) return `${value.length} characters`;
  return JSON.stringify(redactUrl(value));
}

/** One line per bad variable; a type mismatch is reported before its range. */
function describe(errors: ValidationError[], source: NodeJS.ProcessEnv): string[] {
  return errors.map((e) => {
    const c = e.constraints ?? {};
    const msg = c.isInt ?? c.isString ?? Object.values(c)[0] ?? 'is invalid';
    const text = msg.startsWith(e.property) ? msg : `${e.property}: ${msg}`;
    return `${text} (got ${shown(e.property, source[e.property])})`;
  });
}

/** Validates the environment; throws EnvError naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv): Env {
  const known = Object.keys(new EnvSchema());
  const picked = Object.fromEntries(known.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
  const env = plainToInstance(EnvSchema, picked, { exposeDefaultValues: true });
  const problems = describe(validateSync(env, { forbidUnknownValues: true }), source);
  if (env.NODE_ENV === 'production') {
    if (!env.JWT_SECRET) problems.push('JWT_SECRET is required when NODE_ENV=production');
    if (!env.DATABASE_URL) problems.push('DATABASE_URL is required when NODE_ENV=production (no embedded database)');
  }
  if (Boolean(env.ADMIN_USERNAME) !== Boolean(env.ADMIN_PASSWORD)) {
    problems.push('ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  }
  if (env.UPLOAD_PROVIDER && UPLOAD_PROVIDER_VARS[env.UPLOAD_PROVIDER]) {
    const missing = UPLOAD_PROVIDER_VARS[env.UPLOAD_PROVIDER].filter((k) => !env[k]);
    if (missing.length) problems.push(`UPLOAD_PROVIDER=${env.UPLOAD_PROVIDER} requires ${missing.join(', ')}`);
  }
  if (env.SMS_SENDER === 'http' && (!env.SMS_GATEWAY_URL || !env.SMS_GATEWAY_KEY)) {
    problems.push('SMS_SENDER=http needs SMS_GATEWAY_URL and SMS_GATEWAY_KEY');
  }
  if (env.SSO_PARTNER_SECRET && env.SSO_PARTNER_PUBLIC_KEY) {
    problems.push('Set SSO_PARTNER_SECRET or SSO_PARTNER_PUBLIC_KEY, not both');
  }
  if ((env.SSO_PARTNER_SECRET || env.SSO_PARTNER_PUBLIC_KEY) && !env.SSO_PARTNER_ISSUER) {
    problems.push('SSO_PARTNER_ISSUER is required when a partner key is set');
  }
  if (problems.length) throw new EnvError(problems);
  return { ...env, JWT_SECRET: env.JWT_SECRET ?? localJwtSecret(env.JWT_SECRET_FILE) };
}
