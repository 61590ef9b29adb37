import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsDate, IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { ApiKeyScopeEnum } from './api-key.model.js';

@InputType()
export class CreateApiKeyInput {
  @Field({ description: 'What the key is for, e.g. the scanner host' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @Field(() => ID)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  organizationId: number;

  @Field(() => [ApiKeyScopeEnum])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsEnum(ApiKeyScopeEnum, { each: true })
  scopes: ApiKeyScopeEnum[];

  @Field(() => Date, { nullable: true, description: 'No expiry when left out' })
  @IsOptional()
  @IsDate()
  expiresAt?: Date;
}
