import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { Prisma } from '../generated/prisma/client.js';
import type { FindingStatus } from '../generated/prisma/enums.js';
import { afterIdDesc } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';

const INCLUDE = { entry: true, site: { select: { name: true, url: true } } } as const;

/** Who changed a finding's status, and why: one history row per finding changed. */
export interface StatusChangeBy {
  userId?: number | null;
  taskId?: number | null;
  apiKeyId: number | null;
  reason: string;
}

/** A finding seen by a scan, ready to be written (entry resolved, fingerprint made, fields bounded). */
export interface SeenFinding {
  siteId: number;
  entryId: number;
  scanner: string;
  url: string | null;
  parameter: string | null;
  evidence: string | null;
  level: string;
  fingerprint: string;
  location: string | null;
}

export interface SeenContext {
  organizationId: number;
  taskId: number;
  apiKeyId: number | null;
  /** When the findings were seen (the batch's receipt time, so re-applying changes nothing). */
  seenAt: Date;
  fingerprintVersion: number;
}

/**
 * The one INSERT of status history: a row for each finding of `changed`, a query or CTE with the
 * columns id, "fromStatus" and "toStatus". `by` holds the placeholders of userId, taskId, apiKeyId
 * and reason, in that order.
 */
function insertHistory(changed: string, by: [string, string, string, string]): string {
  return `INSERT INTO "FindingHistory" ("findingId", "fromStatus", "toStatus", "userId", "taskId", "apiKeyId", reason)
          SELECT id, "fromStatus", "toStatus", ${by.join(', ')} FROM ${changed}`;
}

/**
 * Every query on findings and their status history; FindingsService and ingestion hold the rules.
 * Requests run on Prisma; ingestion writes inside its batch's transaction (`c`, a pg connection).
 */
@Injectable()
export class FindingRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** A page of findings, newest first, with their entry and site, and the total. */
  page(where: Prisma.FindingWhereInput, after: string | null | undefined, take: number) {
    return Promise.all([
      this.prisma.finding.findMany({ where: { ...where, ...afterIdDesc(after) }, include: INCLUDE, orderBy: { id: 'desc' }, take }),
      this.prisma.finding.count({ where }),
    ]);
  }

  /** One finding with its entry, site and status history (with the usernames of who changed it). */
  detail(id: number) {
    return this.prisma.finding.findUnique({
      where: { id },
      include: { ...INCLUDE, history: { orderBy: { id: 'asc' }, include: { user: { select: { username: true } } } } },
    });
  }

  /** The sites of a task (every finding a task wrote is on one of them). */
  async siteIdsOfTask(taskId: number): Promise<number[]> {
    return (await this.prisma.taskSite.findMany({ where: { taskId }, select: { siteId: true } })).map((s) => s.siteId);
  }

  /**
   * Sets the status of the findings `ids`, with a history row for each real change, if every id
   * is a finding of `organizationId` (any organisation's when null); null, changing nothing, otherwise.
   */
  setStatus(ids: number[], organizationId: number | null, status: FindingStatus, by: StatusChangeBy): Promise<number | null> {
    return this.ifAllVisible(ids, organizationId, (tx) =>
      tx.$executeRawUnsafe(
        `WITH old AS (
           SELECT id, status FROM "Finding"
           WHERE id = ANY($1::int[]) AND status <> $2::"FindingStatus" AND ($3::int IS NULL OR "organizationId" = $3::int)
           FOR UPDATE
         ), changed AS (
           UPDATE "Finding" f SET status = $2::"FindingStatus", "statusChangedAt" = now()
           FROM old WHERE f.id = old.id
           RETURNING f.id, old.status AS "fromStatus", f.status AS "toStatus"
         )
         ${insertHistory('changed', ['$4::int', '$5::int', '$6::int', '$7'])}`,
        ids, status, organizationId, by.userId ?? null, by.taskId ?? null, by.apiKeyId, by.reason,
      ),
    );
  }

  /** Moves findings to the trash (or out of it: `trashed` false), if every id is visible as for setStatus. */
  trash(ids: number[], organizationId: number | null, trashed: boolean): Promise<number | null> {
    return this.ifAllVisible(ids, organizationId, async (tx) => {
      const r = await tx.finding.updateMany({
        where: { id: { in: ids }, trashedAt: trashed ? null : { not: null } },
        data: { trashedAt: trashed ? new Date() : null },
      });
      return r.count;
    });
  }

  /** Deletes trashed findings for good (all of them, or the given ids). */
  async purge(ids: number[] | undefined): Promise<number> {
    return (await this.prisma.finding.deleteMany({ where: { trashedAt: { not: null }, ...(ids ? { id: { in: ids } } : {}) } })).count;
  }

  /**
   * Writes what a scan saw, in the batch's transaction: findings re-seen while FIXED are re-opened
   * (with history), new fingerprints inserted, known ones updated. `rows`: one per fingerprint,
   * sorted by it, so concurrent writers lock rows in the same order.
   */
  async upsertSeen(c: pg.PoolClient, ctx: SeenContext, rows: SeenFinding[]): Promise<{ created: number; updated: number; reopened: number }> {
    const reopened = await c.query(
      `WITH r AS (SELECT id FROM "Finding" WHERE fingerprint = ANY($1::text[]) AND status = 'FIXED' ORDER BY fingerprint FOR UPDATE)
       ${insertHistory(`(SELECT id, 'FIXED'::"FindingStatus" AS "fromStatus", 'OPEN'::"FindingStatus" AS "toStatus" FROM r) AS reopened`, ['NULL::int', '$2', '$3', '$4'])}`,
      [rows.map((r) => r.fingerprint), ctx.taskId, ctx.apiKeyId, `Seen again by task ${ctx.taskId}`],
    );
    // The rows travel as one JSON text that PostgreSQL parses itself: cheaper than array parameters.
    const json = JSON.stringify(
      rows.map((r) => ({ s: r.siteId, e: r.entryId, sc: r.scanner, u: r.url, p: r.parameter, ev: r.evidence, lv: r.level, fp: r.fingerprint, loc: r.location })),
    );
    const res = await c.query<{ created: string; updated: string }>(
      `WITH up AS (
         INSERT INTO "Finding" ("organizationId", "siteId", "entryId", "taskId", "lastTaskId", scanner, url, parameter, evidence,
           level, fingerprint, "fingerprintVersion", location, "firstSeen", "lastSeen", "statusChangedAt")
         SELECT $1, s, e, $2, $2, sc, u, p, ev, lv::"VulnLevel", fp, $3, loc, $4, $4, $4
         FROM json_to_recordset($5::json) AS t(s int, e int, sc text, u text, p text, ev text, lv text, fp text, loc text)
         ON CONFLICT (fingerprint) DO UPDATE SET
           "lastSeen" = GREATEST("Finding"."lastSeen", EXCLUDED."lastSeen"),
           -- Only a sighting at least as recent moves lastTaskId (a late chunk of an older task must
           -- not make the newer task's completion close what it saw).
           "lastTaskId" = CASE WHEN EXCLUDED."lastSeen" >= "Finding"."lastSeen" THEN EXCLUDED."lastTaskId" ELSE "Finding"."lastTaskId" END,
           -- Nor does it overwrite what the newer sighting reported.
           scanner = CASE WHEN EXCLUDED."lastSeen" >= "Finding"."lastSeen" THEN EXCLUDED.scanner ELSE "Finding".scanner END,
           url = CASE WHEN EXCLUDED."lastSeen" >= "Finding"."lastSeen" THEN EXCLUDED.url ELSE "Finding".url END,
           evidence = CASE WHEN EXCLUDED."lastSeen" >= "Finding"."lastSeen" THEN EXCLUDED.evidence ELSE "Finding".evidence END,
           level = CASE WHEN EXCLUDED."lastSeen" >= "Finding"."lastSeen" THEN EXCLUDED.level ELSE "Finding".level END,
           status = CASE WHEN "Finding".status = 'FIXED' THEN 'OPEN'::"FindingStatus" ELSE "Finding".status END,
           "statusChangedAt" = CASE WHEN "Finding".status = 'FIXED' THEN now() ELSE "Finding"."statusChangedAt" END
         RETURNING (xmax = 0) AS inserted)
       SELECT count(*) FILTER (WHERE inserted) AS created, count(*) FILTER (WHERE NOT inserted) AS updated FROM up`,
      [ctx.organizationId, ctx.taskId, ctx.fingerprintVersion, ctx.seenAt, json],
    );
    return { created: Number(res.rows[0].created), updated: Number(res.rows[0].updated), reopened: reopened.rowCount ?? 0 };
  }

  /**
   * A completed scan closes, in its batch's transaction, the open findings of the task's sites
   * from the same scanner (and these checks, when listed) that the task did not see: FIXED, with
   * history. Returns how many.
   */
  async closeUnseen(c: pg.PoolClient, taskId: number, scanner: string, checkIds: string[] | null, by: { apiKeyId: number | null; reason: string }): Promise<number> {
    const closed = await c.query(
      `WITH gone AS (
         UPDATE "Finding" f SET status = 'FIXED', "statusChangedAt" = now()
         WHERE f."siteId" IN (SELECT "siteId" FROM "TaskSite" WHERE "taskId" = $1)
           AND f.scanner = $2 AND f.status = 'OPEN' AND f."trashedAt" IS NULL
           AND f."lastTaskId" IS DISTINCT FROM $1
           AND ($3::text[] IS NULL OR f."entryId" IN (SELECT id FROM "VulnEntry" WHERE scanner = $2 AND "checkId" = ANY($3::text[])))
         RETURNING f.id)
       ${insertHistory(`(SELECT id, 'OPEN'::"FindingStatus" AS "fromStatus", 'FIXED'::"FindingStatus" AS "toStatus" FROM gone) AS closed`, ['NULL::int', '$1', '$4', '$5'])}`,
      [taskId, scanner, checkIds, by.apiKeyId, by.reason],
    );
    return closed.rowCount ?? 0;
  }

  /** Runs `change` in one transaction if every id is a finding of `organizationId` (any when null); null otherwise. */
  private ifAllVisible(ids: number[], organizationId: number | null, change: (tx: Prisma.TransactionClient) => Promise<number>): Promise<number | null> {
    return this.prisma.$transaction(async (tx) => {
      const unique = [...new Set(ids)];
      const visible = await tx.finding.count({ where: { id: { in: unique }, ...(organizationId === null ? {} : { organizationId }) } });
      return visible === unique.length ? change(tx) : null;
    });
  }
}
