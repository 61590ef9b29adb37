import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '../../graphql/pagination.js';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDate, IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';
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

@ArgsType()
export class ApiKeysArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only this organisation\'s keys' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  organizationId?: number;

  @Field({ defaultValue: true, description: 'Include revoked and expired keys' })
  @IsBoolean()
  includeInactive: boolean = true;
}
