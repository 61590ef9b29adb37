import { Transform } from 'class-transformer';
import { IsEnum, IsIn, IsOptional } from 'class-validator';
import { VulnFilter } from '../../vulns/inputs/vuln-filter.input.js';
import { FindingStatus, VulnLevel } from '../../vulns/models/vuln-enums.js';
import { REPORT_LANGS, type ReportLang } from '../labels.js';

/** `levels=HIGH,LOW` or `levels=HIGH&levels=LOW` in a query string. */
const list = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value);

/**
 * Query string of GET /exports/findings.csv (and the options of `npm run export:vulns`): the
 * findings list's filter, plus the language of the header and labels.
 */
export class FindingsCsvQuery extends VulnFilter {
  @Transform(list) @IsOptional() @IsEnum(VulnLevel, { each: true }) declare levels?: VulnLevel[];
  @Transform(list) @IsOptional() @IsEnum(FindingStatus, { each: true }) declare statuses?: FindingStatus[];
  @IsOptional() @IsIn(REPORT_LANGS, { message: 'lang must be zh or en' }) lang: ReportLang = 'zh';
}
