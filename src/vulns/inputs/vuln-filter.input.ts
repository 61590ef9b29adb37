import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsDate, IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { PageArgs } from '../../graphql/pagination.js';
import { FindingStatus, VulnLevel } from '../models/vuln-enums.js';

@InputType()
export class VulnFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) siteId?: number;
  @Field(() => ID, { nullable: true, description: 'Administrators only narrow by organisation; others always see their own' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) organizationId?: number;
  @Field(() => ID, { nullable: true, description: 'Findings first found or last seen by this task' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) taskId?: number;
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
  @Field(() => [ID], { description: '1-1000 finding ids' })
  @Type(() => Number) @ArrayMinSize(1) @ArrayMaxSize(1000) @IsInt({ each: true }) @Min(1, { each: true })
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
  @Field(() => ID) @Type(() => Number) @IsInt() @Min(1) siteId: number;
}

@ArgsType()
export class TaskVulnListArgs extends VulnListArgs {
  @Field(() => ID) @Type(() => Number) @IsInt() @Min(1) taskId: number;
}
