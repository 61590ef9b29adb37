import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_QUESTIONS } from './questionnaire-content.input.js';

@InputType()
export class AnswerInput {
  @Field(() => ID)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  questionId: number;

  @Field(() => [ID], { nullable: true, description: 'Chosen choice ids (choice questions)' })
  @IsOptional()
  @ArrayMaxSize(50)
  @Type(() => Number)
  @IsInt({ each: true })
  @Min(1, { each: true })
  choiceIds?: number[] | null;

  @Field(() => String, { nullable: true, description: 'Answer text (TEXT questions)' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  text?: string | null;
}

@InputType()
export class SubmitQuestionnaireAnswerInput {
  @Field(() => ID, { description: 'The published questionnaire version answered' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  questionnaireId: number;

  @Field(() => ID, { nullable: true, description: 'Organisation answering; defaults to your own (administrators may name any)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  organizationId?: number | null;

  @Field(() => [AnswerInput])
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  @Type(() => AnswerInput)
  answers: AnswerInput[];
}
