import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../config/app-config.js';

/** Database connections per API process for file uploads (each upload holds one while it streams in). */
export const UPLOAD_CONNECTIONS = 4;

/**
 * Plain pg pools for the ingestion path: bulk SQL with typed arrays (unnest) and
 * transactions that span a whole batch, which Prisma's raw API makes awkward.
 */
@Injectable()
export class IngestDb implements OnModuleDestroy {
  readonly pool: pg.Pool;
  /**
   * File uploads hold a connection in a transaction for as long as the client takes to send the
   * file: they get their own small pool, so slow uploads wait for each other, never stall
   * syncVulns or the workers on `pool`.
   */
  readonly uploads: pg.Pool;

  constructor(config: AppConfig) {
    this.pool = new pg.Pool({ connectionString: config.databaseUrl, max: 6 });
    this.uploads = new pg.Pool({ connectionString: config.databaseUrl, max: UPLOAD_CONNECTIONS });
    // An idle client lost its connection; the pool replaces it.
    this.pool.on('error', () => undefined);
    this.uploads.on('error', () => undefined);
  }

  /** Runs `fn` in one transaction on one connection of `pool`; rolls back on any error. */
  async tx<T>(fn: (client: pg.PoolClient) => Promise<T>, pool = this.pool): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.pool.end(), this.uploads.end()]);
  }
}
