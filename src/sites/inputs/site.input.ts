import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsEnum, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested,
} from 'class-validator';
import { PageArgs } from '../../graphql/pagination.js';
import { Liveness, RiskLevel, SiteSortField, SortDirection } from '../models/enums.js';
import { IdField, IdListField, OptionalIdField } from '../../common/validation/fields.js';

const AREA_CODE = /^\d{6}$/;
const AREA_CODE_MESSAGE = 'areaCode must be a 6-digit area code';

@InputType()
export class CreateSiteInput {
  @Field({ description: 'http(s) URL or bare host name; normalised before it is stored' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  url: string;

  @Field({ nullable: true, description: 'Defaults to the host name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(AREA_CODE, { message: AREA_CODE_MESSAGE })
  areaCode?: string;

  @OptionalIdField({ description: 'Administrators must name the organisation; a USER\'s site always goes to their own' })
  organizationId?: number;

  @OptionalIdField({ description: 'A user of the same organisation' })
  ownerId?: number;
}

@InputType()
export class UpdateSiteInput {
  @IdField()
  id: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  url?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @Field(() => String, { nullable: true, description: 'null clears the area' })
  @IsOptional()
  @Matches(AREA_CODE, { message: AREA_CODE_MESSAGE })
  areaCode?: string | null;

  @OptionalIdField({ description: 'null clears the owner' })
  ownerId?: number | null;
}

@InputType()
export class SiteFilter {
  @Field({ nullable: true, description: 'Part of the name or URL (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  text?: string;

  @Field({ nullable: true, description: 'A province code includes its cities' })
  @IsOptional()
  @Matches(AREA_CODE, { message: AREA_CODE_MESSAGE })
  areaCode?: string;

  @OptionalIdField()
  organizationId?: number;

  @IdListField(50, { description: 'Sites carrying any of these tags', optional: true })
  tagIds?: number[];

  @Field(() => [Liveness], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsEnum(Liveness, { each: true })
  liveness?: Liveness[];

  @Field(() => [RiskLevel], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsEnum(RiskLevel, { each: true })
  riskLevels?: RiskLevel[];
}

@InputType()
export class SiteSort {
  @Field(() => SiteSortField, { defaultValue: SiteSortField.ID })
  @IsEnum(SiteSortField)
  field: SiteSortField = SiteSortField.ID;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  @IsEnum(SortDirection)
  direction: SortDirection = SortDirection.DESC;
}

@ArgsType()
export class SitesArgs extends PageArgs {
  @Field(() => SiteFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SiteFilter)
  filter?: SiteFilter;

  @Field(() => SiteSort, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SiteSort)
  sort?: SiteSort;
}

@ArgsType()
export class SiteIdsArgs {
  @IdListField(1000)
  ids: number[];
}
