import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDate, IsEnum, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IdField, IdListField, OptionalIdField } from '../../common/validation/fields.js';
import { PageArgs } from '../../graphql/pagination.js';
import { FindingStatus, VulnLevel } from '../models/vuln-enums.js';

@InputType()
export class VulnFilter {
  @OptionalIdField() siteId?: number;
  @OptionalIdField({ description: 'Administrators only narrow by organisation; others always see their own' })
  organizationId?: number;
  @OptionalIdField({
    description:
      'Findings this task found first, or was the last task to see (a finding seen again by a later task ' +
      'moves to that task, but stays with the task that found it first)',
  })
  taskId?: number;
  @Field(() => [VulnLevel], { nullable: true }) @IsOptional() @ArrayMaxSize(5) @IsEnum(VulnLevel, { each: true }) levels?: VulnLevel[];
  @Field(() => [FindingStatus], { nullable: true, description: 'Default: every status' })
  @IsOptional() @ArrayMaxSize(4) @IsEnum(FindingStatus, { each: true }) statuses?: FindingStatus[];
  @Field({ nullable: true, description: "Library entry's kind (exact)" }) @IsOptional() @IsString() @MaxLength(100) kind?: string;
  @Field({ nullable: true, description: "Library entry's name contains (case-insensitive)" })
  @IsOptional() @IsString() @MaxLength(300) name?: string;
  @Field({ nullable: true, description: 'URL, parameter or entry name contains (case-insensitive)' })
  @IsOptional() @IsString() @MaxLength(300) text?: string;
  @Field({ nullable: true, description: 'Last seen at or after' }) @IsOptional() @Type(() => Date) @IsDate() seenFrom?: Date;
  @Field({ nullable: true, description: 'Last seen before' }) @IsOptional() @Type(() => Date) @IsDate() seenTo?: Date;
  @Field({ nullable: true, description: 'First seen at or after' }) @IsOptional() @Type(() => Date) @IsDate() firstSeenFrom?: Date;
  @Field({ nullable: true, description: 'First seen before' }) @IsOptional() @Type(() => Date) @IsDate() firstSeenTo?: Date;
}

@ArgsType()
export class VulnListArgs extends PageArgs {
  @Field(() => VulnFilter, { nullable: true })
  @IsOptional() @ValidateNested() @Type(() => VulnFilter)
  filter?: VulnFilter;
}

@ArgsType()
export class VulnEntryListArgs extends PageArgs {
  @Field({ nullable: true, description: 'Name contains (case-insensitive)' })
  @IsOptional() @IsString() @MaxLength(300) name?: string;
  @Field(() => VulnLevel, { nullable: true }) @IsOptional() @IsEnum(VulnLevel) level?: VulnLevel;
}

@InputType()
export class VulnIdsInput {
  @IdListField(1000, { description: '1-1000 finding ids' })
  ids: number[];
  @Field({ nullable: true, description: 'Why (kept in the history)' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1000) reason?: string;
}

@InputType()
export class SetVulnStatusInput extends VulnIdsInput {
  @Field(() => FindingStatus) @IsEnum(FindingStatus) status: FindingStatus;
}

@ArgsType()
export class SiteVulnListArgs extends VulnListArgs {
  @IdField() siteId: number;
}

@ArgsType()
export class TaskVulnListArgs extends VulnListArgs {
  @IdField() taskId: number;
}
