import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsInt, IsOptional, Min, ValidateNested } from 'class-validator';
import { IdField, OptionalIdField, OptionalTextField } from '../../common/validation/fields.js';
import { MAX_QUESTIONS } from './questionnaire-content.input.js';

@InputType()
export class AnswerInput {
  @IdField() questionId: number;

  @Field(() => [ID], { nullable: true, description: 'Chosen choice ids (choice questions)' })
  @IsOptional()
  @ArrayMaxSize(50)
  @Type(() => Number)
  @IsInt({ each: true })
  @Min(1, { each: true })
  choiceIds?: number[] | null;

  @OptionalTextField(5000, { description: 'Answer text (TEXT questions)' }) text?: string | null;
}

@InputType()
export class SubmitQuestionnaireAnswerInput {
  @IdField({ description: 'The published questionnaire version answered' }) questionnaireId: number;

  @OptionalIdField({ description: 'Organisation answering; defaults to your own (administrators may name any)' }) organizationId?: number | null;

  @Field(() => [AnswerInput])
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  @Type(() => AnswerInput)
  answers: AnswerInput[];
}
