import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IngestBatchKind, IngestBatchStatus } from '../../generated/prisma/enums.js';
import type { IngestBatch } from './ingest-batch.model.js';

class IngestRejectionResponse {
  @ApiProperty({ description: '0-based index in the chunk, or the 1-based record/line number in a file' }) index: number;
  @ApiProperty({ description: 'Why the record was rejected, and which option would have kept it' }) reason: string;
}

/**
 * What POST /ingest/files answers: the batch exactly as the GraphQL `ingestBatch` query shows it
 * (same field names, ids as strings like GraphQL IDs, dates as ISO 8601).
 */
export class IngestBatchResponse {
  @ApiProperty({ description: 'Batch id (a UUID); query it with ingestBatch(id)' }) id: string;
  @ApiProperty({ description: 'Task id' }) taskId: string;
  @ApiProperty({ enum: IngestBatchKind, description: 'FILE for an uploaded file' }) kind: IngestBatchKind;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The file\'s chunk number among the scan\'s chunks' }) seq: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) idempotencyKey: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'NUCLEI, ZAP or OPENVAS' }) format: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'File size in bytes' }) fileBytes: number | null;
  @ApiProperty({ enum: IngestBatchStatus, description: 'RECEIVED (stored, queued) -> PROCESSING -> DONE | FAILED' }) status: IngestBatchStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ description: 'Records received' }) received: number;
  @ApiProperty({ description: 'Findings created' }) created: number;
  @ApiProperty({ description: 'Known findings seen again' }) updated: number;
  @ApiProperty({ description: 'Records rejected' }) rejected: number;
  @ApiProperty({ description: 'Findings set FIXED (COMPLETE batches)' }) closed: number;
  @ApiProperty({ type: [IngestRejectionResponse], description: 'The rejected records with reasons (the first 1000)' })
  rejections: IngestRejectionResponse[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why the batch FAILED' }) error: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
}

/** The GraphQL fields of a batch, serialised as GraphQL serialises them. */
export function toBatchResponse(b: IngestBatch): IngestBatchResponse {
  return {
    id: b.id,
    taskId: String(b.taskId),
    kind: b.kind,
    seq: b.seq,
    idempotencyKey: b.idempotencyKey,
    format: b.format,
    fileBytes: b.fileBytes,
    status: b.status,
    attempts: b.attempts,
    received: b.received,
    created: b.created,
    updated: b.updated,
    rejected: b.rejected,
    closed: b.closed,
    rejections: b.rejections.map((r) => ({ index: r.index, reason: r.reason })),
    error: b.error,
    createdAt: b.createdAt.toISOString(),
    finishedAt: b.finishedAt?.toISOString() ?? null,
  };
}
