import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../graphql/pagination.js';

@ObjectType()
export class Tag {
  @Field(() => ID) id: number;
  @Field(() => ID) organizationId: number;
  @Field() name: string;
  @Field() createdAt: Date;
}

@ObjectType()
export class TagConnection extends Paginated(Tag) {}
