import { Field, ObjectType } from '@nestjs/graphql';
import { AreaLevel } from './enums.js';

@ObjectType({ description: 'A province- or city-level administrative division of China (GB/T 2260 code)' })
export class Area {
  @Field() code: string;
  @Field() name: string;
  @Field(() => AreaLevel) level: AreaLevel;
  @Field(() => String, { nullable: true }) parentCode: string | null;
}
