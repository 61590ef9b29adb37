import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A flow record that was refused, and why' })
export class FlowRejection {
  @Field(() => Int, { description: '0-based index in the syncFlow records, or the 1-based line of the NDJSON body' })
  index: number;
  @Field() reason: string;
}

@ObjectType({
  description:
    'One pushed chunk of flow records (a syncFlow call or a POST /ingest/flows body). It is stored with its records ' +
    'and the hourly aggregates in one transaction before the answer is sent; pushing the same chunkKey again returns it unchanged.',
})
export class FlowBatch {
  @Field(() => ID) id: string;
  @Field() chunkKey: string;
  @Field({ description: 'GRAPHQL (syncFlow) or NDJSON (POST /ingest/flows)' }) source: string;
  @Field(() => Int, { description: 'Records received' }) received: number;
  @Field(() => Int, { description: 'Records stored' }) accepted: number;
  @Field(() => Int, { description: 'Records refused' }) rejected: number;
  @Field(() => [FlowRejection], { description: 'The refused records with reasons (the first 1000)' })
  rejections: FlowRejection[];
  @Field() createdAt: Date;
}
