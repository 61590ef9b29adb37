import { Field, InputType, Int } from '@nestjs/graphql';
import { FlowAction } from '../models/flow.model.js';

/** One record of syncFlow. Checked by the service (checkFlow), record by record, like NDJSON lines. */
@InputType()
export class FlowRecordInput {
  @Field() start: Date;
  @Field() end: Date;
  @Field({ description: 'IPv4 or IPv6 address' }) srcAddr: string;
  @Field(() => Int, { description: '0-65535' }) srcPort: number;
  @Field() dstAddr: string;
  @Field(() => Int) dstPort: number;
  @Field(() => Int, { description: 'IANA protocol number 0-255' }) protocol: number;
  @Field(() => Number, { description: 'Non-negative integer' }) bytes: number;
  @Field(() => Number) packets: number;
  @Field(() => FlowAction, { defaultValue: FlowAction.ALLOW }) action: FlowAction;
}
