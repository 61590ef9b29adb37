import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../config/app-config.js';

/**
 * A plain pg pool for the ingestion path: bulk SQL with typed arrays (unnest) and
 * transactions that span a whole batch, which Prisma's raw API makes awkward.
 */
@Injectable()
export class IngestDb implements OnModuleDestroy {
  readonly pool: pg.Pool;

  constructor(config: AppConfig) {
    this.pool = new pg.Pool({ connectionString: config.databaseUrl, max: 6 });
    this.pool.on('error', () => undefined); // an idle client lost its connection; the pool replaces it
  }

  /** Runs `fn` in one transaction on one connection; rolls back on any error. */
  async tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
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
    await this.pool.end();
  }
}
