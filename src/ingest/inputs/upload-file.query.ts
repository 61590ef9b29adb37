import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsId } from '../../common/validation/id.js';
import { ScanFormat } from '../parsers/types.js';

/** Vulnerability and port scan formats POST /ingest/files accepts. */
export const VULN_FILE_FORMATS = [ScanFormat.NUCLEI, ScanFormat.ZAP, ScanFormat.OPENVAS, ScanFormat.NMAP, ScanFormat.MASSCAN, ScanFormat.NAABU, ScanFormat.HTTPX] as const;

/** Query string of POST /ingest/files (the body is multipart/form-data with one `file` part). */
export class UploadFileQuery {
  @IsId() taskId: number;
  @IsIn(VULN_FILE_FORMATS, { message: `format must be one of ${VULN_FILE_FORMATS.join(', ')}` })
  format: (typeof VULN_FILE_FORMATS)[number];
  /** The file's chunk number among the scan's chunks (completeVulnScan counts files too). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) seq: number = 1;
  @IsOptional() @Matches(/^[A-Za-z0-9_.:-]{1,200}$/, { message: 'idempotencyKey is 1-200 letters, digits or _.:-' })
  idempotencyKey?: string;
}
