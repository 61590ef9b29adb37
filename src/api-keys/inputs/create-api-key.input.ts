import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { PageArgs } from '../../graphql/pagination.js';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDate, IsEnum, IsOptional } from 'class-validator';
import { IdField, OptionalIdField, TextField } from '../../common/validation/fields.js';
import { ApiKeyScopeEnum } from '../models/api-key.model.js';

@InputType()
export class CreateApiKeyInput {
  @TextField(100, { description: 'What the key is for, e.g. the scanner host' }) name: string;
  @IdField() organizationId: number;

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
  @OptionalIdField({ description: 'Only this organisation\'s keys' }) organizationId?: number;

  @Field({ defaultValue: true, description: 'Include revoked and expired keys' })
  @IsBoolean()
  includeInactive: boolean = true;
}
