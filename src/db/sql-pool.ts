import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../config/app-config.js';

/**
 * A plain pg pool beside Prisma's, for the SQL-heavy paths: COPY streams and partition DDL
 * (flows), cursors held for the length of a download (exports, reports), and the statistics
 * reads, which are plain SQL over the aggregate tables and answer faster without Prisma's
 * query layer. Kept apart from Prisma's pool so a long export cannot starve the API.
 */
@Injectable()
export class SqlPool implements OnModuleDestroy {
  readonly pool: pg.Pool;

  constructor(config: AppConfig) {
    this.pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.get('SQL_POOL_MAX') });
    this.pool.on('error', () => undefined); // an idle client lost its connection; the pool replaces it
  }

  /** Rows of one parameterised statement. */
  async rows<T>(sql: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, values)).rows as T[];
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
