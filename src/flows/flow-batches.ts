import type pg from 'pg';
import type { FlowBatch } from './models/flow-batch.model.js';

/** SQL column list of flows.batch as FlowBatch fields. */
export const BATCH_COLUMNS = `id, organization_id AS "organizationId", chunk_key AS "chunkKey", source, received, accepted, rejected, rejections, created_at AS "createdAt"`;

export type BatchRow = FlowBatch & { organizationId: number };

export async function findBatch(db: pg.Pool | pg.PoolClient, where: 'id' | 'chunk', ...values: unknown[]): Promise<BatchRow | null> {
  const condition = where === 'id' ? 'id = $1' : 'organization_id = $1 AND chunk_key = $2';
  const r = await db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM flows.batch WHERE ${condition}`, values);
  return r.rows[0] ?? null;
}
