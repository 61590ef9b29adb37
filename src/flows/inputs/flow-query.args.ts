import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsDate, IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { OptionalIdField } from '../../common/validation/fields.js';
import { MAX_PAGE_SIZE } from '../../graphql/pagination.js';
import { FlowDimension } from '../models/flow-aggregate.model.js';
import { FlowAction } from '../models/flow.model.js';

/** Filters shared by flow records and aggregates. */
@ArgsType()
export class FlowFilterArgs {
  @Field({ description: 'Start of the range (inclusive)' }) @IsDate() from: Date;
  @Field({ description: 'End of the range (exclusive)' }) @IsDate() to: Date;
  @OptionalIdField() siteId?: number;
  @Field(() => Int, { nullable: true, description: 'Destination port' }) @IsOptional() @IsInt() @Min(0) @Max(65535) port?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(255) protocol?: number;
  @Field(() => FlowAction, { nullable: true }) @IsOptional() @IsEnum(FlowAction) action?: FlowAction;
}

/** A page of flow records or hourly rows with the filters. */
@ArgsType()
export class FlowPageArgs extends FlowFilterArgs {
  @Field(() => Int, { defaultValue: 20, description: `Page size, 1-${MAX_PAGE_SIZE}` })
  @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge already seen' })
  @IsOptional() @IsString() @MaxLength(500)
  after?: string | null;
}

@ArgsType()
export class FlowsArgs extends FlowPageArgs {
  @Field({ nullable: true, description: 'An address or CIDR block matching the source or the destination' })
  @IsOptional() @IsString() @MaxLength(50)
  address?: string;

  @OptionalIdField({ description: 'Only records tied to this asset (Flow.assetId)' }) assetId?: number;
}

@ArgsType()
export class FlowAggregatesArgs extends FlowFilterArgs {
  @Field(() => FlowDimension) @IsEnum(FlowDimension) groupBy: FlowDimension;

  @Field(() => Int, { defaultValue: 100, description: 'Most groups returned (top N for SOURCE), 1-1000' })
  @IsInt() @Min(1) @Max(1000)
  limit: number = 100;
}

@ArgsType()
export class DeniedFlowsArgs {
  @Field({ description: 'Start of the range (inclusive)' }) @IsDate() from: Date;
  @Field({ description: 'End of the range (exclusive)' }) @IsDate() to: Date;

  @Field(() => Int, { defaultValue: 20, description: `Page size, 1-${MAX_PAGE_SIZE}` })
  @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge already seen' })
  @IsOptional() @IsString() @MaxLength(500)
  after?: string | null;

  @OptionalIdField({ description: 'Only denials to this asset' }) assetId?: number;
  @OptionalIdField() siteId?: number;
  @Field(() => Int, { nullable: true, description: 'Destination port' }) @IsOptional() @IsInt() @Min(0) @Max(65535) port?: number;
}
