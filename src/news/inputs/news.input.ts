import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Max, MaxLength, Min } from 'class-validator';

export const MAX_CONTENT_LENGTH = 200_000;
const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

@InputType()
export class CreateNewsCategoryInput {
  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @Field(() => Int, { defaultValue: 0 })
  @IsInt()
  @Min(-10_000)
  @Max(10_000)
  position: number = 0;
}

@InputType()
export class UpdateNewsCategoryInput {
  @Field(() => ID)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  id: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(-10_000)
  @Max(10_000)
  position?: number;
}

@InputType()
export class CreateNewsInput {
  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @Field(() => String, { nullable: true, description: 'Plain text' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  summary?: string | null;

  @Field({ description: `HTML, sanitised on save (at most ${MAX_CONTENT_LENGTH} characters)` })
  @IsString()
  @MaxLength(MAX_CONTENT_LENGTH)
  content: string;

  @Field(() => String, { nullable: true, description: 'http(s) URL of the cover image' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @IsUrl(HTTP_URL)
  coverImageUrl?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  categoryId?: number | null;

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
  @Field(() => ID)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  id: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  summary?: string | null;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CONTENT_LENGTH)
  content?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @IsUrl(HTTP_URL)
  coverImageUrl?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  categoryId?: number | null;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  published?: boolean;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  publishedAt?: Date | null;
}
