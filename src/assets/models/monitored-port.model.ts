import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { RiskLevel } from '../../sites/models/enums.js';
import { Paginated } from '../../graphql/pagination.js';
import { ExposureStatus, PortProtocol } from './asset-enums.js';

@ObjectType({ description: 'A port that must be watched: an import that finds it OPEN opens an exposure' })
export class MonitoredPort {
  @Field(() => ID) id: number;
  @Field(() => ID, { nullable: true, description: 'null: a global default that applies to every organisation' })
  organizationId: number | null;
  @Field(() => Int) port: number;
  @Field(() => PortProtocol) protocol: PortProtocol;
  @Field(() => RiskLevel) riskLevel: RiskLevel;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => [ID], { description: 'When not empty: only assets serving a site with one of these tags' }) tagIds: number[];
  @Field(() => [ID], { description: 'When not empty: only assets serving one of these sites' }) siteIds: number[];
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType({ description: 'A monitored port seen OPEN on an asset, until a scan sees it closed or the asset down' })
export class Exposure {
  @Field(() => ID) id: number;
  @Field(() => ID) organizationId: number;
  @Field(() => ID) assetId: number;
  @Field() ip: string;
  @Field(() => ID) servicePortId: number;
  @Field(() => ID, { nullable: true, description: 'The rule that matched (null once that rule is deleted)' }) monitoredPortId: number | null;
  @Field(() => Int) port: number;
  @Field(() => PortProtocol) protocol: PortProtocol;
  @Field(() => String, { nullable: true }) service: string | null;
  @Field(() => RiskLevel) riskLevel: RiskLevel;
  @Field(() => ExposureStatus) status: ExposureStatus;
  @Field({ description: 'When the import that found it open was received' }) openedAt: Date;
  @Field() lastSeen: Date;
  @Field(() => Date, { nullable: true }) closedAt: Date | null;
  @Field(() => String, { nullable: true }) closeReason: string | null;
}

@ObjectType()
export class ExposureConnection extends Paginated(Exposure) {}

@ObjectType({ description: "OPEN exposures of one organisation by risk level" })
export class ExposureCount {
  @Field(() => ID) organizationId: number;
  @Field(() => Int) total: number;
  @Field(() => Int) critical: number;
  @Field(() => Int) high: number;
  @Field(() => Int) medium: number;
  @Field(() => Int) low: number;
  @Field(() => Int) none: number;
}
