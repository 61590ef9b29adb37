import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsId } from '../../common/validation/id.js';
import { ScanFormat } from '../parsers/types.js';

/** Vulnerability and port scan formats POST /ingest/files accepts (sync:vulns, VULN_SCAN tasks). */
export const VULN_FILE_FORMATS = [ScanFormat.NUCLEI, ScanFormat.ZAP, ScanFormat.OPENVAS, ScanFormat.NMAP, ScanFormat.MASSCAN, ScanFormat.NAABU, ScanFormat.HTTPX] as const;
/** Baseline formats it accepts (sync:baseline, BASELINE tasks). */
export const BASELINE_FILE_FORMATS = [ScanFormat.KUBE_BENCH, ScanFormat.XCCDF] as const;
const FILE_FORMATS = [...VULN_FILE_FORMATS, ...BASELINE_FILE_FORMATS];

/** Query string of POST /ingest/files (the body is multipart/form-data with one `file` part). */
export class UploadFileQuery {
  @ApiProperty({ type: String, description: 'The task the file belongs to (a claimed or created VULN_SCAN task)', example: '42' })
  @IsId() taskId: number;
  @ApiProperty({ enum: FILE_FORMATS, description: 'The report format: Nuclei JSON/JSONL, ZAP XML, OpenVAS XML (sync:vulns); kube-bench JSON, XCCDF results (sync:baseline, BASELINE tasks)' })
  @IsIn(FILE_FORMATS, { message: `format must be one of ${FILE_FORMATS.join(', ')}` })
  format: (typeof FILE_FORMATS)[number];
  /** The file's chunk number among the scan's chunks (completeVulnScan counts files too). */
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 1_000_000, default: 1, description: "The file's chunk number among the scan's chunks: completeVulnScan's totalChunks counts files and syncVulns chunks together" })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) seq: number = 1;
  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9_.:-]{1,200}$', description: 'Sending the same key again (same organisation) returns the first batch instead of storing the file twice: retry safely' })
  @IsOptional() @Matches(/^[A-Za-z0-9_.:-]{1,200}$/, { message: 'idempotencyKey is 1-200 letters, digits or _.:-' })
  idempotencyKey?: string;
}
