import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum FlowDimension {
  HOUR = 'HOUR',
  DAY = 'DAY',
  SITE = 'SITE',
  PORT = 'PORT',
  PROTOCOL = 'PROTOCOL',
  ACTION = 'ACTION',
  SOURCE = 'SOURCE',
}
registerEnumType(FlowDimension, {
  name: 'FlowDimension',
  description:
    'HOUR, DAY (UTC; in time order), SITE (key empty for flows of no site), PORT (destination), PROTOCOL, ACTION ' +
    '(by bytes, largest first), SOURCE (top source addresses by bytes, from the raw records, so within FLOW_RETENTION_DAYS)',
});

@ObjectType({ description: 'Flow totals of one group' })
export class FlowAggregate {
  @Field({ description: 'The group: an ISO time (HOUR, DAY), a site id, a port, a protocol number, ALLOW/DENY or an address' })
  key: string;
  @Field(() => Number) bytes: number;
  @Field(() => Number) packets: number;
  @Field(() => Number, { description: 'Flow records' }) connections: number;
  @Field(() => Int, {
    nullable: true,
    description:
      'Distinct source addresses in the group (exact). Computed from the per-hour source sets, kept as long as the raw ' +
      'records: null when the range starts before FLOW_RETENTION_DAYS',
  })
  distinctSources: number | null;
}
