import { Field, Int, ObjectType } from '@nestjs/graphql';
import { IngestBatch } from '../../ingest/models/ingest-batch.model.js';

@ObjectType({ description: 'Why one result of a syncBaselineResults call was refused (nothing of it was stored)' })
export class SyncBaselineError {
  @Field({ description: 'BAD_USER_INPUT, NOT_FOUND, FORBIDDEN or CONFLICT, as the single syncBaseline would answer' }) code: string;
  @Field() message: string;
  @Field(() => String, { nullable: true, description: 'The input field at fault, when there is one' }) field: string | null;
}

@ObjectType({ description: 'What became of one result of a syncBaselineResults call: its stored batch, or why it was refused' })
export class SyncBaselineOutcome {
  @Field(() => Int, { description: '0-based position of the result in the call' }) index: number;
  @Field(() => String, { nullable: true }) idempotencyKey: string | null;
  @Field(() => IngestBatch, { nullable: true, description: 'The stored batch (or the earlier batch of the same idempotencyKey); follow it with ingestBatch' })
  batch: IngestBatch | null;
  @Field(() => SyncBaselineError, { nullable: true }) error: SyncBaselineError | null;
}
