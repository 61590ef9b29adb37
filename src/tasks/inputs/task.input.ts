import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IdField, IdListField } from '../../common/validation/fields.js';
import { TaskKind, TaskStatus } from '../../generated/prisma/enums.js';
import { PageArgs } from '../../graphql/pagination.js';

@InputType()
export class CreateTaskInput {
  @Field(() => TaskKind) @IsEnum(TaskKind) kind: TaskKind;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @IdListField(1000, { description: '1-1000 target sites, all of one organisation' })
  siteIds: number[];
  @Field({
    defaultValue: false,
    description:
      'Files imported for the task add a site (and make it a target) for a host that is not a target yet but lies ' +
      "under one of the organisation's registered domains (the domains of its existing sites). Off: findings on " +
      'such hosts are rejected, each with a reason.',
  })
  @IsBoolean()
  autoCreateSites: boolean = false;
}

@ArgsType()
export class TaskListArgs extends PageArgs {
  @Field(() => TaskStatus, { nullable: true }) @IsOptional() @IsEnum(TaskStatus) status?: TaskStatus;
  @Field(() => TaskKind, { nullable: true }) @IsOptional() @IsEnum(TaskKind) kind?: TaskKind;
}

@InputType()
export class ClaimTaskInput {
  @Field(() => TaskKind) @IsEnum(TaskKind) kind: TaskKind;
  @Field({ description: 'The scanner\'s name ("zap", "nuclei"...): findings pushed for the task are attributed to it' })
  @Matches(/^[a-z0-9._-]{1,64}$/, { message: 'scanner is 1-64 lower-case letters, digits or ._-' })
  scanner: string;
}

@InputType()
export class HeartbeatInput {
  @IdField() taskId: number;
  @Field(() => Int, { nullable: true, description: 'Percent done, 0-100' })
  @IsOptional() @IsInt() @Min(0) @Max(100) progress?: number;
}
