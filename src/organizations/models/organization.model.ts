import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class Organization {
  @Field(() => ID) id: number;
  @Field() name: string;
  @Field() createdAt: Date;
}
