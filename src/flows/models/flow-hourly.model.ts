import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../../graphql/pagination.js';
import { FlowAction } from './flow.model.js';

@ObjectType({ description: 'The flow totals of one hour and one cell (site, destination port, protocol, action): a flowStatis row' })
export class FlowHourly {
  @Field({ description: 'Start of the hour (UTC)' }) hour: Date;
  @Field(() => ID, { nullable: true, description: 'The site of the flows, none for flows of no site' }) siteId: number | null;
  @Field(() => Int) dstPort: number;
  @Field(() => Int, { description: 'IANA protocol number' }) protocol: number;
  @Field(() => FlowAction) action: FlowAction;
  @Field(() => Number) bytes: number;
  @Field(() => Number) packets: number;
  @Field(() => Number, { description: 'Flow records' }) connections: number;
  @Field(() => Int, { description: 'Distinct source addresses of the cell in the hour (exact), kept as long as the row' })
  distinctSources: number;
}

@ObjectType()
export class FlowHourlyEdge {
  @Field() cursor: string;
  @Field(() => FlowHourly) node: FlowHourly;
}

@ObjectType({ description: 'Hourly rows in time order (no total: a month may hold millions)' })
export class FlowHourlyConnection {
  @Field(() => [FlowHourlyEdge]) edges: FlowHourlyEdge[];
  @Field(() => [FlowHourly]) nodes: FlowHourly[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
