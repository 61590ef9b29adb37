import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { ApiKeyPrincipal } from '../common/auth/principal.js';
import { assertCleanStrings } from '../common/validation/input-guards.js';
import { AppConfig } from '../config/app-config.js';
import { badInput, conflict, DomainError, notFound } from '../common/errors/domain-error.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { IngestDb } from '../db/ingest-db.js';
import { IngestQueueService } from '../ingest/ingest-queue.service.js';
import { IngestService, toModel } from '../ingest/ingest.service.js';
import type { IngestBatch } from '../ingest/models/ingest-batch.model.js';
import { TasksService } from '../tasks/tasks.service.js';
import type { BaselinePayload } from './baseline-applier.service.js';
import { SyncBaselineInput, type SyncBaselineFailedInput, type SyncBaselineItemInput } from './inputs/sync-baseline.input.js';
import type { SyncBaselineOutcome } from './models/sync-baseline.model.js';

/** Items per result (chunk) of syncBaseline. */
export const MAX_CHUNK_ITEMS = 5000;
/** Results per syncBaselineResults call (the items are bounded by BASELINE_SYNC_MAX_ITEMS). */
export const MAX_CALL_RESULTS = 1000;
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

/** One result as pushed: the chunk's fields and its items. */
export type RawResult = Record<string, unknown> & { items?: unknown };

interface Accepted {
  index: number;
  input: SyncBaselineInput;
  items: SyncBaselineItemInput[];
  versionId: number;
  batchId: string;
}

/**
 * API side of baseline agents: checks each result's task, site and script, stores it durably as
 * an ingest batch (kind BASELINE, one per result so that its idempotency key, status and
 * rejections stay its own) and queues it; the ingest worker applies it (BaselineApplierService).
 * Several results in one call are checked with one query, stored with one statement and queued
 * as one job per task (the first batch leads its group; see BaselineApplierService.applySync).
 */
@Injectable()
export class BaselineSyncService {
  constructor(
    private readonly db: IngestDb,
    private readonly prisma: PrismaService,
    private readonly ingest: IngestService,
    private readonly queue: IngestQueueService,
    private readonly tasks: TasksService,
    private readonly config: AppConfig,
  ) {}

  /** The single-result form: its error is the answer's. */
  async sync(key: ApiKeyPrincipal, input: SyncBaselineInput, items: SyncBaselineItemInput[]): Promise<IngestBatch> {
    const [out] = await this.syncMany(key, [{ ...input, items }], false);
    if (out.error) throw new DomainError(out.error.code as never, out.error.message, out.error.field ? { field: out.error.field } : undefined);
    return out.batch!;
  }

  /**
   * Several results in one call, each checked, stored and answered on its own: an outcome per
   * result, in order, with its batch or its error. Stored before the answer; the same
   * idempotency key again answers the first batch.
   */
  async syncMany(key: ApiKeyPrincipal, raw: RawResult[], validate = true): Promise<SyncBaselineOutcome[]> {
    const maxItems = this.config.get('BASELINE_SYNC_MAX_ITEMS');
    if (raw.length > MAX_CALL_RESULTS) throw badInput(`A call holds at most ${MAX_CALL_RESULTS} results; split it`, { field: 'results' });
    const total = raw.reduce((n, r) => n + (Array.isArray(r?.items) ? r.items.length : 0), 0);
    if (total > maxItems) throw badInput(`A call holds at most ${maxItems} items in all (BASELINE_SYNC_MAX_ITEMS); split it`, { field: 'results' });

    const outcomes: SyncBaselineOutcome[] = raw.map((r, index) => ({
      index, idempotencyKey: typeof r?.idempotencyKey === 'string' ? r.idempotencyKey : null, batch: null, error: null,
    }));
    const refuse = (i: number, e: unknown) => {
      if (!(e instanceof DomainError)) throw e;
      outcomes[i].error = { code: e.code, message: e.message, field: typeof e.details?.field === 'string' ? e.details.field : null };
    };
    const parsed: { index: number; input: SyncBaselineInput; items: SyncBaselineItemInput[] }[] = [];
    raw.forEach((r, index) => {
      try {
        parsed.push({ index, ...this.parse(r, validate) });
      } catch (e) {
        refuse(index, e);
      }
    });

    const checks = await this.check(key, parsed.map((p) => p.input));
    const accepted: Accepted[] = [];
    const replays = new Map<number, string>(); // index -> batch id of an earlier push of its key
    const firstOfKey = new Map<string, { index: number; taskId: number }>();
    const versionOf = new Map<string, number>(); // task:site:script -> version id taken by an earlier result of this call
    parsed.forEach((p, n) => {
      const c = checks[n];
      const { input } = p;
      try {
        const earlier = firstOfKey.get(input.idempotencyKey);
        if (earlier) {
          if (earlier.taskId !== input.taskId) throw conflict('This idempotency key was used for another task', { field: 'idempotencyKey' });
          replays.set(p.index, `#${earlier.index}`);
          return;
        }
        if (c.replayId) {
          if (c.replayTaskId !== input.taskId) throw conflict('This idempotency key was used for another task', { field: 'idempotencyKey' });
          replays.set(p.index, c.replayId);
          firstOfKey.set(input.idempotencyKey, { index: p.index, taskId: input.taskId });
          return;
        }
        this.assertOpenTask(key, input.taskId, c);
        if (!c.isTarget) throw badInput(`Site ${input.siteId} is not a target of task ${input.taskId}`, { field: 'siteId' });
        if (!c.scriptId) throw notFound('Baseline script', input.scriptId);
        if (!c.versionId) throw notFound(`Version ${c.version} of baseline script`, input.scriptId);
        const resultKey = `${input.taskId}:${input.siteId}:${input.scriptId}`;
        const taken = versionOf.get(resultKey) ?? c.resultVersionId;
        if (taken !== null && taken !== c.versionId) {
          throw conflict('This task already checked the site against another version of the script', { field: 'version' });
        }
        versionOf.set(resultKey, c.versionId);
        firstOfKey.set(input.idempotencyKey, { index: p.index, taskId: input.taskId });
        accepted.push({ index: p.index, input, items: p.items, versionId: c.versionId, batchId: randomUUID() });
      } catch (e) {
        refuse(p.index, e);
      }
    });

    const stored = await this.store(key, accepted);
    for (const a of accepted) {
      if (!stored.has(a.batchId)) replays.set(a.index, `key:${a.input.idempotencyKey}`); // a concurrent push of the same key won
    }
    await this.answer(key, outcomes, accepted, stored, replays);
    return outcomes;
  }

  async failed(key: ApiKeyPrincipal, input: SyncBaselineFailedInput) {
    await this.ingest.openTask(key, input.taskId, 'BASELINE');
    return this.tasks.fail(key, input.taskId, input.reason);
  }

  /** The checks the validation pipe makes on syncBaseline's input, here for one result of a list. */
  private parse(raw: RawResult, validate: boolean): { input: SyncBaselineInput; items: SyncBaselineItemInput[] } {
    if (!raw || typeof raw !== 'object') throw badInput('A result must be an object');
    const { items, ...fields } = raw;
    if (!Array.isArray(items)) throw badInput('items must be a list', { field: 'items' });
    if (items.length > MAX_CHUNK_ITEMS) throw badInput(`A result holds at most ${MAX_CHUNK_ITEMS} items; split it into chunks`, { field: 'items' });
    if (!validate) return { input: fields as unknown as SyncBaselineInput, items: items as SyncBaselineItemInput[] };
    assertCleanStrings(raw, 'result');
    for (const k of Object.keys(fields)) if (fields[k] === null) delete fields[k];
    const input = plainToInstance(SyncBaselineInput, fields);
    const errors = validateSync(input, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    if (errors.length) {
      const first = errors[0];
      throw badInput(errors.map((e) => Object.values(e.constraints ?? {}).join(', ')).join('; '), { field: first.property });
    }
    return { input, items: items as SyncBaselineItemInput[] };
  }

  /** The same rules as IngestService.openTask, on the row read by `check`. */
  private assertOpenTask(key: ApiKeyPrincipal, taskId: number, c: Checked): void {
    // another organisation's task answers exactly like a missing one (no existence oracle)
    if (c.taskOrg !== key.organizationId) throw notFound('Task', taskId);
    if (c.kind !== 'BASELINE') throw badInput('This task is not a baseline check', { field: 'taskId' });
    if (FINISHED.has(c.status!)) throw conflict(`The task is ${c.status}; it takes no more results`);
  }

  /** Replay, task, target, script, version and existing result of every input: one query, rows in input order. */
  private async check(key: ApiKeyPrincipal, inputs: SyncBaselineInput[]): Promise<Checked[]> {
    if (!inputs.length) return [];
    const col = <T>(f: (i: SyncBaselineInput) => T) => inputs.map(f);
    const r = await this.db.pool.query<Checked>(
      `SELECT b.id AS "replayId", b."taskId" AS "replayTaskId", t."organizationId" AS "taskOrg", t.kind, t.status,
         EXISTS (SELECT 1 FROM "TaskSite" ts WHERE ts."taskId" = x.task AND ts."siteId" = x.site) AS "isTarget",
         s.id AS "scriptId", COALESCE(x.version, s."latestVersion") AS version, v.id AS "versionId", r."versionId" AS "resultVersionId"
       FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::text[]) WITH ORDINALITY AS x(task, site, script, version, key, n)
       LEFT JOIN "IngestBatch" b ON b."organizationId" = $6 AND b."idempotencyKey" = x.key
       LEFT JOIN "Task" t ON t.id = x.task
       LEFT JOIN "BaselineScript" s ON s.id = x.script
       LEFT JOIN "BaselineScriptVersion" v ON v."scriptId" = s.id AND v.version = COALESCE(x.version, s."latestVersion")
       LEFT JOIN "BaselineResult" r ON r."taskId" = x.task AND r."siteId" = x.site AND r."scriptId" = x.script
       ORDER BY x.n`,
      [col((i) => i.taskId), col((i) => i.siteId), col((i) => i.scriptId), col((i) => i.version ?? null), col((i) => i.idempotencyKey), key.organizationId],
    );
    return r.rows;
  }

  /**
   * Stores the accepted results, one batch each, in one statement; the first batch of each task
   * carries the ids of its group. Returns the ids stored (a key a concurrent push stored first is not).
   */
  private async store(key: ApiKeyPrincipal, accepted: Accepted[]): Promise<Set<string>> {
    if (!accepted.length) return new Set();
    const groups = new Map<number, Accepted[]>();
    for (const a of accepted) groups.set(a.input.taskId, [...(groups.get(a.input.taskId) ?? []), a]);
    const payloads = new Map<string, string>();
    for (const members of groups.values()) {
      members.forEach((a, i) => {
        const p: BaselinePayload = {
          siteId: a.input.siteId, scriptId: a.input.scriptId, versionId: a.versionId, totalChunks: a.input.totalChunks ?? null, items: a.items,
          ...(i === 0 && members.length > 1 ? { group: members.map((m) => m.batchId) } : {}),
        };
        payloads.set(a.batchId, JSON.stringify(p));
      });
    }
    const r = await this.db.pool.query<{ id: string }>(
      `INSERT INTO "IngestBatch" (id, "organizationId", "apiKeyId", "taskId", kind, seq, "idempotencyKey", payload)
       SELECT x.id, $1, $2, x.task, 'BASELINE', x.seq, x.key, x.payload::json
       FROM unnest($3::uuid[], $4::int[], $5::int[], $6::text[], $7::text[]) AS x(id, task, seq, key, payload)
       ON CONFLICT ("organizationId", "idempotencyKey") DO NOTHING RETURNING id`,
      [key.organizationId, key.id, accepted.map((a) => a.batchId), accepted.map((a) => a.input.taskId), accepted.map((a) => a.input.seq),
        accepted.map((a) => a.input.idempotencyKey), accepted.map((a) => payloads.get(a.batchId))],
    );
    const stored = new Set(r.rows.map((x) => x.id));
    for (const members of groups.values()) {
      const leader = members.find((m) => stored.has(m.batchId));
      // The leader applies its whole group; when it lost its key to a concurrent push, each member goes on its own.
      if (leader === members[0]) await this.queue.tryEnqueue(leader.batchId);
      else for (const m of members) if (stored.has(m.batchId)) await this.queue.tryEnqueue(m.batchId);
    }
    return stored;
  }

  /** Fills each outcome with its batch: the stored one, or the earlier batch of its key. */
  private async answer(key: ApiKeyPrincipal, outcomes: SyncBaselineOutcome[], accepted: Accepted[], stored: Set<string>, replays: Map<number, string>) {
    const batchOf = new Map<number, string>();
    for (const a of accepted) if (stored.has(a.batchId)) batchOf.set(a.index, a.batchId);
    const lostKeys = [...replays.values()].filter((v) => v.startsWith('key:')).map((v) => v.slice(4));
    const byKey = new Map<string, string>();
    if (lostKeys.length) {
      const rows = await this.prisma.ingestBatch.findMany({
        where: { organizationId: key.organizationId, idempotencyKey: { in: lostKeys } }, select: { id: true, idempotencyKey: true },
      });
      for (const r of rows) byKey.set(r.idempotencyKey!, r.id);
    }
    for (const [index, v] of replays) {
      if (v.startsWith('key:')) {
        const id = byKey.get(v.slice(4));
        if (id) batchOf.set(index, id);
        else outcomes[index].error = { code: 'CONFLICT', message: 'This idempotency key is being used by another push; retry', field: 'idempotencyKey' };
      } else if (!v.startsWith('#')) batchOf.set(index, v);
    }
    for (const [index, v] of replays) {
      if (v.startsWith('#')) {
        const first = Number(v.slice(1));
        if (batchOf.has(first)) batchOf.set(index, batchOf.get(first)!);
        else outcomes[index].error = outcomes[first].error;
      }
    }
    const ids = [...new Set(batchOf.values())];
    const rows = ids.length ? await this.prisma.ingestBatch.findMany({ where: { id: { in: ids } }, omit: { payload: true } }) : [];
    const models = new Map(rows.map((r) => [r.id, toModel(r)]));
    for (const [index, id] of batchOf) outcomes[index].batch = models.get(id) ?? null;
  }
}
