import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../graphql/pagination.js';

@ObjectType()
export class NewsCategory {
  @Field(() => ID) id: number;
  @Field() name: string;
  @Field(() => Int, { description: 'Display order, ascending' }) position: number;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType({ description: 'A news item. Public when published and publishedAt has passed.' })
export class News {
  @Field(() => ID) id: number;
  @Field() title: string;
  @Field(() => String, { nullable: true }) summary: string | null;
  @Field({ description: 'Sanitised HTML (allow-listed tags and attributes only)' }) content: string;
  @Field(() => String, { nullable: true }) coverImageUrl: string | null;
  @Field(() => ID, { nullable: true }) categoryId: number | null;
  @Field() published: boolean;
  @Field(() => Date, { nullable: true }) publishedAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType()
export class NewsConnection extends Paginated(News) {}
