import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../graphql/pagination.js';
import { SCORING_RULE } from './questionnaire.model.js';

@ObjectType()
export class SectionScore {
  @Field(() => ID) sectionId: number;
  @Field() title: string;
  @Field(() => Int) score: number;
  @Field(() => Int) maxScore: number;
  @Field(() => Float) percent: number;
}

@ObjectType({ description: `A computed score with its per-section breakdown. ${SCORING_RULE}` })
export class QuestionnaireScore {
  @Field(() => Int) score: number;
  @Field(() => Int) maxScore: number;
  @Field(() => Float, { description: '100 * score / maxScore, 2 decimals' }) percent: number;
  @Field(() => [SectionScore]) sections: SectionScore[];
}

@ObjectType()
export class AnswerItem {
  @Field(() => ID) questionId: number;
  @Field(() => [ID]) choiceIds: number[];
  @Field(() => String, { nullable: true }) text: string | null;
  @Field(() => Int) score: number;
}

@ObjectType({ description: "An organisation's submitted answers to one questionnaire version, scored on the server" })
export class QuestionnaireAnswer {
  @Field(() => ID) id: number;
  @Field(() => ID, { description: 'The questionnaire version answered' }) questionnaireId: number;
  @Field(() => ID) familyId: number;
  @Field(() => ID) organizationId: number;
  @Field(() => ID, { nullable: true }) submittedById: number | null;
  @Field() createdAt: Date;
  @Field(() => QuestionnaireScore) score: QuestionnaireScore;
  @Field(() => [AnswerItem]) items: AnswerItem[];
}

@ObjectType()
export class QuestionnaireAnswerConnection extends Paginated(QuestionnaireAnswer) {}
