import { ArgsType, Field } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { IdField } from '../../common/validation/fields.js';
import { VulnFilter } from '../../vulns/inputs/vuln-filter.input.js';
import { ReportLanguage } from '../models/report.model.js';

@ArgsType()
export class RequestSiteReportArgs {
  @IdField() siteId: number;
  @Field(() => ReportLanguage, { defaultValue: ReportLanguage.ZH }) @IsOptional() @IsEnum(ReportLanguage) lang: ReportLanguage = ReportLanguage.ZH;
  @Field(() => VulnFilter, { nullable: true, description: "Which of the site's findings to list (its siteId is ignored); the summary always covers the whole site" })
  @IsOptional() @ValidateNested() @Type(() => VulnFilter)
  filter?: VulnFilter;
}
