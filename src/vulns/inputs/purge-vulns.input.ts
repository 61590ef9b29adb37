import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Min } from 'class-validator';

@InputType()
export class PurgeVulnsInput {
  @Field(() => [ID], { nullable: true, description: 'Trashed finding ids (1-1000); omit to empty the whole trash' })
  @IsOptional() @Type(() => Number) @ArrayMinSize(1) @ArrayMaxSize(1000) @IsInt({ each: true }) @Min(1, { each: true })
  ids?: number[];
}
