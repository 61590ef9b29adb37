import { ArgsType, Field, ID } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { PageArgs } from '../../graphql/pagination.js';

@ArgsType()
export class QuestionnaireAnswersArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only answers to this version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  questionnaireId?: number;

  @Field(() => ID, { nullable: true, description: 'Only answers to any version of this family' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  familyId?: number;

  @Field(() => ID, { nullable: true, description: 'Only this organisation (administrators)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  organizationId?: number;
}

@ArgsType()
export class LatestScoreArgs {
  @Field(() => ID, { description: 'The questionnaire family' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  familyId: number;

  @Field(() => ID, { nullable: true, description: 'Defaults to your own organisation' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  organizationId?: number;
}
