import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PageArgs } from '../../graphql/pagination.js';
import { RelatedDomainSource } from '../models/enums.js';
import { IdField, IdListField, OptionalIdField } from '../../common/validation/fields.js';

export const MAX_SYNC_HOSTNAMES = 5000;

@InputType()
export class RelatedDomainFilter {
  @OptionalIdField()
  siteId?: number;

  @Field({ nullable: true, description: 'Part of the host name' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  text?: string;

  @Field(() => RelatedDomainSource, { nullable: true })
  @IsOptional()
  @IsEnum(RelatedDomainSource)
  source?: RelatedDomainSource;
}

@ArgsType()
export class RelatedDomainsArgs extends PageArgs {
  @Field(() => RelatedDomainFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RelatedDomainFilter)
  filter?: RelatedDomainFilter;
}

@ArgsType()
export class RelatedDomainCountsArgs {
  @IdListField(1000)
  siteIds: number[];
}

@InputType()
export class SyncRelatedDomainsInput {
  @IdField()
  siteId: number;

  @Field(() => [String])
  @IsArray()
  @ArrayMaxSize(MAX_SYNC_HOSTNAMES)
  @IsString({ each: true })
  @MaxLength(253, { each: true })
  hostnames: string[];
}
