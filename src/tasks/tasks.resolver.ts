import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IdArg } from '../common/validation/fields.js';
import { CurrentPrincipal, Scopes } from '../common/auth/decorators.js';
import type { ApiKeyPrincipal, Principal } from '../common/auth/principal.js';
import { TaskVulnListArgs } from '../vulns/inputs/vuln-filter.input.js';
import { VulnConnection } from '../vulns/models/vuln.model.js';
import { ClaimTaskInput, CreateTaskInput, HeartbeatInput, TaskListArgs } from './inputs/task.input.js';
import { Task, TaskConnection } from './models/task.model.js';
import { TasksService } from './tasks.service.js';

@Resolver(() => Task)
export class TasksResolver {
  constructor(private readonly service: TasksService) {}

  @Mutation(() => Task, { description: 'A new PENDING task on sites of one organisation, for a scanner to claim' })
  createTask(@CurrentPrincipal() p: Principal, @Args('input') input: CreateTaskInput) {
    return this.service.create(p, input);
  }

  @Query(() => TaskConnection, { description: 'Tasks, newest first' })
  tasks(@CurrentPrincipal() p: Principal, @Args() args: TaskListArgs) {
    return this.service.list(p, args);
  }

  @Query(() => Task)
  task(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.service.get(p, id);
  }

  @Query(() => Int, { description: 'Number of RUNNING tasks (old runningNum)' })
  runningTaskCount(@CurrentPrincipal() p: Principal) {
    return this.service.runningCount(p);
  }

  @Query(() => VulnConnection, {
    description:
      'The findings a task found: those it found first, and those it saw again that no later task has seen since ' +
      '(a later scan of the same site takes those over). Newest first, not in the trash.',
  })
  taskVulns(@CurrentPrincipal() p: Principal, @Args() { taskId, ...args }: TaskVulnListArgs) {
    return this.service.vulns(p, taskId, args);
  }

  @Mutation(() => Boolean, { description: 'Deletes a task that is not running (its findings stay)' })
  deleteTask(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.service.delete(p, id);
  }

  @Mutation(() => Task, { description: 'PENDING or RUNNING -> CANCELLED' })
  cancelTask(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.service.cancel(p, id);
  }

  @Mutation(() => Task, { description: 'FAILED or CANCELLED -> PENDING, for a scanner to claim again' })
  retryTask(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.service.retry(p, id);
  }

  @Scopes('tasks:claim')
  @Mutation(() => Task, {
    nullable: true,
    description:
      "Scanners (tasks:claim): claims the oldest PENDING task of the key's organisation, leased for TASK_LEASE_SECONDS. " +
      'A task whose lease expires without a heartbeat returns to the pool. Null when there is nothing to do.',
  })
  claimTask(@CurrentPrincipal() key: ApiKeyPrincipal, @Args('input') input: ClaimTaskInput) {
    return this.service.claim(key, input);
  }

  @Scopes('tasks:claim')
  @Mutation(() => Task, { description: 'Scanners: extends the lease of a claimed task and reports progress; CONFLICT once the lease was lost' })
  heartbeatTask(@CurrentPrincipal() key: ApiKeyPrincipal, @Args('input') input: HeartbeatInput) {
    return this.service.heartbeat(key, input);
  }
}
