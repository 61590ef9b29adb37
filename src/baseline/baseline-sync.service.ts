import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal } from '../auth/principal.js';
import { badInput, conflict, notFound } from '../common/errors/domain-error.js';
import { IngestService } from '../ingest/ingest.service.js';
import type { IngestBatch } from '../ingest/models/ingest-batch.model.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { TasksService } from '../tasks/tasks.service.js';
import type { BaselinePayload } from './baseline-applier.service.js';
import type { SyncBaselineFailedInput, SyncBaselineInput, SyncBaselineItemInput } from './inputs/sync-baseline.input.js';

/** Items per syncBaseline chunk. */
export const MAX_CHUNK_ITEMS = 5000;

/**
 * API side of baseline agents: checks the chunk's task, site and script, stores it durably as an
 * ingest batch (kind BASELINE) and queues it; the ingest worker applies it (BaselineApplier).
 */
@Injectable()
export class BaselineSyncService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly ingest: IngestService,
    private readonly tasks: TasksService,
  ) {}

  async sync(key: ApiKeyPrincipal, input: SyncBaselineInput, items: SyncBaselineItemInput[]): Promise<IngestBatch> {
    if (items.length > MAX_CHUNK_ITEMS) throw badInput(`A chunk holds at most ${MAX_CHUNK_ITEMS} items; split it`, { field: 'items' });
    const replay = await this.ingest.replay(key, input.taskId, input.idempotencyKey);
    if (replay) return replay;
    const task = await this.ingest.openTask(key, input.taskId, 'BASELINE');
    const isTarget = await this.prisma.taskSite.count({ where: { taskId: task.id, siteId: input.siteId } });
    if (!isTarget) throw badInput(`Site ${input.siteId} is not a target of task ${task.id}`, { field: 'siteId' });
    const versionId = await this.versionId(input);
    const existing = await this.prisma.baselineResult.findUnique({
      where: { taskId_siteId_scriptId: { taskId: task.id, siteId: input.siteId, scriptId: input.scriptId } },
      select: { versionId: true },
    });
    if (existing && existing.versionId !== versionId) {
      throw conflict('This task already checked the site against another version of the script', { field: 'version' });
    }
    const payload: BaselinePayload = {
      siteId: input.siteId, scriptId: input.scriptId, versionId, totalChunks: input.totalChunks ?? null, items,
    };
    const id = await this.ingest.store(key, { taskId: task.id, kind: 'BASELINE', seq: input.seq, idempotencyKey: input.idempotencyKey, payload });
    return this.ingest.enqueued(key, id, task.id, input.idempotencyKey);
  }

  async failed(key: ApiKeyPrincipal, input: SyncBaselineFailedInput) {
    await this.ingest.openTask(key, input.taskId, 'BASELINE');
    return this.tasks.fail(key, input.taskId, input.reason);
  }

  private async versionId(input: SyncBaselineInput): Promise<number> {
    const script = await this.prisma.baselineScript.findUnique({ where: { id: input.scriptId }, select: { latestVersion: true } });
    if (!script) throw notFound('Baseline script', input.scriptId);
    const version = input.version ?? script.latestVersion;
    const v = await this.prisma.baselineScriptVersion.findUnique({ where: { scriptId_version: { scriptId: input.scriptId, version } }, select: { id: true } });
    if (!v) throw notFound(`Version ${version} of baseline script`, input.scriptId);
    return v.id;
  }
}
