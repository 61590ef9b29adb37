import type { Env } from './env.schema.js';

/**
 * The validated configuration, injected wherever settings are needed. The only place that
 * reads process.env is `loadEnv` at boot; everything else asks this service.
 */
export class AppConfig {
  constructor(private readonly env: Env) {}

  get<K extends keyof Env>(key: K): Env[K] {
    return this.env[key];
  }

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  get runsApi(): boolean {
    return this.env.PROCESS_ROLE !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.env.PROCESS_ROLE !== 'api';
  }

  /** The database URL; set by the boot code before Nest starts (embedded PostgreSQL or DATABASE_URL). */
  get databaseUrl(): string {
    const url = this.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set: boot must start the embedded database first');
    return url;
  }
}
