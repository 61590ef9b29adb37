import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../config/app-config.js';

/** A plain pg pool for flows: COPY streams, partition DDL and SQL-only tables (schema "flows"). */
@Injectable()
export class FlowsDb implements OnModuleDestroy {
  readonly pool: pg.Pool;

  constructor(config: AppConfig) {
    this.pool = new pg.Pool({ connectionString: config.databaseUrl, max: 6 });
    this.pool.on('error', () => undefined); // an idle client lost its connection; the pool replaces it
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
