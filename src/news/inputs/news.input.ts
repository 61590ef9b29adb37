import { Field, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsDate, IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';
import { IdField, OptionalIdField, OptionalTextField, TextField } from '../../common/validation/fields.js';

export const MAX_CONTENT_LENGTH = 200_000;
const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

// Create and update inputs stay separate classes on purpose: PartialType would carry over
// `published = false` / `position = 0` (initialisers and GraphQL defaults), so an update that
// leaves them out would unpublish an item or move a category.

@InputType()
export class CreateNewsCategoryInput {
  @TextField(100) name: string;

  @Field(() => Int, { defaultValue: 0 })
  @IsInt()
  @Min(-10_000)
  @Max(10_000)
  position: number = 0;
}

@InputType()
export class UpdateNewsCategoryInput {
  @IdField() id: number;
  @OptionalTextField(100, { allowEmpty: false }) name?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(-10_000)
  @Max(10_000)
  position?: number;
}

@InputType()
export class CreateNewsInput {
  @TextField(200) title: string;
  @OptionalTextField(1000, { description: 'Plain text' }) summary?: string | null;

  @TextField(MAX_CONTENT_LENGTH, { allowEmpty: true, description: `HTML, sanitised on save (at most ${MAX_CONTENT_LENGTH} characters)` })
  content: string;

  @OptionalTextField(1000, { description: 'http(s) URL of the cover image' })
  @IsUrl(HTTP_URL)
  coverImageUrl?: string | null;

  @OptionalIdField() categoryId?: number | null;

  @Field({ defaultValue: false })
  @IsBoolean()
  published: boolean = false;

  @Field(() => Date, { nullable: true, description: 'When it becomes public; defaults to the moment it is first published' })
  @IsOptional()
  @IsDate()
  publishedAt?: Date | null;
}

@InputType({ description: 'Only the fields given change; null clears an optional field' })
export class UpdateNewsInput {
  @IdField() id: number;
  @OptionalTextField(200, { allowEmpty: false }) title?: string;
  @OptionalTextField(1000) summary?: string | null;
  @OptionalTextField(MAX_CONTENT_LENGTH) content?: string;
  @OptionalTextField(1000) @IsUrl(HTTP_URL) coverImageUrl?: string | null;
  @OptionalIdField() categoryId?: number | null;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  published?: boolean;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  publishedAt?: Date | null;
}
