import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal, Principal } from '../common/auth/principal.js';
import { assertOrgAccess, orgScope } from '../common/auth/scope.js';
import { badInput, conflict, notFound } from '../common/errors/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import type { Prisma, Task as TaskRow } from '../generated/prisma/client.js';
import { toConnection } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { ClaimTaskInput, CreateTaskInput, HeartbeatInput, TaskListArgs } from './inputs/task.input.js';
import type { Task } from './models/task.model.js';
import { TaskRepository, type TaskWithSites } from './task.repository.js';
import { FindingsService } from '../vulns/findings.service.js';
import type { VulnListArgs } from '../vulns/inputs/vuln-filter.input.js';

const toTask = ({ sites, ...t }: TaskWithSites): Task => ({ ...t, siteIds: sites.map((s) => s.siteId) });

@Injectable()
export class TasksService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tasks: TaskRepository,
    private readonly config: AppConfig,
    private readonly findings: FindingsService,
  ) {}

  async create(principal: Principal, input: CreateTaskInput): Promise<Task> {
    const siteIds = [...new Set(input.siteIds)];
    const sites = await this.prisma.site.findMany({ where: { id: { in: siteIds }, ...orgScope(principal) }, select: { organizationId: true } });
    if (sites.length !== siteIds.length) throw notFound('Site');
    const orgs = new Set(sites.map((s) => s.organizationId));
    if (orgs.size !== 1) throw badInput('All target sites of a task must belong to one organisation', { field: 'siteIds' });
    const row = await this.tasks.create({
      kind: input.kind,
      name: input.name.trim(),
      organizationId: sites[0].organizationId,
      createdById: principal.kind === 'user' ? principal.id : null,
      autoCreateSites: input.autoCreateSites,
      siteIds,
    });
    return toTask(row);
  }

  async list(principal: Principal, args: TaskListArgs) {
    const where: Prisma.TaskWhereInput = {
      ...orgScope(principal),
      ...(args.status ? { status: args.status } : {}),
      ...(args.kind ? { kind: args.kind } : {}),
    };
    const [rows, total] = await this.tasks.page(where, args.after, args.first + 1);
    return toConnection(rows.map(toTask), args.first, total, (r) => [r.id]);
  }

  async get(principal: Principal, id: number): Promise<Task> {
    const row = await this.tasks.findWithSites(id);
    if (!row) throw notFound('Task', id);
    assertOrgAccess(principal, row.organizationId, 'Task', id);
    return toTask(row);
  }

  runningCount(principal: Principal): Promise<number> {
    return this.tasks.count({ ...orgScope(principal), status: 'RUNNING' });
  }

  /** A running task cannot be deleted (its scanner still pushes to it): cancel it first. */
  async delete(principal: Principal, id: number): Promise<boolean> {
    const task = await this.get(principal, id);
    if (task.status === 'RUNNING') throw conflict('The task is running; cancel it first');
    await this.tasks.delete(id);
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
    const id = await this.tasks.claim(key.organizationId, input.kind, input.scanner, key.id, this.config.get('TASK_LEASE_SECONDS'));
    return id === null ? null : this.get(key, id);
  }

  /** Extends the lease of a task the key holds; CONFLICT once the lease was lost. */
  async heartbeat(key: ApiKeyPrincipal, input: HeartbeatInput): Promise<Task> {
    await this.get(key, input.taskId);
    const held = await this.tasks.heartbeat(input.taskId, key.id, input.progress ?? null, this.config.get('TASK_LEASE_SECONDS'));
    if (!held) throw conflict('This key does not hold the task (not running, or its lease expired)');
    return this.get(key, input.taskId);
  }

  /** The scanner gave up: the task FAILS with its reason (it can be retried by hand). */
  async fail(key: ApiKeyPrincipal, taskId: number, reason: string): Promise<Task> {
    return this.transition(key, taskId, ['PENDING', 'RUNNING'], {
      status: 'FAILED', error: reason, finishedAt: new Date(), leaseExpiresAt: null, claimedByKeyId: null,
    });
  }

  /** The findings a task found (first found or last seen by it). */
  async vulns(principal: Principal, taskId: number, args: VulnListArgs) {
    await this.get(principal, taskId);
    return this.findings.list(principal, { ...args, filter: { ...args.filter, taskId } });
  }

  private async transition(principal: Principal, id: number, from: TaskRow['status'][], data: Prisma.TaskUpdateManyMutationInput) {
    const task = await this.get(principal, id);
    if (!(await this.tasks.transition(id, from, data))) throw conflict(`The task is ${task.status}; only ${from.join(' or ')} tasks can do this`);
    return this.get(principal, id);
  }
}
