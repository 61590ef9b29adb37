import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { QuestionnaireStatus, QuestionType } from '../../generated/prisma/enums.js';
import { Paginated } from '../../graphql/pagination.js';

registerEnumType(QuestionnaireStatus, {
  name: 'QuestionnaireStatus',
  description: 'DRAFT: editable, not answerable. PUBLISHED: the current version, immutable, answerable. ARCHIVED: a published version superseded by a newer one.',
});
registerEnumType(QuestionType, { name: 'QuestionType' });

export const SCORING_RULE =
  'Scoring: SINGLE_CHOICE scores the chosen choice (maximum: its best choice); MULTIPLE_CHOICE sums the chosen ' +
  'choices, capped at maxScore (maximum: maxScore, or the sum of all choices when unset); TEXT scores maxScore ' +
  '(0 when unset) for a non-blank answer; unanswered questions score 0. Section and total scores are sums; ' +
  'percent = 100 * score / maxScore rounded to 2 decimals (0 when maxScore is 0).';

@ObjectType()
export class QuestionChoice {
  @Field(() => ID) id: number;
  @Field(() => Int) position: number;
  @Field() label: string;
  @Field(() => Int) score: number;
}

@ObjectType()
export class Question {
  @Field(() => ID) id: number;
  @Field(() => Int) position: number;
  @Field(() => QuestionType) type: QuestionType;
  @Field() text: string;
  @Field(() => String, { nullable: true }) help: string | null;
  @Field() required: boolean;
  @Field(() => Int, { nullable: true, description: 'Configured cap (MULTIPLE_CHOICE) or score for any answer (TEXT)' })
  configuredMaxScore: number | null;
  @Field(() => Int, { description: 'The most this question can score, by the scoring rule' })
  maxScore: number;
  @Field(() => [QuestionChoice]) choices: QuestionChoice[];
}

@ObjectType()
export class QuestionnaireSection {
  @Field(() => ID) id: number;
  @Field(() => Int) position: number;
  @Field() title: string;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => Int) maxScore: number;
  @Field(() => [Question]) questions: Question[];
}

@ObjectType({ description: `One version of a questionnaire (a security self-assessment). ${SCORING_RULE}` })
export class Questionnaire {
  @Field(() => ID, { description: 'Id of this version; answers refer to it' }) id: number;
  @Field(() => ID, { description: 'Id of the questionnaire family all its versions share' }) familyId: number;
  @Field(() => Int) version: number;
  @Field(() => QuestionnaireStatus) status: QuestionnaireStatus;
  @Field() title: string;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => Date, { nullable: true }) publishedAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => Int, { description: 'The highest total score possible' }) maxScore: number;
  @Field(() => [QuestionnaireSection]) sections: QuestionnaireSection[];
}

@ObjectType()
export class QuestionnaireConnection extends Paginated(Questionnaire) {}
