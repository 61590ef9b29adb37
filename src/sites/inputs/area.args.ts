import { ArgsType, Field } from '@nestjs/graphql';
import { IsEnum, IsOptional, Matches } from 'class-validator';
import { AreaLevel } from '../models/enums.js';

@ArgsType()
export class AreasArgs {
  @Field(() => AreaLevel, { nullable: true })
  @IsOptional()
  @IsEnum(AreaLevel)
  level?: AreaLevel;

  @Field({ nullable: true, description: 'Only the cities of this province' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'parentCode must be a 6-digit area code' })
  parentCode?: string;
}

@ArgsType()
export class AreaStatArgs {
  @Field(() => AreaLevel, { defaultValue: AreaLevel.PROVINCE, description: 'PROVINCE rolls cities up into their province' })
  @IsEnum(AreaLevel)
  level: AreaLevel = AreaLevel.PROVINCE;

  @Field({ nullable: true, description: 'Only sites in this province' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'parentCode must be a 6-digit area code' })
  parentCode?: string;
}
