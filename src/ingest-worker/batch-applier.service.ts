// Applies ingest batches. Each batch is applied in ONE transaction that also flips it to DONE,
// under a row lock on the batch: a worker killed mid-batch leaves nothing behind, and the next
// attempt (or a second worker) either applies it from scratch or finds it DONE and stops.
import { Injectable, Logger } from '@nestjs/common';
import type pg from 'pg';
import { IngestDb } from '../db/ingest-db.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { IngestQueue } from '../ingest/ingest-queue.service.js';
import { MAX_STORED_REJECTIONS } from '../ingest/ingest.constants.js';
import { writeFindings } from '../ingest/finding-writer.js';
import { applyAssetRecords } from '../assets/import/apply-asset-records.js';
import { FileImporter } from './file-importer.service.js';
import { toStorable } from '../common/text/unicode.js';
import { BaselineApplier } from '../baseline/baseline-applier.service.js';
import { BASELINE_FILE_FORMATS } from '../ingest/inputs/upload-file.query.js';
import { checkSyncRecord, type IncomingFinding, type Rejection, type SyncRecord } from '../ingest/incoming-finding.js';

export type ApplyOutcome = 'done' | 'skipped' | 'waiting' | 'failed';

interface BatchRow {
  id: string;
  kind: 'FINDINGS' | 'FILE' | 'COMPLETE' | 'BASELINE' | 'ASSETS';
  status: string;
  taskId: number;
  organizationId: number;
  apiKeyId: number | null;
  seq: number | null;
  payload: Record<string, any> | null;
  format: string | null;
  createdAt: Date;
}

@Injectable()
export class BatchApplier {
  private readonly log = new Logger(BatchApplier.name);

  constructor(
    private readonly db: IngestDb,
    private readonly queue: IngestQueue,
    private readonly files: FileImporter,
    private readonly baseline: BaselineApplier,
    private readonly metrics: MetricsService,
  ) {}

  async apply(batchId: string): Promise<ApplyOutcome> {
    const claimed = await this.db.pool.query<{ kind: BatchRow['kind'] }>(
      `UPDATE "IngestBatch" SET status = 'PROCESSING', attempts = attempts + 1, "startedAt" = now()
       WHERE id = $1 AND status IN ('RECEIVED', 'PROCESSING') RETURNING kind`,
      [batchId],
    );
    if (!claimed.rowCount) return 'skipped';
    const kind = claimed.rows[0].kind;
    const outcome = kind === 'COMPLETE' ? await this.applyComplete(batchId) : await this.applyChunk(batchId, kind);
    if (outcome === 'done' && kind !== 'COMPLETE') await this.wakeCompletion(batchId);
    return outcome;
  }

  /**
   * Marks a batch FAILED (after its last attempt, or for a file that cannot be parsed); a
   * completion waiting for it is woken to fail its task.
   */
  async fail(batchId: string, reason: string): Promise<void> {
    const r = await this.db.pool.query<{ kind: BatchRow['kind']; taskId: number }>(
      `UPDATE "IngestBatch" SET status = 'FAILED', error = left($2, 2000), "finishedAt" = now() WHERE id = $1 AND status <> 'DONE'
       RETURNING kind, "taskId"`,
      [batchId, toStorable(reason)],
    );
    if (!r.rowCount) return;
    const { kind, taskId } = r.rows[0];
    this.log.warn({ msg: `ingest batch ${batchId} of task ${taskId} FAILED: ${reason}`, batchId, taskId, reason });
    if (kind !== 'COMPLETE') await this.wakeCompletion(batchId);
  }

  private lock(c: pg.PoolClient, batchId: string) {
    return c.query<BatchRow>(
      `SELECT id, kind, status, "taskId", "organizationId", "apiKeyId", seq, payload, format, "createdAt"
       FROM "IngestBatch" WHERE id = $1 FOR UPDATE`,
      [batchId],
    );
  }

  private async applyChunk(batchId: string, kind: 'FINDINGS' | 'FILE' | 'BASELINE' | 'ASSETS'): Promise<ApplyOutcome> {
    let counts: { created: number; updated: number; rejected: number } | undefined;
    const outcome = await this.db.tx<ApplyOutcome>(async (c) => {
      const b = (await this.lock(c, batchId)).rows[0];
      if (!b || b.status === 'DONE' || b.status === 'FAILED') return 'skipped';
      const sites = await c.query<{ siteId: number; url: string }>(
        'SELECT ts."siteId", s.url FROM "TaskSite" ts JOIN "Site" s ON s.id = ts."siteId" WHERE ts."taskId" = $1',
        [b.taskId],
      );
      const ctx = { organizationId: b.organizationId, taskId: b.taskId, apiKeyId: b.apiKeyId, seenAt: b.createdAt };
      const result =
        kind === 'FINDINGS'
          ? await this.applyRecords(c, ctx, b.payload ?? {}, new Set(sites.rows.map((s) => s.siteId)))
          : kind === 'ASSETS'
            ? await applyAssetRecords(c, ctx, b.payload ?? {})
            : kind === 'BASELINE'
            ? await this.baseline.applySync(c, b, sites.rows)
            : (BASELINE_FILE_FORMATS as readonly string[]).includes(b.format ?? '')
              ? await this.baseline.importFile(c, b, sites.rows, this.files.chunks(b.id))
              : await this.files.importFile(c, ctx, b, sites.rows);
      await c.query(
        `UPDATE "IngestBatch" SET status = 'DONE', received = $2, created = $3, updated = $4, rejected = $5,
           rejections = $6::jsonb, error = NULL, "finishedAt" = now(), payload = NULL WHERE id = $1`,
        [batchId, result.received, result.created, result.updated, result.rejected,
          JSON.stringify(result.rejections.slice(0, MAX_STORED_REJECTIONS).map((r) => ({ ...r, reason: toStorable(r.reason) })))],
      );
      await c.query(
        `UPDATE "Task" SET status = 'RUNNING', "startedAt" = COALESCE("startedAt", now()), "updatedAt" = now()
         WHERE id = $1 AND status = 'PENDING'`,
        [b.taskId],
      );
      counts = result;
      return 'done';
    });
    if (counts) this.metrics.batchApplied(kind, counts); // counted once committed
    return outcome;
  }

  private async applyRecords(c: pg.PoolClient, ctx: Parameters<typeof writeFindings>[1], payload: Record<string, any>, siteIds: Set<number>) {
    const records: SyncRecord[] = Array.isArray(payload.findings) ? payload.findings : [];
    const ok: IncomingFinding[] = [];
    const rejections: Rejection[] = [];
    records.forEach((raw, index) => {
      const checked = checkSyncRecord(raw, String(payload.scanner), siteIds);
      if (typeof checked === 'string') rejections.push({ index, reason: checked });
      else ok.push(checked);
    });
    const w = await writeFindings(c, ctx, ok);
    return { received: records.length, created: w.created, updated: w.updated, rejected: rejections.length, rejections };
  }

  /**
   * The scan is complete once every chunk 1..total is DONE. Then, in one transaction: open
   * findings of the task's sites from the same scanner (and, if the scanner listed them, the
   * same checks) that this task did not see become FIXED, and the task SUCCEEDS.
   * A FAILED chunk (and no other batch of its number on the way) fails the completion and the
   * task, naming the chunk, and closes nothing since the scan's coverage is unknown; a retry of
   * that chunk (retryIngestBatch) revives both. A task cancelled or failed meanwhile closes nothing.
   */
  private async applyComplete(batchId: string): Promise<ApplyOutcome> {
    return this.db.tx(async (c) => {
      const b = (await this.lock(c, batchId)).rows[0];
      if (!b || b.status === 'DONE' || b.status === 'FAILED') return 'skipped';
      const task = (await c.query<{ status: string }>('SELECT status FROM "Task" WHERE id = $1 FOR UPDATE', [b.taskId])).rows[0];
      if (task.status === 'CANCELLED' || task.status === 'FAILED') {
        await c.query(
          `UPDATE "IngestBatch" SET status = 'DONE', closed = 0, error = $2, "finishedAt" = now() WHERE id = $1`,
          [batchId, `The task was ${task.status} before its completion was applied: no finding was closed`],
        );
        return 'done';
      }
      const total = b.seq ?? 0;
      const failed = await this.failedChunk(c, b.taskId, total);
      if (failed) {
        const reason = `Chunk ${failed.seq} (batch ${failed.id}) failed: retry it with retryIngestBatch to complete the scan`;
        await c.query(`UPDATE "IngestBatch" SET status = 'FAILED', error = $2, "finishedAt" = now() WHERE id = $1`, [batchId, reason]);
        await c.query(
          `UPDATE "Task" SET status = 'FAILED', error = $2, "finishedAt" = now(), "leaseExpiresAt" = NULL, "updatedAt" = now()
           WHERE id = $1 AND status IN ('PENDING', 'RUNNING')`,
          [b.taskId, reason],
        );
        return 'failed';
      }
      const done = await c.query<{ n: number }>(
        `SELECT count(DISTINCT seq)::int AS n FROM "IngestBatch"
         WHERE "taskId" = $1 AND kind IN ('FINDINGS', 'FILE', 'ASSETS') AND status = 'DONE' AND seq BETWEEN 1 AND $2`,
        [b.taskId, total],
      );
      const n = done.rows[0].n;
      if (n < total) {
        await c.query(`UPDATE "IngestBatch" SET status = 'RECEIVED', error = $2 WHERE id = $1`, [batchId, `Waiting for chunks: ${n} of ${total} applied`]);
        await c.query(`UPDATE "Task" SET progress = $2, "updatedAt" = now() WHERE id = $1`, [b.taskId, Math.floor((n * 100) / total)]);
        return 'waiting';
      }
      const checks: string[] | null = Array.isArray(b.payload?.checkIds) ? b.payload.checkIds : null;
      const closed = await c.query(
        `WITH gone AS (
           UPDATE "Finding" f SET status = 'FIXED', "statusChangedAt" = now()
           WHERE f."siteId" IN (SELECT "siteId" FROM "TaskSite" WHERE "taskId" = $1)
             AND f.scanner = $2 AND f.status = 'OPEN' AND f."trashedAt" IS NULL
             AND f."lastTaskId" IS DISTINCT FROM $1
             AND ($3::text[] IS NULL OR f."entryId" IN (SELECT id FROM "VulnEntry" WHERE scanner = $2 AND "checkId" = ANY($3::text[])))
           RETURNING f.id)
         INSERT INTO "FindingHistory" ("findingId", "fromStatus", "toStatus", "taskId", "apiKeyId", reason)
         SELECT id, 'OPEN', 'FIXED', $1, $4, $5 FROM gone`,
        [b.taskId, b.payload?.scanner, checks, b.apiKeyId, `Not seen by task ${b.taskId}, a completed scan that covers it`],
      );
      await c.query(
        `UPDATE "Task" SET status = 'SUCCEEDED', progress = 100, "finishedAt" = now(), "leaseExpiresAt" = NULL, "updatedAt" = now()
         WHERE id = $1 AND status IN ('PENDING', 'RUNNING')`,
        [b.taskId],
      );
      await c.query(
        `UPDATE "IngestBatch" SET status = 'DONE', closed = $2, error = NULL, "finishedAt" = now() WHERE id = $1`,
        [batchId, closed.rowCount ?? 0],
      );
      return 'done';
    });
  }

  /** The first chunk number 1..total whose batches all FAILED (none applied, none on the way). */
  private async failedChunk(c: pg.PoolClient, taskId: number, total: number) {
    const r = await c.query<{ seq: number; id: string }>(
      `SELECT seq, (array_agg(id ORDER BY "createdAt" DESC))[1] AS id FROM "IngestBatch"
       WHERE "taskId" = $1 AND kind IN ('FINDINGS', 'FILE', 'ASSETS') AND seq BETWEEN 1 AND $2
       GROUP BY seq HAVING bool_and(status = 'FAILED') ORDER BY seq LIMIT 1`,
      [taskId, total],
    );
    return r.rows[0];
  }

  /** A chunk is DONE or FAILED: re-evaluate its task's completion (a distinct job id, so no wake-up is lost). */
  private async wakeCompletion(chunkBatchId: string): Promise<void> {
    const r = await this.db.pool.query<{ id: string }>(
      `SELECT c.id FROM "IngestBatch" c JOIN "IngestBatch" b ON b."taskId" = c."taskId"
       WHERE b.id = $1 AND c.kind = 'COMPLETE' AND c.status IN ('RECEIVED', 'PROCESSING')`,
      [chunkBatchId],
    );
    for (const { id } of r.rows) await this.queue.tryEnqueue(id, `${id}:after:${chunkBatchId}`);
    if (r.rowCount) this.log.debug(`woke completion of ${r.rows.map((x) => x.id).join(', ')}`);
  }
}
