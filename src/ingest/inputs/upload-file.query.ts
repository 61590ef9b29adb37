import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsId } from '../../common/validation/id.js';
import { ScanFormat } from '../parsers/types.js';

/** Vulnerability formats POST /ingest/files accepts (sync:vulns, VULN_SCAN tasks). */
export const VULN_FILE_FORMATS = [ScanFormat.NUCLEI, ScanFormat.ZAP, ScanFormat.OPENVAS] as const;
/** Baseline formats it accepts (sync:baseline, BASELINE tasks). */
export const BASELINE_FILE_FORMATS = [ScanFormat.KUBE_BENCH, ScanFormat.XCCDF] as const;
const FILE_FORMATS = [...VULN_FILE_FORMATS, ...BASELINE_FILE_FORMATS];

/** Query string of POST /ingest/files (the body is multipart/form-data with one `file` part). */
export class UploadFileQuery {
  @IsId() taskId: number;
  @IsIn(FILE_FORMATS, { message: `format must be one of ${FILE_FORMATS.join(', ')}` })
  format: (typeof FILE_FORMATS)[number];
  /** The file's chunk number among the scan's chunks (completeVulnScan counts files too). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) seq: number = 1;
  @IsOptional() @Matches(/^[A-Za-z0-9_.:-]{1,200}$/, { message: 'idempotencyKey is 1-200 letters, digits or _.:-' })
  idempotencyKey?: string;
}
