import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../graphql/pagination.js';
import { Liveness, ProbeError, RiskLevel } from './enums.js';
import { RISK_DESCRIPTION, SCORE_DESCRIPTION } from '../score.js';

@ObjectType()
export class Site {
  @Field(() => ID) id: number;
  @Field(() => ID) organizationId: number;
  @Field() url: string;
  @Field({ description: 'Registrable domain (public-suffix list), or the IP address' }) domain: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) areaCode: string | null;
  @Field(() => ID, { nullable: true }) ownerId: number | null;
  @Field(() => Liveness) liveness: Liveness;
  @Field(() => Int, { nullable: true }) httpStatus: number | null;
  @Field(() => String, { nullable: true }) title: string | null;
  @Field(() => String, { nullable: true }) ip: string | null;
  @Field(() => String, { nullable: true }) server: string | null;
  @Field(() => Int, { nullable: true }) responseTimeMs: number | null;
  @Field(() => ProbeError, { nullable: true }) probeError: ProbeError | null;
  @Field(() => Date, { nullable: true }) lastProbedAt: Date | null;
  @Field(() => Int, { nullable: true, description: SCORE_DESCRIPTION }) securityScore: number | null;
  @Field(() => RiskLevel, { description: RISK_DESCRIPTION }) riskLevel: RiskLevel;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType()
export class SiteConnection extends Paginated(Site) {}

@ObjectType({ description: 'The user responsible for a site' })
export class SiteOwner {
  @Field(() => ID) id: number;
  @Field() username: string;
  @Field(() => String, { nullable: true }) displayName: string | null;
}
