import { ArgsType, Field, ID } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Min } from 'class-validator';
import { PageArgs } from '../../graphql/pagination.js';

@ArgsType()
export class NewsListArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  categoryId?: number;
}

@ArgsType()
export class AdminNewsListArgs extends NewsListArgs {
  @Field({ nullable: true, description: 'Only published (true) or unpublished (false) items' })
  @IsOptional()
  @IsBoolean()
  published?: boolean;
}
