import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { IdArg } from '../common/validation/fields.js';
import { CurrentPrincipal, Roles } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import type { GqlContext } from '../graphql/gql-context.js';
import { PageArgs } from '../graphql/pagination.js';
import { questionnaireVersionLoader } from './questionnaires.loaders.js';
import { LatestScoreArgs, QuestionnaireAnswersArgs } from './args/questionnaire.args.js';
import { QuestionnaireContentInput, UpdateQuestionnaireInput } from './inputs/questionnaire-content.input.js';
import { SubmitQuestionnaireAnswerInput } from './inputs/submit-answer.input.js';
import {
  QuestionnaireAnswer,
  QuestionnaireAnswerConnection,
  QuestionnaireScore,
} from './models/questionnaire-answer.model.js';
import { Questionnaire, QuestionnaireConnection, SCORING_RULE } from './models/questionnaire.model.js';
import { QuestionnaireAnswersService } from './questionnaire-answers.service.js';
import { QuestionnairesService } from './questionnaires.service.js';

@Resolver(() => Questionnaire)
export class QuestionnairesResolver {
  constructor(private readonly service: QuestionnairesService) {}

  @Query(() => QuestionnaireConnection, {
    description: 'One entry per questionnaire: its published version (administrators: its latest version, drafts included)',
  })
  questionnaires(@CurrentPrincipal() p: Principal, @Args() page: PageArgs) {
    return this.service.list(p, page.first, page.after);
  }

  @Query(() => Questionnaire, { description: 'A questionnaire version; drafts are visible to administrators only' })
  questionnaire(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.service.get(p, id);
  }

  @Roles('ADMIN')
  @Query(() => [Questionnaire], { description: 'Every version of a questionnaire family, newest first' })
  questionnaireVersions(@IdArg('familyId') familyId: number) {
    return this.service.versions(familyId);
  }

  @Roles('ADMIN')
  @Mutation(() => Questionnaire, { description: 'Creates a questionnaire; its version 1 is a draft' })
  createQuestionnaire(@CurrentPrincipal() p: Principal, @Args('input') input: QuestionnaireContentInput) {
    return this.service.create(p, input);
  }

  @Roles('ADMIN')
  @Mutation(() => Questionnaire, {
    description:
      'Replaces the content of a version. A draft is edited in place; a published version is never changed: a new ' +
      'draft version with this content is returned instead (CONFLICT if the questionnaire already has a draft).',
  })
  updateQuestionnaire(@CurrentPrincipal() p: Principal, @Args('input') input: UpdateQuestionnaireInput) {
    return this.service.update(p, input);
  }

  @Roles('ADMIN')
  @Mutation(() => Questionnaire, { description: 'Publishes a draft; the previously published version becomes ARCHIVED' })
  publishQuestionnaire(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.service.publish(p, id);
  }

  @Roles('ADMIN')
  @Mutation(() => Boolean, { description: 'Deletes a draft version' })
  deleteQuestionnaireDraft(@IdArg() id: number) {
    return this.service.deleteDraft(id);
  }
}

@Resolver(() => QuestionnaireAnswer)
export class QuestionnaireAnswersResolver {
  constructor(
    private readonly answers: QuestionnaireAnswersService,
    private readonly questionnaires: QuestionnairesService,
  ) {}

  @Mutation(() => QuestionnaireAnswer, {
    description: `Submits answers to a published questionnaire version for your organisation; the score is computed on the server. ${SCORING_RULE}`,
  })
  submitQuestionnaireAnswer(@CurrentPrincipal() p: Principal, @Args('input') input: SubmitQuestionnaireAnswerInput) {
    return this.answers.submit(p, input);
  }

  @Query(() => QuestionnaireAnswerConnection, { description: "Answers, newest first: your organisation's (administrators: all)" })
  questionnaireAnswers(@CurrentPrincipal() p: Principal, @Args() args: QuestionnaireAnswersArgs) {
    return this.answers.list(p, args);
  }

  @Query(() => QuestionnaireAnswer)
  questionnaireAnswer(@CurrentPrincipal() p: Principal, @IdArg() id: number) {
    return this.answers.get(p, id);
  }

  @Query(() => QuestionnaireScore, { description: `The score of an answer with its per-section breakdown. ${SCORING_RULE}` })
  questionnaireScore(@CurrentPrincipal() p: Principal, @IdArg('answerId') answerId: number) {
    return this.answers.score(p, answerId);
  }

  @Query(() => QuestionnaireAnswer, {
    nullable: true,
    description: "An organisation's most recent answer to any version of a questionnaire (default: your organisation)",
  })
  organizationLatestScore(@CurrentPrincipal() p: Principal, @Args() args: LatestScoreArgs) {
    return this.answers.latest(p, args.familyId, args.organizationId);
  }

  @ResolveField(() => Questionnaire, { description: 'The exact version answered' })
  questionnaire(@Parent() a: QuestionnaireAnswer, @Context() ctx: GqlContext) {
    return questionnaireVersionLoader(ctx, this.questionnaires).load(a.questionnaireId);
  }
}
