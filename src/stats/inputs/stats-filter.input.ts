import { ArgsType, Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDate, IsEnum, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { OptionalIdField } from '../../common/validation/fields.js';
import { AreaLevel } from '../../sites/models/enums.js';
import { FindingStatus, VulnLevel } from '../../vulns/models/vuln-enums.js';

@InputType({ description: 'Narrows a statistic. Non-administrators always get their own organisation.' })
export class StatsFilter {
  @OptionalIdField({ description: 'Administrators only; others always see their own organisation' })
  organizationId?: number;
  @Field({ nullable: true, description: 'Sites in this province (and its cities) or city' })
  @IsOptional() @Matches(/^\d{6}$/, { message: 'areaCode must be a 6-digit area code' }) areaCode?: string;
  @OptionalIdField({ description: 'Sites with this tag' }) tagId?: number;
  @OptionalIdField() siteId?: number;
  @Field(() => [VulnLevel], { nullable: true }) @IsOptional() @ArrayMaxSize(5) @IsEnum(VulnLevel, { each: true }) levels?: VulnLevel[];
  @Field(() => [FindingStatus], { nullable: true, description: 'Default: OPEN (totals: every status; ignored by the timeline)' })
  @IsOptional() @ArrayMaxSize(4) @IsEnum(FindingStatus, { each: true }) statuses?: FindingStatus[];
  @Field({ nullable: true, description: 'Findings of this scanner (exact)' }) @IsOptional() @IsString() @MaxLength(64) scanner?: string;
}

@ArgsType()
export class StatsArgs {
  @Field(() => StatsFilter, { nullable: true })
  @IsOptional() @ValidateNested() @Type(() => StatsFilter)
  filter?: StatsFilter;
}

@ArgsType()
export class TopStatsArgs extends StatsArgs {
  @Field(() => Int, { defaultValue: 10, description: '1-100' }) @IsInt() @Min(1) @Max(100) first = 10;
}

@ArgsType()
export class AreaVulnStatArgs extends StatsArgs {
  @Field(() => AreaLevel, { defaultValue: AreaLevel.PROVINCE, description: 'PROVINCE rolls cities up into their province' })
  @IsEnum(AreaLevel) level: AreaLevel = AreaLevel.PROVINCE;
  @Field({ nullable: true, description: 'Only this province (drill down to its cities with level CITY)' })
  @IsOptional() @Matches(/^\d{6}$/, { message: 'parentCode must be a 6-digit area code' }) parentCode?: string;
}

export const TimelineInterval = { DAY: 'DAY', WEEK: 'WEEK', MONTH: 'MONTH' } as const;
export type TimelineInterval = (typeof TimelineInterval)[keyof typeof TimelineInterval];
registerEnumType(TimelineInterval, { name: 'TimelineInterval', description: 'Buckets: UTC days, ISO weeks (Monday) or calendar months' });

@ArgsType()
export class TimelineArgs extends StatsArgs {
  @Field({ description: 'First UTC day of the range (the time of day is ignored)' }) @Type(() => Date) @IsDate() from: Date;
  @Field({ description: 'UTC day after the range (exclusive; the time of day is ignored); at most 3 years after from' })
  @Type(() => Date) @IsDate() to: Date;
  @Field(() => TimelineInterval, { defaultValue: TimelineInterval.DAY }) @IsEnum(TimelineInterval) interval: TimelineInterval = TimelineInterval.DAY;
}
