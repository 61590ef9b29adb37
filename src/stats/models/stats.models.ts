import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { AreaLevel, RiskLevel } from '../../sites/models/enums.js';
import { FindingStatus, VulnLevel } from '../../vulns/models/vuln-enums.js';
import { TimelineInterval } from '../inputs/stats-filter.input.js';

@ObjectType({ description: 'Findings of one level and status' })
export class LevelStatusCount {
  @Field(() => VulnLevel) level: VulnLevel;
  @Field(() => FindingStatus) status: FindingStatus;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Findings of one level' })
export class LevelCount {
  @Field(() => VulnLevel) level: VulnLevel;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Findings per area; a null area counts sites without one (or, per city, with only a province)' })
export class AreaVulnCount {
  @Field(() => String, { nullable: true }) areaCode: string | null;
  @Field(() => String, { nullable: true }) areaName: string | null;
  @Field(() => AreaLevel, { nullable: true }) level: AreaLevel | null;
  @Field(() => Int) count: number;
  @Field(() => [LevelCount], { description: 'Every level, zero included' }) byLevel: LevelCount[];
}

@ObjectType({ description: "Findings per library entry's kind (null: entries without a kind)" })
export class KindCount {
  @Field(() => String, { nullable: true }) kind: string | null;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Findings of one library entry' })
export class NameCount {
  @Field(() => ID) entryId: number;
  @Field() name: string;
  @Field(() => String, { nullable: true }) kind: string | null;
  @Field(() => VulnLevel, { description: "The entry's level" }) level: VulnLevel;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'A site with its score, risk level and open findings per level' })
export class SiteRisk {
  @Field(() => ID) siteId: number;
  @Field(() => ID) organizationId: number;
  @Field() name: string;
  @Field() url: string;
  @Field(() => Int) securityScore: number;
  @Field(() => RiskLevel) riskLevel: RiskLevel;
  @Field(() => [LevelCount], { description: 'Open findings (not in the trash), every level' }) open: LevelCount[];
}

@ObjectType({ description: 'Sites per risk level; every level is listed, zero included' })
export class RiskDistributionCount {
  @Field(() => RiskLevel) riskLevel: RiskLevel;
  @Field(() => Int) siteCount: number;
}

@ObjectType()
export class TimelinePoint {
  @Field(() => VulnLevel) level: VulnLevel;
  @Field(() => Int, { description: 'Findings first seen or re-opened in the bucket' }) opened: number;
  @Field(() => Int, { description: 'Changes to FIXED in the bucket' }) fixed: number;
  @Field(() => Int, { description: 'Open findings at the end of the bucket' }) openAtEnd: number;
}

@ObjectType()
export class TimelineBucket {
  @Field() start: Date;
  @Field({ description: 'Exclusive' }) end: Date;
  @Field(() => [TimelinePoint]) levels: TimelinePoint[];
}

@ObjectType()
export class TimelineTotal extends TimelinePoint {
  @Field(() => Float, { nullable: true, description: 'Mean hours from opening to fix over the fixes in the period; null without fixes' })
  meanTimeToFixHours: number | null;
}

@ObjectType()
export class TimelinePeriod {
  @Field() from: Date;
  @Field({ description: 'Exclusive' }) to: Date;
  @Field(() => [TimelineBucket]) buckets: TimelineBucket[];
  @Field(() => [TimelineTotal], { description: 'Per level over the whole period; openAtEnd at its end' }) totals: TimelineTotal[];
}

@ObjectType({ description: 'Opened, fixed and open findings over a range, and over the range of the same length before it' })
export class VulnTimeline {
  @Field(() => TimelineInterval) interval: TimelineInterval;
  @Field(() => TimelinePeriod) current: TimelinePeriod;
  @Field(() => TimelinePeriod) previous: TimelinePeriod;
}

@ObjectType()
export class SiteDomainCount {
  @Field(() => ID) siteId: number;
  @Field() name: string;
  @Field(() => Int) count: number;
}

@ObjectType()
export class OrgDomainCount {
  @Field(() => ID) organizationId: number;
  @Field() name: string;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Related domains (relatedDomain/stat)' })
export class RelatedDomainStat {
  @Field(() => Int) total: number;
  @Field(() => Int) probe: number;
  @Field(() => Int) scanner: number;
  @Field(() => [SiteDomainCount], { description: 'Sites with the most related domains (first N)' }) sites: SiteDomainCount[];
  @Field(() => [OrgDomainCount], { description: 'Per organisation, most first' }) organizations: OrgDomainCount[];
}

@ObjectType({ description: 'How far the precomputed statistics are behind the findings' })
export class StatsLag {
  @Field(() => Int, { description: 'Sites waiting to be recomputed' }) pendingSites: number;
  @Field(() => Date, { nullable: true, description: 'When the oldest change not yet counted happened' }) oldestChangeAt: Date | null;
  @Field(() => Float, { description: 'Seconds since then (0 when nothing waits)' }) lagSeconds: number;
}

@ObjectType({ description: 'What a reconcile found and repaired' })
export class StatsReconcileReport {
  @Field(() => Int) sitesChecked: number;
  @Field(() => Int, { description: 'Sites whose rows differed from the source rows' }) sitesRepaired: number;
  @Field(() => Int) siteRowsRepaired: number;
  @Field(() => Int) rollupRowsRepaired: number;
  @Field(() => Int, { description: 'Security scores or risk levels corrected' }) scoresRepaired: number;
  @Field(() => Int) durationMs: number;
}
