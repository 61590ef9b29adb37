import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo } from '../../graphql/pagination.js';
import { RiskLevel } from '../../sites/models/enums.js';

export enum FlowAction {
  ALLOW = 'ALLOW',
  DENY = 'DENY',
}
registerEnumType(FlowAction, { name: 'FlowAction', description: "The firewall's decision on the connection" });

@ObjectType({ description: 'One network flow (connection) reported by a sensor' })
export class Flow {
  @Field(() => ID) id: string;
  @Field(() => ID, { nullable: true, description: 'The site whose address (Site.ip) is the destination, else the source' })
  siteId: number | null;
  @Field(() => ID, { nullable: true, description: "The organisation's asset whose address (Asset.ip) is the destination, else the source" })
  assetId: number | null;
  @Field() start: Date;
  @Field() end: Date;
  @Field() srcAddr: string;
  @Field(() => Int) srcPort: number;
  @Field() dstAddr: string;
  @Field(() => Int) dstPort: number;
  @Field(() => Int, { description: 'IANA protocol number (6 TCP, 17 UDP, 1 ICMP...)' }) protocol: number;
  @Field(() => Number) bytes: number;
  @Field(() => Number) packets: number;
  @Field(() => FlowAction) action: FlowAction;
}

@ObjectType()
export class FlowEdge {
  @Field() cursor: string;
  @Field(() => Flow) node: Flow;
}

@ObjectType({ description: 'Flows ordered by start time (no total: ranges may hold millions)' })
export class FlowConnection {
  @Field(() => [FlowEdge]) edges: FlowEdge[];
  @Field(() => [Flow]) nodes: Flow[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ObjectType({ description: 'A denied flow aimed at a monitored port (a MonitoredPort rule of the organisation, or a global default)' })
export class DeniedFlow extends Flow {
  @Field(() => ID, { description: 'The monitored-port rule that matched (the most severe one when several do)' })
  monitoredPortId: number;
  @Field(() => RiskLevel, { description: "The matching rule's risk level" })
  riskLevel: RiskLevel;
  @Field(() => ID, { nullable: true, description: 'The open service port a scan saw at the destination address and port, if any' })
  servicePortId: number | null;
  @Field(() => String, { nullable: true, description: 'Service name the scanner saw on that port (ssh, http...)' })
  service: string | null;
}

@ObjectType()
export class DeniedFlowEdge {
  @Field() cursor: string;
  @Field(() => DeniedFlow) node: DeniedFlow;
}

@ObjectType({ description: 'Denied flows to monitored ports, ordered by start time (no total)' })
export class DeniedFlowConnection {
  @Field(() => [DeniedFlowEdge]) edges: DeniedFlowEdge[];
  @Field(() => [DeniedFlow]) nodes: DeniedFlow[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
