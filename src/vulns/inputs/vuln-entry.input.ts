import { Field, InputType, PartialType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IdField } from '../../common/validation/fields.js';
import { VulnLevel } from '../models/vuln-enums.js';

@InputType()
export class CreateVulnEntryInput {
  @Field() @IsString() @IsNotEmpty() @MaxLength(300) name: string;
  @Field(() => VulnLevel) @IsEnum(VulnLevel) level: VulnLevel;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) kind?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(20000) description?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(20000) solution?: string;
  @Field(() => [String], { nullable: true })
  @IsOptional() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(2000, { each: true })
  references?: string[];
  @Field(() => [String], { nullable: true })
  @IsOptional() @ArrayMaxSize(50) @Matches(/^CVE-\d{4}-\d{4,}$/, { each: true, message: 'cve entries look like CVE-2021-44228' })
  cve?: string[];
  @Field(() => [String], { nullable: true, description: 'CWE numbers ("79")' })
  @IsOptional() @ArrayMaxSize(50) @Matches(/^\d{1,6}$/, { each: true, message: 'cwe entries are numbers like 79' })
  cwe?: string[];
  @Field({ nullable: true, description: 'With checkId: incoming findings of this scanner check match this entry' })
  @IsOptional() @Matches(/^[a-z0-9._-]{1,64}$/, { message: 'scanner is 1-64 lower-case letters, digits or ._-' })
  scanner?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) checkId?: string;
}

@InputType()
export class UpdateVulnEntryInput extends PartialType(CreateVulnEntryInput) {
  @IdField() id: number;
}
