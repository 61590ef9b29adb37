import { applyDecorators } from '@nestjs/common';
import { Args, Field, ID, type FieldOptions } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsId, MAX_ID, ParseIdPipe } from './id.js';

/**
 * Composite field decorators for GraphQL inputs and args: the GraphQL @Field and its
 * class-validator rules in one place. Each lists its parts in the order they would be stacked
 * on a property (top to bottom), so error messages keep the order they had when written out.
 */

/** GraphQL options passed through to @Field (description, defaultValue, deprecationReason). */
export type FieldDocs = Omit<FieldOptions, 'nullable' | 'name'>;

export interface TextFieldOptions extends FieldDocs {
  /** Accept '' (default: false for TextField, true for OptionalTextField). */
  allowEmpty?: boolean;
}

/** Applies decorators as if written one above the other on the property (the lowest runs first). */
const stacked = (...decorators: PropertyDecorator[]) => applyDecorators(...decorators.reverse());

/** Required `ID!` holding a database id (sent as a string or number, validated as a positive int32). */
export const IdField = (options: FieldDocs = {}) => stacked(Field(() => ID, options), IsId());

/** Optional `ID` (may be left out or null) holding a positive integer id. */
export const OptionalIdField = (options: FieldDocs = {}) =>
  stacked(Field(() => ID, { ...options, nullable: true }), IsOptional(), IsId());

/** A non-empty list `[ID!]` of at most `max` database ids (optional: may be left out or null). */
export const IdListField = (max: number, { optional = false, ...options }: FieldDocs & { optional?: boolean } = {}) =>
  stacked(
    Field(() => [ID], { ...options, nullable: optional }),
    ...(optional ? [IsOptional()] : []),
    IsArray(),
    ArrayNotEmpty(),
    ArrayMaxSize(max),
    Type(() => Number),
    IsInt({ each: true }),
    Min(1, { each: true }),
    Max(MAX_ID, { each: true }),
  );

/** Required `String!` of at most `max` characters; not empty unless `allowEmpty`. */
export const TextField = (max: number, { allowEmpty = false, ...options }: TextFieldOptions = {}) =>
  stacked(Field(() => String, options), IsString(), ...(allowEmpty ? [] : [IsNotEmpty()]), MaxLength(max));

/** Optional `String` (may be left out or null) of at most `max` characters; '' accepted unless `allowEmpty: false`. */
export const OptionalTextField = (max: number, { allowEmpty = true, ...options }: TextFieldOptions = {}) =>
  stacked(Field(() => String, { ...options, nullable: true }), IsOptional(), IsString(), ...(allowEmpty ? [] : [IsNotEmpty()]), MaxLength(max));

/** A resolver argument `name: ID!` parsed to a database id (`@IdArg() id: number`); see ParseIdPipe. */
export const IdArg = (name = 'id', options: { description?: string } = {}) => Args(name, { type: () => ID, ...options }, ParseIdPipe);
