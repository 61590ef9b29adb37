import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { AreaLevel, RiskLevel } from './enums.js';

@ObjectType({ description: 'An organisation with the number of its sites (orgList)' })
export class OrgSiteCount {
  @Field(() => ID) organizationId: number;
  @Field() name: string;
  @Field(() => Int) siteCount: number;
}

@ObjectType({ description: 'Sites per area (areaStat); a null area counts sites without one' })
export class AreaSiteCount {
  @Field(() => String, { nullable: true }) areaCode: string | null;
  @Field(() => String, { nullable: true }) areaName: string | null;
  @Field(() => AreaLevel, { nullable: true }) level: AreaLevel | null;
  @Field(() => Int) siteCount: number;
}

@ObjectType({ description: 'Sites per risk level (safeStat); every level is listed, zero included' })
export class RiskLevelCount {
  @Field(() => RiskLevel) riskLevel: RiskLevel;
  @Field(() => Int) siteCount: number;
}
