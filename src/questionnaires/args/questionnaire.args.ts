import { ArgsType } from '@nestjs/graphql';
import { IdField, OptionalIdField } from '../../common/validation/fields.js';
import { PageArgs } from '../../graphql/pagination.js';

@ArgsType()
export class QuestionnaireAnswersArgs extends PageArgs {
  @OptionalIdField({ description: 'Only answers to this version' }) questionnaireId?: number;

  @OptionalIdField({ description: 'Only answers to any version of this family' }) familyId?: number;

  @OptionalIdField({ description: 'Only this organisation (administrators)' }) organizationId?: number;
}

@ArgsType()
export class LatestScoreArgs {
  @IdField({ description: 'The questionnaire family' }) familyId: number;

  @OptionalIdField({ description: 'Defaults to your own organisation' }) organizationId?: number;
}
