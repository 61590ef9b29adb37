import { ArgsType, Field } from '@nestjs/graphql';
import { IsBoolean, IsOptional } from 'class-validator';
import { OptionalIdField } from '../../common/validation/fields.js';
import { PageArgs } from '../../graphql/pagination.js';

@ArgsType()
export class NewsListArgs extends PageArgs {
  @OptionalIdField() categoryId?: number;
}

@ArgsType()
export class AdminNewsListArgs extends NewsListArgs {
  @Field({ nullable: true, description: 'Only published (true) or unpublished (false) items' })
  @IsOptional()
  @IsBoolean()
  published?: boolean;
}
