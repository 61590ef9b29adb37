import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../config/app-config.js';

/**
 * A small pg pool for exports and reports: cursors that hold a connection for the length of a
 * download, and bytea chunks, kept apart from Prisma's pool so long exports cannot starve it.
 */
@Injectable()
export class ReportsDb implements OnModuleDestroy {
  readonly pool: pg.Pool;

  constructor(config: AppConfig) {
    this.pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4 });
    this.pool.on('error', () => undefined); // an idle client lost its connection; the pool replaces it
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
