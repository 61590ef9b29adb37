import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IngestBatchKind, IngestBatchStatus } from '../../generated/prisma/enums.js';

registerEnumType(IngestBatchKind, {
  name: 'IngestBatchKind',
  description: 'FINDINGS: a syncVulns chunk; FILE: an uploaded scanner file; COMPLETE: the end of a scan (completeVulnScan); ASSETS: a syncAssets chunk',
});
registerEnumType(IngestBatchStatus, {
  name: 'IngestBatchStatus',
  description:
    'RECEIVED (stored, queued) -> PROCESSING -> DONE | FAILED. A batch is applied in one transaction: DONE means ' +
    'all of it was applied exactly once; a COMPLETE batch stays RECEIVED while it waits for its chunks.',
});

@ObjectType({ description: 'A record of a push that was rejected, and why' })
export class IngestRejection {
  @Field(() => Int, { description: '0-based index in the chunk, or the 1-based record/line number in a file' })
  index: number;
  @Field() reason: string;
}

@ObjectType({ description: 'A durable scanner push: stored before it is queued, applied once' })
export class IngestBatch {
  @Field(() => ID) id: string;
  @Field(() => ID) taskId: number;
  @Field(() => IngestBatchKind) kind: IngestBatchKind;
  @Field(() => Int, { nullable: true, description: 'Chunk sequence number (FINDINGS, FILE) or total chunk count (COMPLETE)' })
  seq: number | null;
  @Field(() => String, { nullable: true }) idempotencyKey: string | null;
  @Field(() => String, { nullable: true, description: 'File format (FILE batches)' }) format: string | null;
  @Field(() => Number, { nullable: true, description: 'File size in bytes (FILE batches)' }) fileBytes: number | null;
  @Field(() => IngestBatchStatus) status: IngestBatchStatus;
  @Field(() => Int) attempts: number;
  @Field(() => Int, { description: 'Records received' }) received: number;
  @Field(() => Int, { description: 'Findings created' }) created: number;
  @Field(() => Int, { description: 'Known findings seen again (duplicates)' }) updated: number;
  @Field(() => Int, { description: 'Records rejected' }) rejected: number;
  @Field(() => Int, { description: 'Findings set FIXED by a COMPLETE batch' }) closed: number;
  @Field(() => [IngestRejection], { description: 'The rejected records with reasons (the first 1000)' })
  rejections: IngestRejection[];
  @Field(() => String, { nullable: true, description: 'Why the batch FAILED (a clear reason; details are in the worker log), or what a COMPLETE batch waits for' })
  error: string | null;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
}
