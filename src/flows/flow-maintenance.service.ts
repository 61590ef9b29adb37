import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { SqlPool } from '../db/sql-pool.js';

const DAY_MS = 86_400_000;

export interface MaintenanceResult {
  created: string[];
  dropped: number;
  statsDeleted: number;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Partition upkeep (the `maintain` job): day partitions made ahead, and for any day whose
 * records wait in the default partition; partitions past FLOW_RETENTION_DAYS dropped (not
 * deleted row by row); aggregates past FLOW_STATS_RETENTION_DAYS deleted.
 */
@Injectable()
export class FlowMaintenanceService {
  private readonly log = new Logger(FlowMaintenanceService.name);

  constructor(
    private readonly db: SqlPool,
    private readonly config: AppConfig,
  ) {}

  async maintain(now = Date.now()): Promise<MaintenanceResult> {
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const cutoff = isoDay(today - this.config.get('FLOW_RETENTION_DAYS') * DAY_MS);
    const client = await this.db.pool.connect();
    try {
      // DDL waits for ingest transactions; rather give up and retry at the next run than queue them all behind it.
      await client.query("SET lock_timeout = '10s'");
      const waiting = await client.query<{ day: string }>(
        `SELECT DISTINCT to_char(time_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM flows.record_default WHERE time_start >= $1::date
         UNION SELECT DISTINCT to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM flows.hour_source_default WHERE hour >= $1::date`,
        [cutoff],
      );
      const days = new Set(waiting.rows.map((r) => r.day));
      for (let d = -1; d <= this.config.get('FLOW_PARTITIONS_AHEAD_DAYS'); d++) days.add(isoDay(today + d * DAY_MS));
      const created: string[] = [];
      for (const day of [...days].sort()) {
        const r = await client.query<{ made: boolean }>('SELECT flows.ensure_day($1::date) AS made', [day]);
        if (r.rows[0].made) created.push(day);
      }
      const dropped = (await client.query<{ n: number }>('SELECT flows.drop_before($1::date) AS n', [cutoff])).rows[0].n;
      const statsCutoff = today - this.config.get('FLOW_STATS_RETENTION_DAYS') * DAY_MS;
      const stats = await client.query('DELETE FROM flows.hourly WHERE hour < $1', [new Date(statsCutoff)]);
      for (const table of ['hourly_total', 'hourly_port', 'hourly_site']) {
        await client.query(`DELETE FROM flows.${table} WHERE hour < $1`, [new Date(statsCutoff)]);
      }
      for (const table of ['daily', 'daily_port', 'daily_site']) await client.query(`DELETE FROM flows.${table} WHERE day < $1`, [new Date(statsCutoff)]);
      await client.query('DELETE FROM flows.batch WHERE created_at < $1', [new Date(today - this.config.get('FLOW_RETENTION_DAYS') * DAY_MS)]);
      this.log.log(`flow partitions: created ${created.join(', ') || 'none'}, dropped ${dropped} days, ${stats.rowCount} hourly rows expired`);
      return { created, dropped, statsDeleted: stats.rowCount ?? 0 };
    } finally {
      await client.query('RESET lock_timeout').catch(() => undefined);
      client.release();
    }
  }
}
