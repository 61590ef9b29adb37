import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { IdField, IdListField, OptionalIdField, OptionalTextField } from '../../common/validation/fields.js';
import { MAX_ID } from '../../common/validation/id.js';
import { PageArgs } from '../../graphql/pagination.js';
import { RiskLevel } from '../../sites/models/enums.js';
import { ExposureStatus, PortProtocol } from '../models/asset-enums.js';

@InputType()
export class CreateMonitoredPortInput {
  @OptionalIdField({
    description: "Administrators: the organisation, or none for a global default. Users: always their own (ignored)",
  })
  organizationId?: number;
  @Field(() => Int) @IsInt() @Min(1) @Max(65535) port: number;
  @Field(() => PortProtocol, { defaultValue: PortProtocol.TCP }) @IsEnum(PortProtocol) protocol: PortProtocol = PortProtocol.TCP;
  @Field(() => RiskLevel) @IsEnum(RiskLevel) riskLevel: RiskLevel;
  @OptionalTextField(500) note?: string;
  @IdListField(100, { optional: true, description: "Limit to assets serving sites with these tags (the organisation's)" }) tagIds?: number[];
  @IdListField(1000, { optional: true, description: "Limit to assets serving these sites (the organisation's)" }) siteIds?: number[];
}

@InputType()
export class UpdateMonitoredPortInput {
  @IdField() id: number;
  @Field(() => RiskLevel, { nullable: true }) @IsOptional() @IsEnum(RiskLevel) riskLevel?: RiskLevel;
  @OptionalTextField(500) note?: string;
  @Field(() => [ID], { nullable: true, description: 'Replaces the tag limit ([] removes it)' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @Type(() => Number) @IsInt({ each: true }) @Min(1, { each: true }) @Max(MAX_ID, { each: true })
  tagIds?: number[];
  @Field(() => [ID], { nullable: true, description: 'Replaces the site limit ([] removes it)' })
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @Type(() => Number) @IsInt({ each: true }) @Min(1, { each: true }) @Max(MAX_ID, { each: true })
  siteIds?: number[];
}

@InputType()
export class ExposureFilter {
  @OptionalIdField({ description: 'Administrators only narrow by organisation; others always see their own' }) organizationId?: number;
  @OptionalIdField() assetId?: number;
  @Field(() => ExposureStatus, { nullable: true, description: 'Default: OPEN' }) @IsOptional() @IsEnum(ExposureStatus) status?: ExposureStatus;
  @Field(() => [RiskLevel], { nullable: true }) @IsOptional() @ArrayMaxSize(5) @IsEnum(RiskLevel, { each: true }) riskLevels?: RiskLevel[];
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(65535) port?: number;
}

@ArgsType()
export class ExposureListArgs extends PageArgs {
  @Field(() => ExposureFilter, { nullable: true })
  @IsOptional() @ValidateNested() @Type(() => ExposureFilter)
  filter?: ExposureFilter;
}

@ArgsType()
export class OrganizationArgs {
  @OptionalIdField({ description: 'Administrators only: one organisation (others always get their own)' }) organizationId?: number;
}
