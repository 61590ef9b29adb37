import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { OptionalIdField } from '../../common/validation/fields.js';

export const MAX_BATCH_ROWS = 10_000;
export const MAX_CSV_CHARS = 4_000_000;

/**
 * One row of a batch add. Limits here only bound the request size; each row's content is
 * checked by the service, which reports a bad row as INVALID and keeps the others.
 */
@InputType()
export class SiteRowInput {
  @Field()
  @IsString()
  @MaxLength(8192)
  url: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  areaCode?: string;
}

@InputType()
export class CreateSitesInput {
  @OptionalIdField({ description: 'Administrators must name the organisation; a USER\'s sites always go to their own' })
  organizationId?: number;

  @Field(() => [SiteRowInput], { description: `At most ${MAX_BATCH_ROWS} rows` })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_BATCH_ROWS)
  @ValidateNested({ each: true })
  @Type(() => SiteRowInput)
  rows: SiteRowInput[];
}

@InputType()
export class ImportSitesCsvInput {
  @OptionalIdField({ description: 'Administrators must name the organisation; a USER\'s sites always go to their own' })
  organizationId?: number;

  @Field({ description: `CSV text with a header row: url, name (optional), areaCode (optional); at most ${MAX_BATCH_ROWS} rows` })
  @IsString()
  @MaxLength(MAX_CSV_CHARS)
  csv: string;
}
