import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IdField } from '../../common/validation/fields.js';
import { ArrayMaxSize, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const SCANNER = /^[a-z0-9._-]{1,64}$/;

/**
 * One finding in a chunk. Its values are checked by the worker, record by record: a bad record
 * is rejected with a reason on the batch (ingestBatch) and the rest of the chunk is kept.
 */
@InputType()
export class SyncVulnRecordInput {
  @Field(() => ID, { description: 'A target site of the task' }) siteId: string;
  @Field({ nullable: true, description: "The scanner's check id (matches the library entry <scanner>:<checkId>)" }) checkId?: string;
  @Field({ description: 'Vulnerability name (matches a library entry by name when there is no check id)' }) name: string;
  @Field({ description: 'critical, high, medium, low or info' }) level: string;
  @Field({ nullable: true }) kind?: string;
  @Field({ nullable: true }) description?: string;
  @Field({ nullable: true }) solution?: string;
  @Field(() => [String], { nullable: true }) references?: string[];
  @Field(() => [String], { nullable: true }) cve?: string[];
  @Field(() => [String], { nullable: true }) cwe?: string[];
  @Field({ nullable: true, description: 'Absolute http(s) URL' }) url?: string;
  @Field({ nullable: true }) parameter?: string;
  @Field({ nullable: true }) evidence?: string;
}

@InputType()
export class SyncVulnsInput {
  @IdField() taskId: number;
  @Field(() => Int, { description: 'Chunk sequence number, 1..totalChunks; chunks may arrive in any order' })
  @IsInt() @Min(1) @Max(1_000_000) seq: number;
  @Field({ description: 'Unique per organisation: the same key twice has the effect of once (the first batch is returned)' })
  @Matches(/^[A-Za-z0-9_.:-]{1,200}$/, { message: 'idempotencyKey is 1-200 letters, digits or _.:-' })
  idempotencyKey: string;
  @Field({ nullable: true, description: 'Scanner name; defaults to the one that claimed the task' })
  @IsOptional() @Matches(SCANNER, { message: 'scanner is 1-64 lower-case letters, digits or ._-' })
  scanner?: string;
}

@InputType()
export class SyncVulnsFailedInput {
  @IdField() taskId: number;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
}

@InputType()
export class CompleteVulnScanInput {
  @IdField() taskId: number;
  @Field(() => Int, { description: 'How many chunks (syncVulns seq 1..totalChunks, or files) make up the scan' })
  @IsInt() @Min(0) @Max(1_000_000) totalChunks: number;
  @Field({ nullable: true, description: 'Scanner name; defaults to the one that claimed the task' })
  @IsOptional() @Matches(SCANNER, { message: 'scanner is 1-64 lower-case letters, digits or _.-' })
  scanner?: string;
  @Field(() => [String], {
    nullable: true,
    description: 'The check ids the scan ran. Omitted: the scan covers every check of this scanner.',
  })
  @IsOptional() @ArrayMaxSize(10_000) @IsString({ each: true }) @MaxLength(200, { each: true })
  checkIds?: string[];
}
