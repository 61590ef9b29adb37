import { Injectable, Logger } from '@nestjs/common';
import type pg from 'pg';
import { AppConfig } from '../config/app-config.js';
import { SqlPool } from '../db/sql-pool.js';
import { HOUR_MS } from './flows.constants.js';

const DAY_MS = 86_400_000;

export interface MaintenanceResult {
  created: string[];
  dropped: number;
  statsDeleted: number;
  /** Hours (per organisation) whose source sets were marked complete ahead (see markHoursAhead). */
  hoursMarked: number;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Partition upkeep (the `maintain` job): day partitions made ahead, and for any day whose
 * records wait in the default partition; partitions past FLOW_RETENTION_DAYS dropped (not
 * deleted row by row); aggregates past FLOW_STATS_RETENTION_DAYS deleted; the coming hours'
 * source sets marked complete.
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
      const hoursMarked = await this.markHoursAhead(client, now);
      this.log.log(`flow partitions: created ${created.join(', ') || 'none'}, dropped ${dropped} days, ${stats.rowCount} hourly rows expired, ${hoursMarked} source hours marked ahead`);
      return { created, dropped, statsDeleted: stats.rowCount ?? 0, hoursMarked };
    } finally {
      await client.query('RESET lock_timeout').catch(() => undefined);
      client.release();
    }
  }

  /**
   * Marks the source sets complete, for every organisation with a valid sync:flows key, from the
   * previous hour (flows that started before an hour arrive for minutes after it) to the hour
   * after the next run. Otherwise the first chunk of each new hour inserts the mark and holds it
   * until it commits, and every concurrent chunk of that hour waits for it. Goes through
   * flows.restore_hour_sources, so an hour that already has records (after a crash) is rebuilt
   * from them first, never marked blindly. Returns the hours marked.
   */
  private async markHoursAhead(client: pg.PoolClient, now: number): Promise<number> {
    const current = Math.floor(now / HOUR_MS) * HOUR_MS;
    const [from, to] = [current - HOUR_MS, current + Math.ceil(this.config.get('FLOW_MAINTENANCE_EVERY_MS') / HOUR_MS) * HOUR_MS + HOUR_MS];
    const r = await client.query<{ n: number }>(
      `SELECT coalesce(sum(flows.restore_hour_sources(o.id, ARRAY(SELECT generate_series($1::timestamptz, $2::timestamptz, interval '1 hour')))), 0)::int AS n
       FROM "Organization" o
       WHERE EXISTS (SELECT 1 FROM "ApiKey" k WHERE k."organizationId" = o.id AND 'sync:flows' = ANY (k.scopes)
                     AND k."revokedAt" IS NULL AND (k."expiresAt" IS NULL OR k."expiresAt" > now()))`,
      [new Date(from), new Date(to)],
    );
    return r.rows[0].n;
  }
}
