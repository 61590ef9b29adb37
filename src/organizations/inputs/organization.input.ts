import { Field, ID, InputType } from '@nestjs/graphql';
import { IsInt, IsNotEmpty, IsString, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';

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
  @Type(() => Number)
  @IsInt()
  @Min(1)
  id: number;
}
