import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { BaselineStatus } from '../../generated/prisma/enums.js';
import { Paginated } from '../../graphql/pagination.js';
import { VulnLevel } from '../../vulns/models/vuln-enums.js';

registerEnumType(BaselineStatus, {
  name: 'BaselineStatus',
  description: 'PASS, FAIL, ERROR (the check could not run: counts as not passed), NOT_APPLICABLE and MANUAL (left out of the score)',
});

export const SCORE_DOC =
  'score = 100 * sum of level weights of PASS items / sum of level weights of PASS, FAIL and ERROR items, weights ' +
  'CRITICAL 8, HIGH 4, MEDIUM 2, LOW 1, INFO 0, 2 decimals; NOT_APPLICABLE and MANUAL items are left out; null when ' +
  'nothing was scored. Unlike Wazuh (pass / (pass + fail), unweighted) a failed critical check weighs eight low ones, ' +
  'and ERROR counts as not passed.';

@ObjectType()
export class BaselineResultItem {
  @Field() checkId: string;
  @Field(() => String, { nullable: true }) title: string | null;
  @Field(() => BaselineStatus) status: BaselineStatus;
  @Field(() => VulnLevel) level: VulnLevel;
  @Field(() => String, { nullable: true }) expected: string | null;
  @Field(() => String, { nullable: true }) actual: string | null;
}

@ObjectType({ description: 'The check of one site against one script version within a task' })
export class BaselineResult {
  @Field(() => ID) id: number;
  @Field(() => ID) organizationId: number;
  @Field(() => ID) siteId: number;
  @Field(() => ID, { nullable: true, description: 'Null once the task was deleted' }) taskId: number | null;
  @Field(() => ID) scriptId: number;
  @Field() scriptName: string;
  @Field(() => Int, { description: 'The script version checked against' }) version: number;
  @Field({ description: "Whether this is the site's most recent result for the script (only these count in statistics)" })
  isLatest: boolean;
  @Field(() => Int) passCount: number;
  @Field(() => Int) failCount: number;
  @Field(() => Int) errorCount: number;
  @Field(() => Int) naCount: number;
  @Field(() => Int) manualCount: number;
  @Field(() => Int) passWeight: number;
  @Field(() => Int) scoredWeight: number;
  @Field(() => Float, { nullable: true, description: SCORE_DOC }) score: number | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType()
export class BaselineResultDetail extends BaselineResult {
  @Field(() => [BaselineResultItem], { description: 'Items in check id order' }) items: BaselineResultItem[];
}

@ObjectType()
export class BaselineResultConnection extends Paginated(BaselineResult) {}

@ObjectType()
export class BaselineItemChange {
  @Field() checkId: string;
  @Field(() => String, { nullable: true }) title: string | null;
  @Field(() => VulnLevel) level: VulnLevel;
  @Field(() => BaselineStatus, { nullable: true, description: 'Status in the previous result (null: not checked then)' })
  before: BaselineStatus | null;
  @Field(() => BaselineStatus) after: BaselineStatus;
}

@ObjectType({ description: 'What changed since the previous result of the same site and script' })
export class BaselineChanges {
  @Field(() => ID) resultId: number;
  @Field(() => ID, { nullable: true, description: 'Null for the first result: then every FAIL is newly failing' }) previousResultId: number | null;
  @Field(() => [BaselineItemChange], { description: 'FAIL now, not FAIL before (or not checked before)' }) newlyFailing: BaselineItemChange[];
  @Field(() => [BaselineItemChange], { description: 'PASS now, FAIL or ERROR before' }) newlyPassing: BaselineItemChange[];
}
