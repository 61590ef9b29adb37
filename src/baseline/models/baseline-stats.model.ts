import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { VulnLevel } from '../../vulns/models/vuln-enums.js';

export enum BaselineGroupBy {
  SCRIPT = 'SCRIPT',
  ORGANIZATION = 'ORGANIZATION',
  AREA = 'AREA',
}
registerEnumType(BaselineGroupBy, { name: 'BaselineGroupBy' });

@ObjectType({ description: "Sums over the latest result of every site and script in the group (precomputed, exact)" })
export class BaselinePassRate {
  @Field(() => String, { nullable: true, description: 'Script id, organisation id or area code (null: sites without an area)' })
  key: string | null;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => Int) results: number;
  @Field(() => Int) passCount: number;
  @Field(() => Int) failCount: number;
  @Field(() => Int) errorCount: number;
  @Field(() => Int) naCount: number;
  @Field(() => Int) manualCount: number;
  @Field(() => Float) passWeight: number;
  @Field(() => Float) scoredWeight: number;
  @Field(() => Float, { nullable: true, description: 'The score formula applied to the summed weights: 100 * passWeight / scoredWeight' })
  passRate: number | null;
}

@ObjectType()
export class BaselineFailedCheck {
  @Field(() => ID) scriptId: number;
  @Field() scriptName: string;
  @Field() checkId: string;
  @Field(() => String, { nullable: true }) title: string | null;
  @Field(() => VulnLevel) level: VulnLevel;
  @Field(() => Int, { description: 'Sites whose latest result for the script fails this check' }) failingSites: number;
}

@ObjectType()
export class PostureWeights {
  @Field(() => Float) vuln: number;
  @Field(() => Float) baseline: number;
  @Field(() => Float) questionnaire: number;
}

@ObjectType({
  description:
    "A site's security posture: the weighted mean of the parts that are known (weights POSTURE_WEIGHT_VULN, " +
    'POSTURE_WEIGHT_BASELINE, POSTURE_WEIGHT_QUESTIONNAIRE, renormalised over the known parts); null when none is known.',
})
export class SitePosture {
  @Field(() => ID) siteId: number;
  @Field(() => Float, { nullable: true }) score: number | null;
  @Field(() => Float, { nullable: true, description: "Site.securityScore (0-100, higher is safer); null: unknown" }) vulnScore: number | null;
  @Field(() => Float, {
    nullable: true,
    description: "The score formula over the site's latest result of every script (summed weights); null: never checked",
  })
  baselineScore: number | null;
  @Field(() => Float, { nullable: true, description: "Percent of the organisation's most recent questionnaire answer; null: none" })
  questionnaireScore: number | null;
  @Field(() => PostureWeights) weights: PostureWeights;
}
