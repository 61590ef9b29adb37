import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, Max, Min } from 'class-validator';
import { IdField, OptionalIdField } from '../../common/validation/fields.js';
import { PageArgs } from '../../graphql/pagination.js';
import { BaselineGroupBy } from '../models/baseline-stats.model.js';

@ArgsType()
export class BaselineListArgs extends PageArgs {
  @IdField() siteId: number;
  @OptionalIdField({ description: 'Only results of this script' }) scriptId?: number | null;
}

@ArgsType()
export class LatestBaselineArgs extends PageArgs {
  @OptionalIdField() siteId?: number | null;
  @OptionalIdField() scriptId?: number | null;
}

@ArgsType()
export class PassRateArgs {
  @Field(() => BaselineGroupBy) @IsEnum(BaselineGroupBy) by: BaselineGroupBy;
}

@ArgsType()
export class TopFailedArgs {
  @Field(() => Int, { defaultValue: 10, description: '1-100' }) @IsInt() @Min(1) @Max(100) limit: number = 10;
  @OptionalIdField() scriptId?: number | null;
}
