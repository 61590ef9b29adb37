import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { RowStatus } from './enums.js';

@ObjectType()
export class SiteRowResult {
  @Field(() => Int, { description: 'Row number, from 1 (CSV: the data row after the header)' }) row: number;
  @Field(() => RowStatus) status: RowStatus;
  @Field(() => ID, { nullable: true }) siteId: number | null;
  @Field(() => String, { nullable: true }) error: string | null;
}

@ObjectType()
export class SiteBatchResult {
  @Field(() => Int) created: number;
  @Field(() => Int) conflicts: number;
  @Field(() => Int) invalid: number;
  @Field(() => [SiteRowResult]) rows: SiteRowResult[];
}
