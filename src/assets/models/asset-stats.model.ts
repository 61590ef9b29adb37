import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class StatCount {
  @Field() key: string;
  @Field(() => Int) count: number;
}

@ObjectType()
export class RiskyAsset {
  @Field(() => ID) assetId: number;
  @Field() ip: string;
  @Field(() => Int, { description: 'Open findings of the sites it serves: 10 per critical, 5 per high, 2 per medium, 1 per low' })
  score: number;
}

@ObjectType({ description: 'Precomputed asset statistics (exact as of the last rebuild; see pendingSince)' })
export class AssetStats {
  @Field(() => [StatCount], { description: 'Assets by liveness (UP, DOWN, UNKNOWN)' }) liveness: StatCount[];
  @Field(() => [StatCount], { description: 'Assets by OS family ("unknown" when none)' }) osFamilies: StatCount[];
  @Field(() => [StatCount], { description: 'OPEN ports by "TCP/443", most frequent first' }) topPorts: StatCount[];
  @Field(() => [StatCount], { description: 'OPEN ports by service name (lower-case), most frequent first' }) topServices: StatCount[];
  @Field(() => [StatCount], { description: 'OPEN exposures by risk level' }) exposuresByRisk: StatCount[];
  @Field(() => [StatCount], { description: "Open findings of the sites assets serve, per asset, by level" }) vulnsByLevel: StatCount[];
  @Field(() => [StatCount], { description: "The same by the vulnerability's kind" }) vulnsByKind: StatCount[];
  @Field(() => [RiskyAsset]) riskiestAssets: RiskyAsset[];
  @Field(() => Date, { nullable: true, description: 'Oldest change not yet in these figures (null: they are current)' })
  pendingSince: Date | null;
}
