import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { Prisma, Task as TaskRow, TaskStatus } from '../generated/prisma/client.js';
import type { TaskKind } from '../generated/prisma/enums.js';
import { afterIdDesc } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';

const WITH_SITES = { sites: { select: { siteId: true }, orderBy: { siteId: 'asc' } } } as const;
export type TaskWithSites = TaskRow & { sites: { siteId: number }[] };

/** Statuses a task leaves only by a retry. */
export const FINISHED_STATUSES: ReadonlySet<TaskStatus> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Every query on tasks and their target sites; TasksService and the ingest services hold the rules.
 * Requests run on Prisma; a batch's worker changes its task inside the batch's own transaction, so
 * the methods that take `c` run on that pg connection (Prisma cannot join it).
 */
@Injectable()
export class TaskRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: { kind: TaskKind; name: string; organizationId: number; createdById: number | null; autoCreateSites: boolean; siteIds: number[] }) {
    const { siteIds, ...task } = data;
    return this.prisma.task.create({ data: { ...task, sites: { create: siteIds.map((siteId) => ({ siteId })) } }, include: WITH_SITES });
  }

  /** A page of tasks, newest first, and the total. */
  page(where: Prisma.TaskWhereInput, after: string | null | undefined, take: number): Promise<[TaskWithSites[], number]> {
    return Promise.all([
      this.prisma.task.findMany({ where: { ...where, ...afterIdDesc(after) }, include: WITH_SITES, orderBy: { id: 'desc' }, take }),
      this.prisma.task.count({ where }),
    ]);
  }

  findWithSites(id: number): Promise<TaskWithSites | null> {
    return this.prisma.task.findUnique({ where: { id }, include: WITH_SITES });
  }

  find(id: number): Promise<TaskRow | null> {
    return this.prisma.task.findUnique({ where: { id } });
  }

  count(where: Prisma.TaskWhereInput): Promise<number> {
    return this.prisma.task.count({ where });
  }

  /** Deletes a task; findings keep no foreign key to tasks (bulk-insert speed), so their references are cleared here. */
  async delete(id: number): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.finding.updateMany({ where: { taskId: id }, data: { taskId: null } }),
      this.prisma.finding.updateMany({ where: { lastTaskId: id }, data: { lastTaskId: null } }),
      this.prisma.task.delete({ where: { id } }),
    ]);
  }

  /** Moves a task that is in one of `from` (cancel, retry, a scanner giving up); false when it is not. */
  async transition(id: number, from: TaskStatus[], data: Prisma.TaskUpdateManyMutationInput): Promise<boolean> {
    return (await this.prisma.task.updateMany({ where: { id, status: { in: from } }, data })).count > 0;
  }

  /**
   * Claims the oldest pending task of the organisation (or a running one whose lease expired).
   * FOR UPDATE SKIP LOCKED: concurrent claimers never get the same task.
   */
  async claim(organizationId: number, kind: TaskKind, scanner: string, keyId: number, leaseSeconds: number): Promise<number | null> {
    const rows = await this.prisma.$queryRaw<{ id: number }[]>`
      UPDATE "Task" SET status = 'RUNNING', scanner = ${scanner}, "claimedByKeyId" = ${keyId},
        "leaseExpiresAt" = now() + make_interval(secs => ${leaseSeconds}), attempts = attempts + 1,
        "startedAt" = COALESCE("startedAt", now()), "updatedAt" = now()
      WHERE id = (
        SELECT id FROM "Task"
        WHERE "organizationId" = ${organizationId} AND kind = ${kind}::"TaskKind"
          AND (status = 'PENDING' OR (status = 'RUNNING' AND "leaseExpiresAt" < now()))
        ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
      RETURNING id`;
    return rows[0]?.id ?? null;
  }

  /** Extends the lease of a running task the key holds; false once the lease was lost. */
  async heartbeat(id: number, keyId: number, progress: number | null, leaseSeconds: number): Promise<boolean> {
    const n = await this.prisma.$executeRaw`
      UPDATE "Task" SET "leaseExpiresAt" = now() + make_interval(secs => ${leaseSeconds}),
        progress = COALESCE(${progress}::int, progress), "updatedAt" = now()
      WHERE id = ${id} AND status = 'RUNNING' AND "claimedByKeyId" = ${keyId} AND "leaseExpiresAt" >= now()`;
    return n > 0;
  }

  /** The scanner has finished: its lease must not send the task back to the pool while its chunks apply. */
  async endLease(id: number): Promise<void> {
    await this.prisma.task.update({ where: { id }, data: { leaseExpiresAt: null, claimedByKeyId: null } });
  }

  /** Running tasks whose lease expired go back to PENDING. */
  releaseExpiredLeases(): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE "Task" SET status = 'PENDING', "leaseExpiresAt" = NULL, "claimedByKeyId" = NULL, "updatedAt" = now()
      WHERE status = 'RUNNING' AND "leaseExpiresAt" < now()`;
  }

  // In a batch's transaction (`c`):

  /** The task's target sites with their URLs. */
  async targets(c: pg.PoolClient, id: number): Promise<{ siteId: number; url: string }[]> {
    const r = await c.query<{ siteId: number; url: string }>(
      'SELECT ts."siteId", s.url FROM "TaskSite" ts JOIN "Site" s ON s.id = ts."siteId" WHERE ts."taskId" = $1',
      [id],
    );
    return r.rows;
  }

  /** Makes a site a target of the task (a site added for an imported file's host). */
  async addTarget(c: pg.PoolClient, id: number, siteId: number): Promise<void> {
    await c.query('INSERT INTO "TaskSite" ("taskId", "siteId") VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, siteId]);
  }

  /** The task's organisation and whether its imported files may add sites. */
  async hostRules(c: pg.PoolClient, id: number): Promise<{ organizationId: number; autoCreateSites: boolean }> {
    const r = await c.query<{ organizationId: number; autoCreateSites: boolean }>('SELECT "organizationId", "autoCreateSites" FROM "Task" WHERE id = $1', [id]);
    return r.rows[0];
  }

  /** Locks the task row (serialises its completion) and answers its status. */
  async lock(c: pg.PoolClient, id: number): Promise<TaskStatus> {
    return (await c.query<{ status: TaskStatus }>('SELECT status FROM "Task" WHERE id = $1 FOR UPDATE', [id])).rows[0].status;
  }

  /** A chunk of a pending task was applied: the task is RUNNING. */
  async markRunning(c: pg.PoolClient, id: number): Promise<void> {
    await c.query(
      `UPDATE "Task" SET status = 'RUNNING', "startedAt" = COALESCE("startedAt", now()), "updatedAt" = now()
       WHERE id = $1 AND status = 'PENDING'`,
      [id],
    );
  }

  async setProgress(c: pg.PoolClient, id: number, progress: number): Promise<void> {
    await c.query(`UPDATE "Task" SET progress = $2, "updatedAt" = now() WHERE id = $1`, [id, progress]);
  }

  /** A pending or running task FAILS with its reason. */
  async fail(c: pg.PoolClient, id: number, reason: string): Promise<void> {
    await c.query(
      `UPDATE "Task" SET status = 'FAILED', error = $2, "finishedAt" = now(), "leaseExpiresAt" = NULL, "updatedAt" = now()
       WHERE id = $1 AND status IN ('PENDING', 'RUNNING')`,
      [id, reason],
    );
  }

  /** A pending or running task SUCCEEDS; with `markStarted`, one that never started gets its start time too. */
  async succeed(c: pg.PoolClient, id: number, markStarted = false): Promise<void> {
    await c.query(
      `UPDATE "Task" SET status = 'SUCCEEDED', progress = 100, "finishedAt" = now(), "leaseExpiresAt" = NULL, "updatedAt" = now(),
         "startedAt" = CASE WHEN $2 THEN COALESCE("startedAt", now()) ELSE "startedAt" END
       WHERE id = $1 AND status IN ('PENDING', 'RUNNING')`,
      [id, markStarted],
    );
  }

  /** Chunks applied so far of a pending or running task: it runs, or SUCCEEDS when `done`. */
  async progressTo(c: pg.PoolClient, id: number, progress: number, done: boolean): Promise<void> {
    await c.query(
      `UPDATE "Task" SET progress = $2, "startedAt" = COALESCE("startedAt", now()), "updatedAt" = now(),
         status = CASE WHEN $3 THEN 'SUCCEEDED'::"TaskStatus" ELSE 'RUNNING'::"TaskStatus" END,
         "finishedAt" = CASE WHEN $3 THEN now() END, "leaseExpiresAt" = CASE WHEN $3 THEN NULL ELSE "leaseExpiresAt" END
       WHERE id = $1 AND status IN ('PENDING', 'RUNNING')`,
      [id, progress, done],
    );
  }

  /** A task failed by a chunk comes back RUNNING when that chunk is retried. */
  async reviveFailed(c: pg.PoolClient, id: number): Promise<void> {
    await c.query(`UPDATE "Task" SET status = 'RUNNING', error = NULL, "finishedAt" = NULL, "updatedAt" = now() WHERE id = $1 AND status = 'FAILED'`, [id]);
  }
}
