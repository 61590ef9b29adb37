import { applyDecorators } from '@nestjs/common';
import { ArgsType, Field, ID } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsInt, IsOptional, Max, Min } from 'class-validator';

const MAX_ID = 2_147_483_647;

/** A required numeric ID field (GraphQL `ID!`, validated as a positive 32-bit integer). */
export const IdField = (description?: string) =>
  applyDecorators(Field(() => ID, { description }), Type(() => Number), IsInt(), Min(1), Max(MAX_ID));

/** An optional numeric ID field. */
export const OptionalIdField = (description?: string) =>
  applyDecorators(Field(() => ID, { nullable: true, description }), IsOptional(), Type(() => Number), IsInt(), Min(1), Max(MAX_ID));

/** A non-empty list of numeric IDs of at most `max` entries. */
export const IdListField = (max: number, description?: string, optional = false) =>
  applyDecorators(
    Field(() => [ID], { description, nullable: optional }),
    ...(optional ? [IsOptional()] : []),
    IsArray(),
    ArrayNotEmpty(),
    ArrayMaxSize(max),
    Type(() => Number),
    IsInt({ each: true }),
    Min(1, { each: true }),
    Max(MAX_ID, { each: true }),
  );

@ArgsType()
export class IdArgs {
  @IdField()
  id: number;
}
