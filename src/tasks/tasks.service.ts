import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal, Principal } from '../common/auth/principal.js';
import { assertOrgAccess, orgScope } from '../common/auth/scope.js';
import { badInput, conflict, notFound } from '../common/errors/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import type { Prisma, Task as TaskRow } from '../generated/prisma/client.js';
import { afterIdDesc, toConnection } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { ClaimTaskInput, CreateTaskInput, HeartbeatInput, TaskListArgs } from './inputs/task.input.js';
import type { Task } from './models/task.model.js';
import { FindingsService } from '../vulns/findings.service.js';
import type { VulnListArgs } from '../vulns/inputs/vuln-filter.input.js';

const WITH_SITES = { sites: { select: { siteId: true }, orderBy: { siteId: 'asc' } } } as const;
type TaskWithSites = TaskRow & { sites: { siteId: number }[] };
const toTask = ({ sites, ...t }: TaskWithSites): Task => ({ ...t, siteIds: sites.map((s) => s.siteId) });

@Injectable()
export class TasksService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
    private readonly findings: FindingsService,
  ) {}

  async create(principal: Principal, input: CreateTaskInput): Promise<Task> {
    const siteIds = [...new Set(input.siteIds)];
    const sites = await this.prisma.site.findMany({ where: { id: { in: siteIds }, ...orgScope(principal) }, select: { organizationId: true } });
    if (sites.length !== siteIds.length) throw notFound('Site');
    const orgs = new Set(sites.map((s) => s.organizationId));
    if (orgs.size !== 1) throw badInput('All target sites of a task must belong to one organisation', { field: 'siteIds' });
    const row = await this.prisma.task.create({
      data: {
        kind: input.kind,
        name: input.name.trim(),
        organizationId: sites[0].organizationId,
        createdById: principal.kind === 'user' ? principal.id : null,
        autoCreateSites: input.autoCreateSites,
        sites: { create: siteIds.map((siteId) => ({ siteId })) },
      },
      include: WITH_SITES,
    });
    return toTask(row);
  }

  async list(principal: Principal, args: TaskListArgs) {
    const where: Prisma.TaskWhereInput = {
      ...orgScope(principal),
      ...(args.status ? { status: args.status } : {}),
      ...(args.kind ? { kind: args.kind } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.task.findMany({ where: { ...where, ...afterIdDesc(args.after) }, include: WITH_SITES, orderBy: { id: 'desc' }, take: args.first + 1 }),
      this.prisma.task.count({ where }),
    ]);
    return toConnection(rows.map(toTask), args.first, total, (r) => [r.id]);
  }

  async get(principal: Principal, id: number): Promise<Task> {
    const row = await this.prisma.task.findUnique({ where: { id }, include: WITH_SITES });
    if (!row) throw notFound('Task', id);
    assertOrgAccess(principal, row.organizationId, 'Task', id);
    return toTask(row);
  }

  runningCount(principal: Principal): Promise<number> {
    return this.prisma.task.count({ where: { ...orgScope(principal), status: 'RUNNING' } });
  }

  /** A running task cannot be deleted (its scanner still pushes to it): cancel it first. */
  async delete(principal: Principal, id: number): Promise<boolean> {
    const task = await this.get(principal, id);
    if (task.status === 'RUNNING') throw conflict('The task is running; cancel it first');
    // Findings keep no foreign key to tasks (bulk-insert speed): clear their references here.
    await this.prisma.$transaction([
      this.prisma.finding.updateMany({ where: { taskId: id }, data: { taskId: null } }),
      this.prisma.finding.updateMany({ where: { lastTaskId: id }, data: { lastTaskId: null } }),
      this.prisma.task.delete({ where: { id } }),
    ]);
    return true;
  }

  cancel(principal: Principal, id: number): Promise<Task> {
    return this.transition(principal, id, ['PENDING', 'RUNNING'], {
      status: 'CANCELLED', finishedAt: new Date(), leaseExpiresAt: null, claimedByKeyId: null,
    });
  }

  /** A failed or cancelled task goes back to the pool for a scanner to claim. */
  retry(principal: Principal, id: number): Promise<Task> {
    return this.transition(principal, id, ['FAILED', 'CANCELLED'], {
      status: 'PENDING', error: null, finishedAt: null, leaseExpiresAt: null, claimedByKeyId: null, progress: 0,
    });
  }

  /**
   * Claims the oldest pending task of the key's organisation (or a running one whose lease
   * expired). FOR UPDATE SKIP LOCKED: concurrent claimers never get the same task.
   */
  async claim(key: ApiKeyPrincipal, input: ClaimTaskInput): Promise<Task | null> {
    const lease = this.config.get('TASK_LEASE_SECONDS');
    const rows = await this.prisma.$queryRaw<{ id: number }[]>`
      UPDATE "Task" SET status = 'RUNNING', scanner = ${input.scanner}, "claimedByKeyId" = ${key.id},
        "leaseExpiresAt" = now() + make_interval(secs => ${lease}), attempts = attempts + 1,
        "startedAt" = COALESCE("startedAt", now()), "updatedAt" = now()
      WHERE id = (
        SELECT id FROM "Task"
        WHERE "organizationId" = ${key.organizationId} AND kind = ${input.kind}::"TaskKind"
          AND (status = 'PENDING' OR (status = 'RUNNING' AND "leaseExpiresAt" < now()))
        ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
      RETURNING id`;
    return rows.length ? this.get(key, rows[0].id) : null;
  }

  /** Extends the lease of a task the key holds; CONFLICT once the lease was lost. */
  async heartbeat(key: ApiKeyPrincipal, input: HeartbeatInput): Promise<Task> {
    await this.get(key, input.taskId);
    const lease = this.config.get('TASK_LEASE_SECONDS');
    const n = await this.prisma.$executeRaw`
      UPDATE "Task" SET "leaseExpiresAt" = now() + make_interval(secs => ${lease}),
        progress = COALESCE(${input.progress ?? null}::int, progress), "updatedAt" = now()
      WHERE id = ${input.taskId} AND status = 'RUNNING' AND "claimedByKeyId" = ${key.id} AND "leaseExpiresAt" >= now()`;
    if (n === 0) throw conflict('This key does not hold the task (not running, or its lease expired)');
    return this.get(key, input.taskId);
  }

  /** The scanner gave up: the task FAILS with its reason (it can be retried by hand). */
  async fail(key: ApiKeyPrincipal, taskId: number, reason: string): Promise<Task> {
    return this.transition(key, taskId, ['PENDING', 'RUNNING'], {
      status: 'FAILED', error: reason, finishedAt: new Date(), leaseExpiresAt: null, claimedByKeyId: null,
    });
  }

  /** Running tasks whose lease expired go back to PENDING (run by the ingest sweep). */
  releaseExpiredLeases(): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE "Task" SET status = 'PENDING', "leaseExpiresAt" = NULL, "claimedByKeyId" = NULL, "updatedAt" = now()
      WHERE status = 'RUNNING' AND "leaseExpiresAt" < now()`;
  }

  /** The findings a task found (first found or last seen by it). */
  async vulns(principal: Principal, taskId: number, args: VulnListArgs) {
    await this.get(principal, taskId);
    return this.findings.list(principal, { ...args, filter: { ...args.filter, taskId } });
  }

  private async transition(principal: Principal, id: number, from: TaskRow['status'][], data: Prisma.TaskUpdateManyMutationInput) {
    const task = await this.get(principal, id);
    const r = await this.prisma.task.updateMany({ where: { id, status: { in: from } }, data });
    if (r.count === 0) throw conflict(`The task is ${task.status}; only ${from.join(' or ')} tasks can do this`);
    return this.get(principal, id);
  }
}
