// Worker side of baseline ingestion, called by the ingest BatchApplierService inside the batch's
// transaction: BASELINE batches (one syncBaseline chunk) and KUBE_BENCH / XCCDF files.
import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { ImportResult, Rejection } from '../ingest/incoming-finding.js';
import { FILE_FLUSH_SIZE, MAX_STORED_REJECTIONS } from '../ingest/ingest.constants.js';
import { parseFile } from '../ingest/parsers/parse-file.js';
import { ScanFormat, type ByteSource, type ParsedBaselineItem } from '../ingest/parsers/types.js';
import { checkSyncItem, type ScriptCheck, type SyncItem } from './baseline-item.js';
import { FROM_PARSED } from './baseline-score.js';
import { finishResults, openResult, openResults, refreshResult, writeItems, writeResultItems, type GroupResult, type ItemRow } from './baseline-writer.js';
import { toStorable } from '../common/text/unicode.js';
import { hostOf } from '../sites/site-url.js';
import { TaskRepository } from '../tasks/task.repository.js';

interface Batch {
  id: string;
  taskId: number;
  seq: number | null;
  format: string | null;
  payload: Record<string, any> | null;
}
type Site = { siteId: number; url: string };

/** What a syncBaseline chunk stores (checked by the API; items are checked here). */
export interface BaselinePayload {
  siteId: number;
  scriptId: number;
  versionId: number;
  totalChunks: number | null;
  items: SyncItem[];
  /** On the first batch of a syncBaselineResults call's task: every batch of that group, in call order. */
  group?: string[];
}

interface Chunk {
  id: string;
  seq: number | null;
  payload: BaselinePayload;
  out: Outcome;
}

class Outcome implements ImportResult {
  received = 0;
  created = 0;
  updated = 0;
  rejected = 0;
  rejections: Rejection[] = [];
  reject(index: number, reason: string) {
    this.rejected++;
    if (this.rejections.length < MAX_STORED_REJECTIONS) this.rejections.push({ index, reason });
  }
  add(w: { created: number; updated: number }) {
    this.created += w.created;
    this.updated += w.updated;
  }
}

@Injectable()
export class BaselineApplierService {
  constructor(private readonly tasks: TaskRepository) {}

  /**
   * A syncBaseline batch, with the rest of its group when it leads one (several results of one
   * task pushed in one syncBaselineResults call): the members are locked, their items checked,
   * and all of them written set-based — one statement per table for the whole group, not one per
   * result or item. Members are marked DONE here with their own counts and rejections; the
   * leader's outcome is returned to BatchApplierService, which marks it. A member applied on its own
   * (queued again by the sweep) is skipped here once DONE, and applies alone otherwise.
   */
  async applySync(c: pg.PoolClient, b: Batch, sites: Site[]): Promise<ImportResult> {
    const lead = b.payload as BaselinePayload;
    const members = lead.group?.length ? await this.lockMembers(c, b, lead.group) : [];
    const chunks: Chunk[] = [{ id: b.id, seq: b.seq, payload: lead, out: new Outcome() }, ...members];
    const order = new Map((lead.group ?? [b.id]).map((id, i) => [id, i]));
    chunks.sort((x, y) => order.get(x.id)! - order.get(y.id)!);
    await this.applyChunks(c, b.taskId, chunks, new Set(sites.map((s) => s.siteId)));
    if (members.length) await this.markDone(c, members);
    const total = Math.max(0, ...chunks.map((ch) => ch.payload.totalChunks ?? 0));
    if (total) await this.completeIfAllApplied(c, b.taskId, total, chunks.map((ch) => ch.id));
    return chunks.find((ch) => ch.id === b.id)!.out;
  }

  /** The group's other batches still to apply, locked in id order (the leader is locked already). */
  private async lockMembers(c: pg.PoolClient, b: Batch, group: string[]): Promise<Chunk[]> {
    const r = await c.query<{ id: string; seq: number | null; payload: BaselinePayload }>(
      `SELECT id, seq, payload FROM "IngestBatch"
       WHERE id = ANY($1::uuid[]) AND id <> $2 AND "taskId" = $3 AND kind = 'BASELINE' AND status IN ('RECEIVED', 'PROCESSING')
       ORDER BY id FOR UPDATE`,
      [group, b.id, b.taskId],
    );
    return r.rows.filter((x) => x.payload).map((x) => ({ id: x.id, seq: x.seq, payload: x.payload, out: new Outcome() }));
  }

  private async applyChunks(c: pg.PoolClient, taskId: number, chunks: Chunk[], targets: Set<number>): Promise<void> {
    const checks = await this.checksOf(c, [...new Set(chunks.map((ch) => ch.payload.versionId))]);
    // Items per chunk, checked; results keyed by site and script (a task has one per pair).
    const valid: { chunk: Chunk; rk: string; item: ItemRow }[] = [];
    const results = new Map<string, GroupResult>();
    for (const ch of chunks) {
      const p = ch.payload;
      const items = Array.isArray(p.items) ? p.items : [];
      ch.out.received = items.length;
      if (!targets.has(p.siteId)) {
        items.forEach((_, i) => ch.out.reject(i, `site ${p.siteId} is not a target of task ${taskId}`));
        continue;
      }
      const seen = new Set<string>();
      const rk = `${p.siteId}:${p.scriptId}`;
      const versionChecks = checks.get(p.versionId) ?? new Map<string, ScriptCheck>();
      items.forEach((raw, index) => {
        const item = checkSyncItem(raw ?? {}, versionChecks);
        if (typeof item === 'string') return ch.out.reject(index, item);
        if (seen.has(item.checkId)) return ch.out.reject(index, `${item.checkId} appears twice in this chunk`);
        seen.add(item.checkId);
        valid.push({ chunk: ch, rk, item });
      });
      if (!results.has(rk)) results.set(rk, { siteId: p.siteId, scriptId: p.scriptId, versionId: p.versionId });
    }
    if (!results.size) return;
    const opened = await openResults(c, taskId, [...results.values()]);
    const idOf = new Map(opened.map((r) => [`${r.siteId}:${r.scriptId}`, r.id]));
    // A later chunk's item replaces an earlier one's (as two calls would): the last of each (result, check) is written.
    const byResult = new Map<number, Map<string, ItemRow>>();
    for (const v of valid) {
      const id = idOf.get(v.rk)!;
      let m = byResult.get(id);
      if (!m) byResult.set(id, (m = new Map()));
      m.set(v.item.checkId, v.item);
    }
    const created = await writeResultItems(c, byResult);
    const counted = new Map<number, Set<string>>();
    for (const v of valid) {
      const id = idOf.get(v.rk)!;
      let seenHere = counted.get(id);
      if (!seenHere) counted.set(id, (seenHere = new Set()));
      if (!seenHere.has(v.item.checkId) && created.get(id)?.has(v.item.checkId)) v.chunk.out.created++;
      else v.chunk.out.updated++;
      seenHere.add(v.item.checkId);
    }
    await finishResults(c, opened.map((r) => r.id), opened.map((r) => r.inserted));
  }

  /** Members' outcomes, in one statement (the leader's is BatchApplierService's). */
  private async markDone(c: pg.PoolClient, members: Chunk[]): Promise<void> {
    const o = members.map((m) => m.out);
    await c.query(
      `UPDATE "IngestBatch" b SET status = 'DONE', attempts = b.attempts + 1, "startedAt" = COALESCE(b."startedAt", now()),
         received = x.received, created = x.created, updated = x.updated, rejected = x.rejected, rejections = x.rejections::jsonb,
         error = NULL, "finishedAt" = now(), payload = NULL
       FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[], $6::text[]) AS x(id, received, created, updated, rejected, rejections)
       WHERE b.id = x.id`,
      [members.map((m) => m.id), o.map((x) => x.received), o.map((x) => x.created), o.map((x) => x.updated), o.map((x) => x.rejected),
        o.map((x) => JSON.stringify(x.rejections.slice(0, MAX_STORED_REJECTIONS).map((r) => ({ ...r, reason: toStorable(r.reason) }))))],
    );
  }

  /**
   * A kube-bench or XCCDF report: items go to the result of the task's site the file names (or
   * the task's only site) for the script the file follows, created from the file's rules when no
   * script has that name. A file is a finished report: its task SUCCEEDS.
   */
  async importFile(c: pg.PoolClient, b: Batch, sites: Site[], bytes: ByteSource): Promise<ImportResult> {
    const format = b.format as ScanFormat;
    const out = new Outcome();
    const siteOfHost = new Map(sites.map((s) => [hostOf(s.url), s.siteId]));
    const results = new Map<string, { id: number; scriptId: number; created: boolean; seen: Set<string>; pending: ItemRow[] }>();
    let pendingCount = 0;
    const flush = async () => {
      for (const r of results.values()) {
        out.add(await writeItems(c, r.id, r.pending, true));
        if (r.created) await this.addChecks(c, r.scriptId, r.pending);
        r.pending = [];
      }
      pendingCount = 0;
    };
    for await (const event of parseFile(format, bytes)) {
      if (event.type === 'rejected') {
        out.reject(event.record.index, event.record.reason);
        continue;
      }
      if (event.type !== 'baseline') continue;
      const index = ++out.received;
      const item = event.record;
      const siteId = (item.target && siteOfHost.get(item.target.toLowerCase())) || (sites.length === 1 ? sites[0].siteId : undefined);
      if (siteId === undefined) {
        out.reject(index, `target ${item.target ?? '(none)'} is not a target site of this task`);
        continue;
      }
      const script = scriptOfFile(format, item);
      const key = `${siteId}:${script.name}`;
      let r = results.get(key);
      if (!r) {
        const s = await this.scriptByName(c, script);
        const opened = await openResult(c, { taskId: b.taskId, siteId, scriptId: s.scriptId, versionId: s.versionId });
        r = { id: opened.id, scriptId: s.scriptId, created: s.created, seen: new Set(), pending: [] };
        results.set(key, r);
      }
      if (r.seen.has(item.checkId)) {
        out.reject(index, `${item.checkId} appears twice for the same site and script; the first result is kept`);
        continue;
      }
      r.seen.add(item.checkId);
      r.pending.push(toItemRow(item));
      if (++pendingCount >= FILE_FLUSH_SIZE) await flush();
    }
    await flush();
    for (const r of results.values()) await refreshResult(c, r.id);
    await this.tasks.succeed(c, b.taskId, true);
    return out;
  }

  /** The checks of these script versions, by version and check id. */
  private async checksOf(c: pg.PoolClient, versionIds: number[]): Promise<Map<number, Map<string, ScriptCheck>>> {
    const r = await c.query<ScriptCheck & { versionId: number; checkId: string }>(
      'SELECT "versionId", "checkId", title, level, expected FROM "BaselineCheck" WHERE "versionId" = ANY($1::int[])',
      [versionIds],
    );
    const out = new Map<number, Map<string, ScriptCheck>>();
    for (const x of r.rows) {
      if (!out.has(x.versionId)) out.set(x.versionId, new Map());
      out.get(x.versionId)!.set(x.checkId, x);
    }
    return out;
  }

  /** The task SUCCEEDS once chunks 1..total are applied (these included); the task row lock serialises the count. */
  private async completeIfAllApplied(c: pg.PoolClient, taskId: number, total: number, applying: string[]): Promise<void> {
    await this.tasks.lock(c, taskId);
    const done = await c.query<{ n: number }>(
      `SELECT count(DISTINCT seq)::int AS n FROM "IngestBatch"
       WHERE "taskId" = $1 AND kind = 'BASELINE' AND seq BETWEEN 1 AND $2 AND (status = 'DONE' OR id = ANY($3::uuid[]))`,
      [taskId, total, applying],
    );
    const n = done.rows[0].n;
    await this.tasks.progressTo(c, taskId, Math.min(100, Math.floor((n * 100) / total)), n >= total);
  }

  /** The latest version of the script with this name, or a new script (version 1) when none has it. */
  private async scriptByName(c: pg.PoolClient, s: FileScript): Promise<{ scriptId: number; versionId: number; created: boolean }> {
    const made = await c.query<{ id: number }>(
      `INSERT INTO "BaselineScript" (name, target, description, source, "updatedAt") VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (name) DO NOTHING RETURNING id`,
      [s.name, s.target, s.description, s.source],
    );
    if (made.rowCount) {
      const v = await c.query<{ id: number }>('INSERT INTO "BaselineScriptVersion" ("scriptId", version) VALUES ($1, 1) RETURNING id', [made.rows[0].id]);
      return { scriptId: made.rows[0].id, versionId: v.rows[0].id, created: true };
    }
    const r = await c.query<{ scriptId: number; versionId: number }>(
      `SELECT s.id AS "scriptId", v.id AS "versionId" FROM "BaselineScript" s
       JOIN "BaselineScriptVersion" v ON v."scriptId" = s.id AND v.version = s."latestVersion" WHERE s.name = $1`,
      [s.name],
    );
    return { ...r.rows[0], created: false };
  }

  /** A script created by this import takes the file's rules as its checks. */
  private async addChecks(c: pg.PoolClient, scriptId: number, items: ItemRow[]): Promise<void> {
    if (!items.length) return;
    await c.query(
      `INSERT INTO "BaselineCheck" ("versionId", "checkId", position, title, level, expected)
       SELECT v.id, x.check_id, (SELECT count(*) FROM "BaselineCheck" WHERE "versionId" = v.id) + x.n, x.title, x.level, x.expected
       FROM "BaselineScriptVersion" v,
            unnest($2::text[], $3::text[], $4::"VulnLevel"[], $5::text[]) WITH ORDINALITY AS x(check_id, title, level, expected, n)
       WHERE v."scriptId" = $1 AND v.version = 1
       ON CONFLICT DO NOTHING`,
      [scriptId, items.map((i) => i.checkId), items.map((i) => i.title ?? i.checkId), items.map((i) => i.level), items.map((i) => i.expected)],
    );
  }
}

interface FileScript {
  name: string;
  target: string;
  description: string;
  source: 'KUBE_BENCH' | 'XCCDF';
}

/** The script a file's item follows: kube-bench per node type, XCCDF per benchmark id. */
function scriptOfFile(format: ScanFormat, item: ParsedBaselineItem): FileScript {
  if (format === ScanFormat.KUBE_BENCH) {
    const node = item.target ?? 'cluster';
    return { name: `kube-bench ${node}`.slice(0, 200), target: 'kubernetes', description: `Created from a kube-bench report (${node} checks)`, source: 'KUBE_BENCH' };
  }
  const benchmark = item.section ?? 'unnamed';
  return { name: `xccdf ${benchmark}`.slice(0, 200), target: 'xccdf', description: `Created from XCCDF results of benchmark ${benchmark}`, source: 'XCCDF' };
}

const cut = (v: string | undefined, max: number) => (v === undefined ? null : v.slice(0, max));

function toItemRow(i: ParsedBaselineItem): ItemRow {
  return {
    checkId: i.checkId.slice(0, 200),
    title: cut(i.title, 500),
    status: FROM_PARSED[i.status],
    level: i.level,
    expected: cut(i.expected, 2000),
    actual: cut(i.actual, 2000),
  };
}
