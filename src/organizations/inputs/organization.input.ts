import { Field, ID, InputType } from '@nestjs/graphql';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsId } from '../../common/validation/id.js';

@InputType()
export class CreateOrganizationInput {
  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

@InputType()
export class RenameOrganizationInput extends CreateOrganizationInput {
  @Field(() => ID)
  @IsId()
  id: number;
}
