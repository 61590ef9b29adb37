import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal } from '../common/auth/principal.js';
import { badInput } from '../common/errors/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { findBatch, type BatchRow } from './flow-batches.js';
import { canonicalAddress, checkFlow, type TimeWindow } from './flow-record.js';
import { FlowWriter } from './flow-writer.js';
import { SqlPool } from '../db/sql-pool.js';
import { MAX_STORED_REJECTIONS, MAX_SYNC_RECORDS } from './flows.constants.js';
import { CHUNK_KEY, CHUNK_KEY_MESSAGE } from './inputs/ingest-flows.query.js';
import type { FlowRejection } from './models/flow-batch.model.js';
import type { IncomingItem } from './ndjson.js';

const DAY_MS = 86_400_000;

export type FlowSource = 'GRAPHQL' | 'NDJSON';

/**
 * Takes chunks of flow records from sensors. A chunk is checked record by record and stored in
 * one transaction (batch row, records, hourly aggregates) before the caller gets an answer, so
 * an acknowledged chunk is durable and counted, with no queue in between; its chunk key makes
 * a replay return the first answer.
 */
@Injectable()
export class FlowIngestService {
  constructor(
    private readonly db: SqlPool,
    private readonly config: AppConfig,
  ) {}

  async sync(key: ApiKeyPrincipal, chunkKey: string, records: unknown[]): Promise<BatchRow> {
    if (!CHUNK_KEY.test(chunkKey)) throw badInput(CHUNK_KEY_MESSAGE, { field: 'chunkKey' });
    if (records.length > MAX_SYNC_RECORDS) throw badInput(`A syncFlow call takes at most ${MAX_SYNC_RECORDS} records; split it`, { field: 'records' });
    return this.ingest(key, chunkKey, 'GRAPHQL', toItems(records));
  }

  /** The stored batch of a chunk key, if any (checked before any record is read). */
  private replay(key: ApiKeyPrincipal, chunkKey: string): Promise<BatchRow | null> {
    return findBatch(this.db.pool, 'chunk', key.organizationId, chunkKey);
  }

  async ingest(key: ApiKeyPrincipal, chunkKey: string | undefined, source: FlowSource, items: AsyncIterable<IncomingItem[]>): Promise<BatchRow> {
    const orgId = key.organizationId;
    const chunk = chunkKey ?? `${source.toLowerCase()}:${randomUUID()}`;
    const stored = await this.replay(key, chunk);
    if (stored) return stored;
    const [sites, assets] = await Promise.all([this.siteIndex(orgId), this.assetIndex(orgId)]);
    const window = this.window();
    const client = await this.db.pool.connect();
    let writer: FlowWriter | undefined;
    let failed = false;
    try {
      await client.query('BEGIN');
      const batch = await client.query<{ id: string }>(
        `INSERT INTO flows.batch (organization_id, api_key_id, chunk_key, source) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organization_id, chunk_key) DO NOTHING RETURNING id`,
        [orgId, key.id, chunk, source],
      );
      if (!batch.rowCount) {
        await client.query('ROLLBACK'); // the same chunk key committed meanwhile: answer with that one
        return (await this.replay(key, chunk))!;
      }
      writer = await FlowWriter.open(client, orgId, this.config.get('FLOW_SEGMENT_RECORDS'));
      const rejections: FlowRejection[] = [];
      let received = 0;
      for await (const batch of items) {
        for (const item of batch) {
          received++;
          const checked = item.reason !== undefined ? { reason: item.reason } : checkFlow(item.raw, window);
          if (checked.reason !== undefined) {
            if (rejections.length < MAX_STORED_REJECTIONS) rejections.push({ index: item.index, reason: checked.reason });
            continue;
          }
          const { row } = checked;
          const wait = writer.write(row, sites.get(row.dstAddr) ?? sites.get(row.srcAddr), assets.get(row.dstAddr) ?? assets.get(row.srcAddr));
          if (wait) await wait; // only when the COPY buffer is full or a segment ends
        }
      }
      await writer.close();
      await client.query('UPDATE flows.batch SET received = $2, accepted = $3, rejected = $4, rejections = $5 WHERE id = $1', [
        batch.rows[0].id, received, writer.count, received - writer.count, JSON.stringify(rejections),
      ]);
      await client.query('COMMIT');
      return (await findBatch(client, 'id', batch.rows[0].id))!;
    } catch (e) {
      failed = true;
      writer?.abort(e as Error);
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release(failed); // after an aborted COPY the connection is not reused
    }
  }

  /**
   * Sites of the organisation by address (Site.ip), the lowest id first when several share one.
   * A record belongs to the site of its destination address, else of its source address.
   */
  private async siteIndex(organizationId: number): Promise<Map<string, number>> {
    const r = await this.db.pool.query<{ id: number; ip: string }>(
      'SELECT id, ip FROM "Site" WHERE "organizationId" = $1 AND ip IS NOT NULL ORDER BY id DESC',
      [organizationId],
    );
    const index = new Map<string, number>();
    for (const s of r.rows) {
      const address = canonicalAddress(s.ip.trim());
      if (address) index.set(address, s.id);
    }
    return index;
  }

  /**
   * Assets of the organisation by address (Asset.ip, unique per organisation). A record belongs
   * to the asset of its destination address, else of its source address. Loaded once per chunk:
   * a map lookup per record is far cheaper than a join per row in SQL.
   */
  private async assetIndex(organizationId: number): Promise<Map<string, number>> {
    const r = await this.db.pool.query<{ id: number; ip: string }>('SELECT id, host(ip) AS ip FROM "Asset" WHERE "organizationId" = $1', [organizationId]);
    const index = new Map<string, number>();
    for (const a of r.rows) {
      const address = canonicalAddress(a.ip);
      if (address) index.set(address, a.id);
    }
    return index;
  }

  /** Records must start on or after the first UTC day still kept (older partitions are dropped). */
  private window(): TimeWindow {
    const now = Date.now();
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    return { now, oldest: today - this.config.get('FLOW_RETENTION_DAYS') * DAY_MS };
  }
}

async function* toItems(records: unknown[]): AsyncGenerator<IncomingItem[]> {
  yield records.map((raw, index) => ({ index, raw }));
}
