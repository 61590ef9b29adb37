import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal } from '../auth/principal.js';
import { badInput, conflict, forbidden, notFound } from '../common/errors/domain-error.js';
import { IngestDb } from '../ingest/ingest-db.js';
import { IngestQueue } from '../ingest/ingest-queue.service.js';
import { IngestService } from '../ingest/ingest.service.js';
import type { IngestBatch } from '../ingest/models/ingest-batch.model.js';
import { TasksService } from '../tasks/tasks.service.js';
import type { BaselinePayload } from './baseline-applier.service.js';
import type { SyncBaselineFailedInput, SyncBaselineInput, SyncBaselineItemInput } from './inputs/sync-baseline.input.js';

/** Items per syncBaseline chunk. */
export const MAX_CHUNK_ITEMS = 5000;
const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

interface Checked {
  replayId: string | null;
  replayTaskId: number | null;
  taskOrg: number | null;
  kind: string | null;
  status: string | null;
  isTarget: boolean;
  scriptId: number | null;
  version: number | null;
  versionId: number | null;
  resultVersionId: number | null;
}

/**
 * API side of baseline agents: checks the chunk's task, site and script, stores it durably as an
 * ingest batch (kind BASELINE) and queues it; the ingest worker applies it (BaselineApplier).
 * Agents push many small chunks, so every check is one query (see the benchmark).
 */
@Injectable()
export class BaselineSyncService {
  constructor(
    private readonly db: IngestDb,
    private readonly ingest: IngestService,
    private readonly queue: IngestQueue,
    private readonly tasks: TasksService,
  ) {}

  async sync(key: ApiKeyPrincipal, input: SyncBaselineInput, items: SyncBaselineItemInput[]): Promise<IngestBatch> {
    if (items.length > MAX_CHUNK_ITEMS) throw badInput(`A chunk holds at most ${MAX_CHUNK_ITEMS} items; split it`, { field: 'items' });
    const c = await this.check(key, input);
    if (c.replayId) {
      if (c.replayTaskId !== input.taskId) throw conflict('This idempotency key was used for another task', { field: 'idempotencyKey' });
      return this.ingest.batch(key, c.replayId);
    }
    this.assertOpenTask(key, input.taskId, c);
    if (!c.isTarget) throw badInput(`Site ${input.siteId} is not a target of task ${input.taskId}`, { field: 'siteId' });
    if (!c.scriptId) throw notFound('Baseline script', input.scriptId);
    if (!c.versionId) throw notFound(`Version ${c.version} of baseline script`, input.scriptId);
    if (c.resultVersionId !== null && c.resultVersionId !== c.versionId) {
      throw conflict('This task already checked the site against another version of the script', { field: 'version' });
    }
    const payload: BaselinePayload = {
      siteId: input.siteId, scriptId: input.scriptId, versionId: c.versionId, totalChunks: input.totalChunks ?? null, items,
    };
    const id = await this.ingest.store(key, { taskId: input.taskId, kind: 'BASELINE', seq: input.seq, idempotencyKey: input.idempotencyKey, payload });
    if (!id) return this.ingest.enqueued(key, null, input.taskId, input.idempotencyKey); // a concurrent push of the same key won
    await this.queue.tryEnqueue(id);
    return this.ingest.batch(key, id);
  }

  async failed(key: ApiKeyPrincipal, input: SyncBaselineFailedInput) {
    await this.ingest.openTask(key, input.taskId, 'BASELINE');
    return this.tasks.fail(key, input.taskId, input.reason);
  }

  /** The same rules as IngestService.openTask, on the row read by `check`. */
  private assertOpenTask(key: ApiKeyPrincipal, taskId: number, c: Checked): void {
    if (c.taskOrg === null) throw notFound('Task', taskId);
    if (c.taskOrg !== key.organizationId) throw forbidden('This belongs to another organisation');
    if (c.kind !== 'BASELINE') throw badInput('This task is not a baseline check', { field: 'taskId' });
    if (FINISHED.has(c.status!)) throw conflict(`The task is ${c.status}; it takes no more results`);
  }

  private async check(key: ApiKeyPrincipal, i: SyncBaselineInput): Promise<Checked> {
    const r = await this.db.pool.query<Checked>(
      `SELECT b.id AS "replayId", b."taskId" AS "replayTaskId", t."organizationId" AS "taskOrg", t.kind, t.status,
         EXISTS (SELECT 1 FROM "TaskSite" ts WHERE ts."taskId" = $1 AND ts."siteId" = $2) AS "isTarget",
         s.id AS "scriptId", COALESCE($4::int, s."latestVersion") AS version, v.id AS "versionId", r."versionId" AS "resultVersionId"
       FROM (VALUES (1)) one
       LEFT JOIN "IngestBatch" b ON b."organizationId" = $5 AND b."idempotencyKey" = $6
       LEFT JOIN "Task" t ON t.id = $1
       LEFT JOIN "BaselineScript" s ON s.id = $3
       LEFT JOIN "BaselineScriptVersion" v ON v."scriptId" = s.id AND v.version = COALESCE($4::int, s."latestVersion")
       LEFT JOIN "BaselineResult" r ON r."taskId" = $1 AND r."siteId" = $2 AND r."scriptId" = $3`,
      [i.taskId, i.siteId, i.scriptId, i.version ?? null, key.organizationId, i.idempotencyKey],
    );
    return r.rows[0];
  }
}
