import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IdField, OptionalTextField, TextField } from '../../common/validation/fields.js';
import { QuestionType } from '../../generated/prisma/enums.js';

export const MAX_CHOICE_SCORE = 10_000;
/** Most questions a version may have in all (an answer lists at most this many). */
export const MAX_QUESTIONS = 500;

@InputType()
export class ChoiceInput {
  @TextField(500) label: string;

  @Field(() => Int, { description: `Score of this choice, 0-${MAX_CHOICE_SCORE}` })
  @IsInt()
  @Min(0)
  @Max(MAX_CHOICE_SCORE)
  score: number;
}

@InputType()
export class QuestionInput {
  @Field(() => QuestionType)
  @IsEnum(QuestionType)
  type: QuestionType;

  @TextField(1000) text: string;

  @OptionalTextField(2000) help?: string | null;

  @Field({ defaultValue: true })
  @IsBoolean()
  required: boolean = true;

  @Field(() => Int, {
    nullable: true,
    description: 'MULTIPLE_CHOICE: cap on the summed score. TEXT: score for any non-blank answer. Not allowed for SINGLE_CHOICE.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_CHOICE_SCORE)
  maxScore?: number | null;

  @Field(() => [ChoiceInput], { defaultValue: [], description: 'Choices (at least 2) for choice questions; none for TEXT' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ChoiceInput)
  choices: ChoiceInput[] = [];
}

@InputType()
export class SectionInput {
  @TextField(200) title: string;

  @OptionalTextField(2000) description?: string | null;

  @Field(() => [QuestionInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  @Type(() => QuestionInput)
  questions: QuestionInput[];
}

/** The whole content of a questionnaire version; updates replace it as a whole. */
@InputType()
export class QuestionnaireContentInput {
  @TextField(200) title: string;

  @OptionalTextField(2000) description?: string | null;

  @Field(() => [SectionInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SectionInput)
  sections: SectionInput[];
}

@InputType()
export class UpdateQuestionnaireInput extends QuestionnaireContentInput {
  @IdField({ description: 'The version to edit; a published version is not changed, a new draft version is made' })
  id: number;
}
