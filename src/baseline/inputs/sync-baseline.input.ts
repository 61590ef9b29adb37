import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IdField } from '../../common/validation/fields.js';

/**
 * One checked item. Values are checked by the worker, item by item: a bad item is rejected with
 * a reason on the batch (ingestBatch) and the rest of the chunk is kept.
 */
@InputType()
export class SyncBaselineItemInput {
  @Field({ description: "The script check's id" }) checkId: string;
  @Field({ description: 'PASS, FAIL, ERROR, NOT_APPLICABLE or MANUAL' }) status: string;
  @Field({ nullable: true, description: "CRITICAL, HIGH, MEDIUM, LOW or INFO; defaults to the script check's level" }) level?: string;
  @Field({ nullable: true, description: "Defaults to the script check's title" }) title?: string;
  @Field({ nullable: true, description: "Defaults to the script check's expected value" }) expected?: string;
  @Field({ nullable: true, description: 'What the agent found' }) actual?: string;
}

@InputType()
export class SyncBaselineInput {
  @IdField() taskId: number;
  @IdField({ description: 'The checked site (a target of the task)' }) siteId: number;
  @IdField({ description: 'The baseline script' }) scriptId: number;
  @Field(() => Int, { nullable: true, description: "The script version checked against; defaults to the script's latest" })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) version?: number;
  @Field(() => Int, { description: "Chunk number, 1..totalChunks; a site's items may span several chunks" })
  @IsInt() @Min(1) @Max(1_000_000) seq: number;
  @Field(() => Int, { nullable: true, description: 'How many chunks the whole task has; once all are applied the task SUCCEEDS' })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) totalChunks?: number;
  @Field({ description: 'Unique per organisation: the same key twice has the effect of once (the first batch is returned)' })
  @Matches(/^[A-Za-z0-9_.:-]{1,200}$/, { message: 'idempotencyKey is 1-200 letters, digits or _.:-' })
  idempotencyKey: string;
}

@InputType()
export class SyncBaselineFailedInput {
  @IdField() taskId: number;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
}

/**
 * One result (or one chunk of a result) in syncBaselineResults: the fields of SyncBaselineInput
 * and its items. Checked one by one in the service, so a bad result is reported alone and the
 * rest of the call is kept.
 */
@InputType()
export class SyncBaselineResultInput extends SyncBaselineInput {
  @Field(() => [SyncBaselineItemInput], { description: 'Up to 5,000 items' }) items: SyncBaselineItemInput[];
}
