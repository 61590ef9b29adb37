import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IdField, OptionalIdField } from '../../common/validation/fields.js';
import { PageArgs } from '../../graphql/pagination.js';
import { AssetLiveness, PortState } from '../models/asset-enums.js';

@InputType()
export class AssetFilter {
  @OptionalIdField({ description: 'Administrators only narrow by organisation; others always see their own' })
  organizationId?: number;
  @OptionalIdField({ description: 'Assets serving this site' }) siteId?: number;
  @Field({ nullable: true, description: 'An address ("10.0.0.5") or a network ("10.0.0.0/8", "fd00::/8") the asset is in' })
  @IsOptional() @IsString() @MaxLength(64) ip?: string;
  @Field({ nullable: true, description: 'OS name or family contains (case-insensitive)' })
  @IsOptional() @IsString() @MaxLength(100) os?: string;
  @Field(() => Int, { nullable: true, description: 'Has this port OPEN (tcp or udp)' })
  @IsOptional() @IsInt() @Min(1) @Max(65535) openPort?: number;
  @Field({ nullable: true, description: 'Has an OPEN port with this service name ("ssh", case-insensitive)' })
  @IsOptional() @IsString() @MaxLength(100) service?: string;
  @Field(() => AssetLiveness, { nullable: true }) @IsOptional() @IsEnum(AssetLiveness) liveness?: AssetLiveness;
  @Field({ nullable: true, description: 'Address, host name or OS contains (case-insensitive)' })
  @IsOptional() @IsString() @MaxLength(200) text?: string;
}

@ArgsType()
export class AssetListArgs extends PageArgs {
  @Field(() => AssetFilter, { nullable: true })
  @IsOptional() @ValidateNested() @Type(() => AssetFilter)
  filter?: AssetFilter;
}

@ArgsType()
export class SiteServicePortsArgs extends PageArgs {
  @IdField() siteId: number;
  @Field(() => PortState, { nullable: true, description: 'Default: every state' })
  @IsOptional() @IsEnum(PortState) state?: PortState;
}

@ArgsType()
export class AssetStatsArgs {
  @OptionalIdField({ description: 'Administrators only: one organisation (others always get their own)' }) organizationId?: number;
  @Field(() => Int, { defaultValue: 10, description: 'Most rows of each list (most frequent first), 1-100' }) @IsInt() @Min(1) @Max(100) top: number = 10;
}
