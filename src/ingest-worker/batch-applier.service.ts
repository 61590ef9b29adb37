// Applies ingest batches. Each batch is applied in ONE transaction that also flips it to DONE,
// under a row lock on the batch: a worker killed mid-batch leaves nothing behind, and the next
// attempt (or a second worker) either applies it from scratch or finds it DONE and stops.
import { Injectable, Logger } from '@nestjs/common';
import type pg from 'pg';
import { IngestDb } from '../db/ingest-db.js';
import { IngestBatchRepository, type BatchKind } from '../ingest/ingest-batch.repository.js';
import { TaskRepository } from '../tasks/task.repository.js';
import { FindingRepository } from '../vulns/finding.repository.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { IngestQueueService } from '../ingest/ingest-queue.service.js';
import { MAX_STORED_REJECTIONS } from '../ingest/ingest.constants.js';
import { writeFindings, type WriteContext } from '../ingest/finding-writer.js';
import { applyAssetRecords } from '../assets/import/apply-asset-records.js';
import { FileImporterService } from './file-importer.service.js';
import { toStorable } from '../common/text/unicode.js';
import { BaselineApplierService } from '../baseline/baseline-applier.service.js';
import { BASELINE_FILE_FORMATS } from '../ingest/inputs/upload-file.query.js';
import { checkSyncRecord, type IncomingFinding, type Rejection, type SyncRecord } from '../ingest/incoming-finding.js';

export type ApplyOutcome = 'done' | 'skipped' | 'waiting' | 'failed';

@Injectable()
export class BatchApplierService {
  private readonly log = new Logger(BatchApplierService.name);

  constructor(
    private readonly db: IngestDb,
    private readonly batches: IngestBatchRepository,
    private readonly tasks: TaskRepository,
    private readonly findings: FindingRepository,
    private readonly queue: IngestQueueService,
    private readonly files: FileImporterService,
    private readonly baseline: BaselineApplierService,
    private readonly metrics: MetricsService,
  ) {}

  async apply(batchId: string): Promise<ApplyOutcome> {
    const kind = await this.batches.start(batchId);
    if (!kind) return 'skipped';
    const outcome = kind === 'COMPLETE' ? await this.applyComplete(batchId) : await this.applyChunk(batchId, kind);
    if (outcome === 'done' && kind !== 'COMPLETE') await this.wakeCompletion(batchId);
    return outcome;
  }

  /**
   * Marks a batch FAILED (after its last attempt, or for a file that cannot be parsed); a
   * completion waiting for it is woken to fail its task.
   */
  async fail(batchId: string, reason: string): Promise<void> {
    const failed = await this.batches.fail(batchId, toStorable(reason));
    if (!failed) return;
    const { kind, taskId } = failed;
    this.log.warn({ msg: `ingest batch ${batchId} of task ${taskId} FAILED: ${reason}`, batchId, taskId, reason });
    if (kind !== 'COMPLETE') await this.wakeCompletion(batchId);
  }

  private async applyChunk(batchId: string, kind: Exclude<BatchKind, 'COMPLETE'>): Promise<ApplyOutcome> {
    let counts: { created: number; updated: number; rejected: number } | undefined;
    const outcome = await this.db.tx<ApplyOutcome>(async (c) => {
      const b = await this.batches.lock(c, batchId);
      if (!b || b.status === 'DONE' || b.status === 'FAILED') return 'skipped';
      const sites = await this.tasks.targets(c, b.taskId);
      const ctx = { organizationId: b.organizationId, taskId: b.taskId, apiKeyId: b.apiKeyId, seenAt: b.createdAt };
      const result =
        kind === 'FINDINGS'
          ? await this.applyRecords(c, ctx, b.payload ?? {}, new Set(sites.map((s) => s.siteId)))
          : kind === 'ASSETS'
            ? await applyAssetRecords(c, ctx, b.payload ?? {})
            : kind === 'BASELINE'
            ? await this.baseline.applySync(c, b, sites)
            : (BASELINE_FILE_FORMATS as readonly string[]).includes(b.format ?? '')
              ? await this.baseline.importFile(c, b, sites, this.files.chunks(b.id))
              : await this.files.importFile(c, ctx, b, sites);
      await this.batches.markApplied(c, batchId, {
        ...result,
        rejections: result.rejections.slice(0, MAX_STORED_REJECTIONS).map((r) => ({ ...r, reason: toStorable(r.reason) })),
      });
      await this.tasks.markRunning(c, b.taskId);
      counts = result;
      return 'done';
    });
    if (counts) this.metrics.batchApplied(kind, counts); // counted once committed
    return outcome;
  }

  private async applyRecords(c: pg.PoolClient, ctx: WriteContext, payload: Record<string, any>, siteIds: Set<number>) {
    const records: SyncRecord[] = Array.isArray(payload.findings) ? payload.findings : [];
    const ok: IncomingFinding[] = [];
    const rejections: Rejection[] = [];
    records.forEach((raw, index) => {
      const checked = checkSyncRecord(raw, String(payload.scanner), siteIds);
      if (typeof checked === 'string') rejections.push({ index, reason: checked });
      else ok.push(checked);
    });
    const w = await writeFindings(this.findings, c, ctx, ok);
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
      const b = await this.batches.lock(c, batchId);
      if (!b || b.status === 'DONE' || b.status === 'FAILED') return 'skipped';
      const status = await this.tasks.lock(c, b.taskId);
      if (status === 'CANCELLED' || status === 'FAILED') {
        await this.batches.markCompleted(c, batchId, 0, `The task was ${status} before its completion was applied: no finding was closed`);
        return 'done';
      }
      const total = b.seq ?? 0;
      const failed = await this.batches.failedChunk(c, b.taskId, total);
      if (failed) {
        const reason = `Chunk ${failed.seq} (batch ${failed.id}) failed: retry it with retryIngestBatch to complete the scan`;
        await this.batches.markFailed(c, batchId, reason);
        await this.tasks.fail(c, b.taskId, reason);
        return 'failed';
      }
      const n = await this.batches.appliedChunks(c, b.taskId, total);
      if (n < total) {
        await this.batches.markWaiting(c, batchId, `Waiting for chunks: ${n} of ${total} applied`);
        await this.tasks.setProgress(c, b.taskId, Math.floor((n * 100) / total));
        return 'waiting';
      }
      const checks: string[] | null = Array.isArray(b.payload?.checkIds) ? b.payload.checkIds : null;
      const closed = await this.findings.closeUnseen(c, b.taskId, b.payload?.scanner, checks, {
        apiKeyId: b.apiKeyId,
        reason: `Not seen by task ${b.taskId}, a completed scan that covers it`,
      });
      await this.tasks.succeed(c, b.taskId);
      await this.batches.markCompleted(c, batchId, closed);
      return 'done';
    });
  }

  /** A chunk is DONE or FAILED: re-evaluate its task's completion (a distinct job id, so no wake-up is lost). */
  private async wakeCompletion(chunkBatchId: string): Promise<void> {
    const completions = await this.batches.openCompletions(chunkBatchId);
    for (const id of completions) await this.queue.tryEnqueue(id, `${id}:after:${chunkBatchId}`);
    if (completions.length) this.log.debug(`woke completion of ${completions.join(', ')}`);
  }
}
