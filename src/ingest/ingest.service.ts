import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal, Principal } from '../common/auth/principal.js';
import { assertOrgAccess } from '../common/auth/scope.js';
import { badInput, conflict, forbidden, notFound } from '../common/errors/domain-error.js';
import type { IngestBatch as BatchRow, Task } from '../generated/prisma/client.js';
import { FINISHED_STATUSES, TaskRepository } from '../tasks/task.repository.js';
import { TasksService } from '../tasks/tasks.service.js';
import { IngestBatchRepository, type BatchKind } from './ingest-batch.repository.js';
import { IngestDb } from '../db/ingest-db.js';
import { IngestQueueService } from './ingest-queue.service.js';
import { MAX_CHUNK_FINDINGS } from './ingest.constants.js';
import { BASELINE_FILE_FORMATS } from './inputs/upload-file.query.js';
import type { CompleteVulnScanInput, SyncVulnRecordInput, SyncVulnsFailedInput, SyncVulnsInput } from './inputs/sync-vulns.input.js';
import type { IngestBatch } from './models/ingest-batch.model.js';

export interface NewBatch {
  taskId: number;
  kind: BatchKind;
  seq: number | null;
  idempotencyKey: string;
  payload?: unknown;
  format?: string;
}

/** The API side of ingestion: checks, stores the batch durably, then queues it. */
@Injectable()
export class IngestService {
  constructor(
    private readonly db: IngestDb,
    private readonly batches: IngestBatchRepository,
    private readonly taskRows: TaskRepository,
    private readonly queue: IngestQueueService,
    private readonly tasks: TasksService,
  ) {}

  async syncVulns(key: ApiKeyPrincipal, input: SyncVulnsInput, findings: SyncVulnRecordInput[]): Promise<IngestBatch> {
    if (findings.length > MAX_CHUNK_FINDINGS) {
      throw badInput(`A chunk holds at most ${MAX_CHUNK_FINDINGS} findings; split it`, { field: 'findings' });
    }
    const replay = await this.replay(key, input.taskId, input.idempotencyKey);
    if (replay) return replay;
    const task = await this.openTask(key, input.taskId);
    const scanner = this.scannerOf(task, input.scanner);
    const id = await this.store(key, {
      taskId: task.id, kind: 'FINDINGS', seq: input.seq, idempotencyKey: input.idempotencyKey,
      payload: { scanner, findings },
    });
    return this.enqueued(key, id, input.taskId, input.idempotencyKey);
  }

  /**
   * Ends a scan: once chunks 1..totalChunks are all applied, open findings of the task's sites
   * from this scanner (and these checks, when listed) that the scan did not see become FIXED and
   * the task SUCCEEDS. One per task (a replay returns the first).
   */
  async complete(key: ApiKeyPrincipal, input: CompleteVulnScanInput): Promise<IngestBatch> {
    const idempotencyKey = `@complete:${input.taskId}`;
    const replay = await this.replay(key, input.taskId, idempotencyKey);
    if (replay) return replay;
    const task = await this.openTask(key, input.taskId);
    const scanner = this.scannerOf(task, input.scanner);
    // The scanner has finished: its lease must not send the task back to the pool while chunks apply.
    await this.taskRows.endLease(task.id);
    const id = await this.store(key, {
      taskId: task.id, kind: 'COMPLETE', seq: input.totalChunks, idempotencyKey,
      payload: { scanner, checkIds: input.checkIds ?? null },
    });
    return this.enqueued(key, id, input.taskId, idempotencyKey);
  }

  failed(key: ApiKeyPrincipal, input: SyncVulnsFailedInput) {
    return this.tasks.fail(key, input.taskId, input.reason);
  }

  async batch(principal: Principal, id: string): Promise<IngestBatch> {
    const row = await this.batches.find(id);
    if (!row) throw notFound('Ingest batch', id);
    assertOrgAccess(principal, row.organizationId, 'Ingest batch', id);
    return toModel(row);
  }

  /**
   * A batch as ingestBatch shows it. Another organisation's answers NOT_FOUND; an API key of the
   * organisation needs sync:vulns, or sync:baseline when the batch is a baseline one.
   */
  async readableBatch(principal: Principal, id: string): Promise<IngestBatch> {
    const batch = await this.batch(principal, id);
    if (principal.kind === 'apiKey' && !principal.scopes.includes('sync:vulns')) {
      const baseline = batch.kind === 'BASELINE' || (BASELINE_FILE_FORMATS as readonly (string | null)[]).includes(batch.format);
      if (!baseline || !principal.scopes.includes('sync:baseline')) throw forbidden('This API key lacks the scope sync:vulns');
    }
    return batch;
  }

  /**
   * A FAILED batch goes back to RECEIVED and is queued again (its payload or file is still stored).
   * A completion that failed (because a chunk had failed) comes back with it and so does its task:
   * once the chunk is applied, the completion proceeds.
   */
  async retryBatch(principal: Principal, id: string): Promise<IngestBatch> {
    const { taskId, kind } = await this.batch(principal, id);
    const revived = await this.db.tx(async (c) => {
      if (!(await this.batches.requeueFailed(c, id))) throw conflict('Only a FAILED batch can be retried');
      const completions = kind === 'COMPLETE' ? [] : await this.batches.requeueFailedCompletions(c, taskId);
      if (kind === 'COMPLETE' || completions.length) await this.taskRows.reviveFailed(c, taskId);
      return completions;
    });
    await this.queue.tryEnqueue(id);
    for (const c of revived) await this.queue.tryEnqueue(c);
    return this.batch(principal, id);
  }

  /** The task a scanner may push to: its organisation's, of this kind, not finished. */
  async openTask(key: ApiKeyPrincipal, taskId: number, kind: Task['kind'] = 'VULN_SCAN'): Promise<Task> {
    const task = await this.taskRows.find(taskId);
    if (!task) throw notFound('Task', taskId);
    assertOrgAccess(key, task.organizationId, 'Task', taskId);
    if (task.kind !== kind) throw badInput(kind === 'VULN_SCAN' ? 'This task is not a vulnerability scan' : 'This task is not a baseline check', { field: 'taskId' });
    if (FINISHED_STATUSES.has(task.status)) throw conflict(`The task is ${task.status}; it takes no more results`);
    return task;
  }

  scannerOf(task: Task, given: string | undefined): string {
    const scanner = given ?? task.scanner;
    if (!scanner) throw badInput('scanner is required when the task was not claimed by a scanner', { field: 'scanner' });
    return scanner;
  }

  /** The existing batch for this organisation's idempotency key, if any. */
  async replay(key: ApiKeyPrincipal, taskId: number, idempotencyKey: string): Promise<IngestBatch | null> {
    const row = await this.batches.findByKey(key.organizationId, idempotencyKey);
    if (!row) return null;
    if (row.taskId !== taskId) throw conflict('This idempotency key was used for another task', { field: 'idempotencyKey' });
    return toModel(row);
  }

  /** Stores a batch (RECEIVED); null when a concurrent request stored the same key first. */
  store(key: ApiKeyPrincipal, b: NewBatch): Promise<string | null> {
    return this.batches.insert({ ...b, organizationId: key.organizationId, apiKeyId: key.id });
  }

  async enqueued(key: ApiKeyPrincipal, id: string | null, taskId: number, idempotencyKey: string): Promise<IngestBatch> {
    if (!id) return (await this.replay(key, taskId, idempotencyKey))!;
    await this.queue.tryEnqueue(id);
    return this.batch(key, id);
  }
}

export function toModel(row: Omit<BatchRow, 'payload'>): IngestBatch {
  const { fileBytes, ...rest } = row;
  return { ...rest, fileBytes: fileBytes === null ? null : Number(fileBytes), rejections: (row.rejections ?? []) as unknown as IngestBatch['rejections'] };
}
