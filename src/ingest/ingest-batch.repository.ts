import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { IngestBatch as IngestBatchRow } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { IngestDb } from '../db/ingest-db.js';

export type BatchKind = 'FINDINGS' | 'FILE' | 'COMPLETE' | 'BASELINE' | 'ASSETS';
/** Chunk kinds: what a completion counts. */
const CHUNK_KINDS = `kind IN ('FINDINGS', 'FILE', 'ASSETS')`;

/** A batch as its worker reads it (locked, in the batch's transaction). */
export interface LockedBatch {
  id: string;
  kind: BatchKind;
  status: string;
  taskId: number;
  organizationId: number;
  apiKeyId: number | null;
  seq: number | null;
  payload: Record<string, any> | null;
  format: string | null;
  createdAt: Date;
}

export interface NewBatchRow {
  organizationId: number;
  apiKeyId: number;
  taskId: number;
  kind: BatchKind;
  seq: number | null;
  idempotencyKey: string;
  payload?: unknown;
  format?: string | null;
}

export interface AppliedCounts {
  received: number;
  created: number;
  updated: number;
  rejected: number;
  /** The first ones only (already cut to what is stored). */
  rejections: { index: number; reason: string }[];
}

/**
 * Every query on ingest batches and their stored files; IngestService, IngestFilesService and the
 * worker's BatchApplierService hold the rules. Methods that take `c` run in the caller's transaction.
 */
@Injectable()
export class IngestBatchRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly db: IngestDb,
  ) {}

  /** A batch without its payload, as the API shows it. */
  find(id: string): Promise<Omit<IngestBatchRow, 'payload'> | null> {
    return this.prisma.ingestBatch.findUnique({ where: { id }, omit: { payload: true } });
  }

  findByKey(organizationId: number, idempotencyKey: string): Promise<Omit<IngestBatchRow, 'payload'> | null> {
    return this.prisma.ingestBatch.findUnique({ where: { organizationId_idempotencyKey: { organizationId, idempotencyKey } }, omit: { payload: true } });
  }

  /** Stores a batch (RECEIVED); null when one with the same idempotency key is there already. */
  async insert(b: NewBatchRow, c: pg.PoolClient | pg.Pool = this.db.pool): Promise<string | null> {
    const r = await c.query<{ id: string }>(
      `INSERT INTO "IngestBatch" (id, "organizationId", "apiKeyId", "taskId", kind, seq, "idempotencyKey", payload, format)
       VALUES (gen_random_uuid(), $1, $2, $3, $4::"IngestBatchKind", $5, $6, $7::json, $8)
       ON CONFLICT ("organizationId", "idempotencyKey") DO NOTHING RETURNING id`,
      [b.organizationId, b.apiKeyId, b.taskId, b.kind, b.seq, b.idempotencyKey, b.payload === undefined ? null : JSON.stringify(b.payload), b.format ?? null],
    );
    return r.rows[0]?.id ?? null;
  }

  async insertFileChunk(c: pg.PoolClient, batchId: string, seq: number, data: Buffer): Promise<void> {
    await c.query('INSERT INTO "IngestFileChunk" ("batchId", seq, data) VALUES ($1, $2, $3)', [batchId, seq, data]);
  }

  async setFileBytes(c: pg.PoolClient, batchId: string, bytes: number): Promise<void> {
    await c.query('UPDATE "IngestBatch" SET "fileBytes" = $2 WHERE id = $1', [batchId, bytes]);
  }

  /** One stored chunk of an uploaded file (seq from 0), or undefined past its end. */
  async fileChunk(batchId: string, seq: number): Promise<Buffer | undefined> {
    const r = await this.db.pool.query<{ data: Buffer }>('SELECT data FROM "IngestFileChunk" WHERE "batchId" = $1 AND seq = $2', [batchId, seq]);
    return r.rows[0]?.data;
  }

  /** Batches not finished yet, oldest first. */
  async unfinished(limit: number): Promise<string[]> {
    const r = await this.db.pool.query<{ id: string }>(
      `SELECT id FROM "IngestBatch" WHERE status IN ('RECEIVED', 'PROCESSING') ORDER BY "createdAt" LIMIT $1`,
      [limit],
    );
    return r.rows.map((x) => x.id);
  }

  /** A worker takes the batch (PROCESSING, one more attempt); null when it is finished already. */
  async start(id: string): Promise<BatchKind | null> {
    const r = await this.db.pool.query<{ kind: BatchKind }>(
      `UPDATE "IngestBatch" SET status = 'PROCESSING', attempts = attempts + 1, "startedAt" = now()
       WHERE id = $1 AND status IN ('RECEIVED', 'PROCESSING') RETURNING kind`,
      [id],
    );
    return r.rows[0]?.kind ?? null;
  }

  /** Marks a batch that is not DONE as FAILED; null when it was DONE. */
  async fail(id: string, reason: string): Promise<{ kind: BatchKind; taskId: number } | null> {
    const r = await this.db.pool.query<{ kind: BatchKind; taskId: number }>(
      `UPDATE "IngestBatch" SET status = 'FAILED', error = left($2, 2000), "finishedAt" = now() WHERE id = $1 AND status <> 'DONE'
       RETURNING kind, "taskId"`,
      [id, reason],
    );
    return r.rows[0] ?? null;
  }

  /** The batch, locked for the rest of the transaction. */
  async lock(c: pg.PoolClient, id: string): Promise<LockedBatch | undefined> {
    const r = await c.query<LockedBatch>(
      `SELECT id, kind, status, "taskId", "organizationId", "apiKeyId", seq, payload, format, "createdAt"
       FROM "IngestBatch" WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return r.rows[0];
  }

  /** A chunk is DONE with its counts; its payload is no longer needed. */
  async markApplied(c: pg.PoolClient, id: string, counts: AppliedCounts): Promise<void> {
    await c.query(
      `UPDATE "IngestBatch" SET status = 'DONE', received = $2, created = $3, updated = $4, rejected = $5,
         rejections = $6::jsonb, error = NULL, "finishedAt" = now(), payload = NULL WHERE id = $1`,
      [id, counts.received, counts.created, counts.updated, counts.rejected, JSON.stringify(counts.rejections)],
    );
  }

  /** A completion is DONE, having closed `closed` findings (`note`: why it closed none). */
  async markCompleted(c: pg.PoolClient, id: string, closed: number, note: string | null = null): Promise<void> {
    await c.query(`UPDATE "IngestBatch" SET status = 'DONE', closed = $2, error = $3, "finishedAt" = now() WHERE id = $1`, [id, closed, note]);
  }

  async markFailed(c: pg.PoolClient, id: string, reason: string): Promise<void> {
    await c.query(`UPDATE "IngestBatch" SET status = 'FAILED', error = $2, "finishedAt" = now() WHERE id = $1`, [id, reason]);
  }

  /** A completion waits for its chunks (RECEIVED again, saying why). */
  async markWaiting(c: pg.PoolClient, id: string, reason: string): Promise<void> {
    await c.query(`UPDATE "IngestBatch" SET status = 'RECEIVED', error = $2 WHERE id = $1`, [id, reason]);
  }

  /** How many of the chunk numbers 1..total of the task are applied. */
  async appliedChunks(c: pg.PoolClient, taskId: number, total: number): Promise<number> {
    const r = await c.query<{ n: number }>(
      `SELECT count(DISTINCT seq)::int AS n FROM "IngestBatch"
       WHERE "taskId" = $1 AND ${CHUNK_KINDS} AND status = 'DONE' AND seq BETWEEN 1 AND $2`,
      [taskId, total],
    );
    return r.rows[0].n;
  }

  /** The first chunk number 1..total whose batches all FAILED (none applied, none on the way). */
  async failedChunk(c: pg.PoolClient, taskId: number, total: number): Promise<{ seq: number; id: string } | undefined> {
    const r = await c.query<{ seq: number; id: string }>(
      `SELECT seq, (array_agg(id ORDER BY "createdAt" DESC))[1] AS id FROM "IngestBatch"
       WHERE "taskId" = $1 AND ${CHUNK_KINDS} AND seq BETWEEN 1 AND $2
       GROUP BY seq HAVING bool_and(status = 'FAILED') ORDER BY seq LIMIT 1`,
      [taskId, total],
    );
    return r.rows[0];
  }

  /** Unfinished completions of the task of this chunk. */
  async openCompletions(chunkBatchId: string): Promise<string[]> {
    const r = await this.db.pool.query<{ id: string }>(
      `SELECT c.id FROM "IngestBatch" c JOIN "IngestBatch" b ON b."taskId" = c."taskId"
       WHERE b.id = $1 AND c.kind = 'COMPLETE' AND c.status IN ('RECEIVED', 'PROCESSING')`,
      [chunkBatchId],
    );
    return r.rows.map((x) => x.id);
  }

  /** A FAILED batch back to RECEIVED; false when it is not FAILED. */
  async requeueFailed(c: pg.PoolClient, id: string): Promise<boolean> {
    const r = await c.query(`UPDATE "IngestBatch" SET status = 'RECEIVED', error = NULL, "finishedAt" = NULL WHERE id = $1 AND status = 'FAILED'`, [id]);
    return (r.rowCount ?? 0) > 0;
  }

  /** The task's FAILED completions back to RECEIVED, waiting for a retried chunk; their ids. */
  async requeueFailedCompletions(c: pg.PoolClient, taskId: number): Promise<string[]> {
    const r = await c.query<{ id: string }>(
      `UPDATE "IngestBatch" SET status = 'RECEIVED', error = 'Waiting for a retried chunk', "finishedAt" = NULL
       WHERE "taskId" = $1 AND kind = 'COMPLETE' AND status = 'FAILED' RETURNING id`,
      [taskId],
    );
    return r.rows.map((x) => x.id);
  }
}
