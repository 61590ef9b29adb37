import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageArgs } from '../../graphql/pagination.js';
import { IdField, IdListField, OptionalIdField } from '../../common/validation/fields.js';

@InputType()
export class CreateTagInput {
  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  name: string;

  @OptionalIdField({ description: 'Administrators must name the organisation; a USER\'s tag always goes to their own' })
  organizationId?: number;
}

@InputType()
export class RenameTagInput {
  @IdField()
  id: number;

  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  name: string;
}

@InputType()
export class TagSitesInput {
  @IdListField(50)
  tagIds: number[];

  @IdListField(1000)
  siteIds: number[];
}

@ArgsType()
export class TagsArgs extends PageArgs {
  @Field({ nullable: true, description: 'Part of the tag name' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  text?: string;

  @OptionalIdField()
  organizationId?: number;
}
