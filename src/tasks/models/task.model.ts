import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { TaskKind, TaskStatus } from '../../generated/prisma/enums.js';
import { Paginated } from '../../graphql/pagination.js';

registerEnumType(TaskKind, { name: 'TaskKind' });
registerEnumType(TaskStatus, {
  name: 'TaskStatus',
  description: 'PENDING -> RUNNING (claimed by a scanner, under a lease) -> SUCCEEDED | FAILED | CANCELLED',
});

@ObjectType()
export class Task {
  @Field(() => ID) id: number;
  @Field(() => ID) organizationId: number;
  @Field(() => TaskKind) kind: TaskKind;
  @Field() name: string;
  @Field(() => TaskStatus) status: TaskStatus;
  @Field(() => Int, { description: 'Percent done: reported by the scanner, or chunks applied / total once the total is known' })
  progress: number;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => Int, { description: 'How many times a scanner claimed it' }) attempts: number;
  @Field(() => String, { nullable: true }) scanner: string | null;
  @Field(() => Date, { nullable: true, description: "When the claiming scanner's lease ends unless it sends a heartbeat" })
  leaseExpiresAt: Date | null;
  @Field(() => [ID], { description: 'Target sites' }) siteIds: number[];
  @Field({ description: "Imported files add sites for unknown hosts under the organisation's registered domains" })
  autoCreateSites: boolean;
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType()
export class TaskConnection extends Paginated(Task) {}
