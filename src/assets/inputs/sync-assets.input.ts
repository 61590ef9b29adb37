import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IdField } from '../../common/validation/fields.js';

/**
 * One host of a syncAssets chunk with ALL the ports the scan found on it (a host must not be
 * split across chunks: the scanned ranges close what a host's record does not list). Values are
 * checked by the worker, record by record; a bad record is rejected with a reason.
 */
@InputType()
export class SyncAssetPortInput {
  @Field(() => Int) port: number;
  @Field({ nullable: true, description: 'tcp (default) or udp' }) protocol?: string;
  @Field({ nullable: true, description: 'open (default), closed or filtered' }) state?: string;
  @Field({ nullable: true }) service?: string;
  @Field({ nullable: true }) product?: string;
  @Field({ nullable: true }) version?: string;
  @Field({ nullable: true }) extraInfo?: string;
  @Field(() => [String], { nullable: true }) cpes?: string[];
}

@InputType()
export class SyncAssetHostInput {
  @Field({ description: 'IPv4 or IPv6 address' }) ip: string;
  @Field({ nullable: true, description: 'false: the host was found down (its ports are not read)' }) up?: boolean;
  @Field(() => [String], { nullable: true }) hostnames?: string[];
  @Field({ nullable: true }) osName?: string;
  @Field({ nullable: true }) osFamily?: string;
  @Field(() => Int, { nullable: true }) osAccuracy?: number;
  @Field(() => ID, { nullable: true, description: "A site of the organisation this host serves (scanners may know it)" }) siteId?: string;
  @Field(() => [SyncAssetPortInput], { nullable: true }) ports?: SyncAssetPortInput[];
}

@InputType({ description: 'Ports the scan probed on every host of the chunk (inclusive range)' })
export class ScannedPortRangeInput {
  @Field({ nullable: true, description: 'tcp (default) or udp' }) protocol?: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(65535) from: number;
  @Field(() => Int) @IsInt() @Min(1) @Max(65535) to: number;
}

@InputType()
export class SyncAssetsInput {
  @IdField() taskId: number;
  @Field(() => Int, { description: 'Chunk sequence number, 1..totalChunks (completeVulnScan counts these chunks too)' })
  @IsInt() @Min(1) @Max(1_000_000) seq: number;
  @Field({ description: 'Unique per organisation: the same key twice has the effect of once (the first batch is returned)' })
  @Matches(/^[A-Za-z0-9_.:-]{1,200}$/, { message: 'idempotencyKey is 1-200 letters, digits or _.:-' })
  idempotencyKey: string;
  @Field({ nullable: true, description: 'Scanner name; defaults to the one that claimed the task' })
  @IsOptional() @Matches(/^[a-z0-9._-]{1,64}$/, { message: 'scanner is 1-64 lower-case letters, digits or ._-' })
  scanner?: string;
}
