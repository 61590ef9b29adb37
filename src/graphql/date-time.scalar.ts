import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { boundedDate, dateRangeMessage } from '../common/validation/bounded-date.js';

const refuse = (value: unknown) =>
  new GraphQLError(`DateTime ${dateRangeMessage} (got ${JSON.stringify(String(value).slice(0, 40))})`, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * The DateTime of every input (filters, expiresAt, publishedAt...): ISO 8601, years 1970-9999,
 * so no extreme date (+275760-..., -271821-...) reaches a query or a Date computation.
 */
export const BoundedDateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format; years 1970-9999.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue(value) {
    const date = boundedDate(value);
    if (!date) throw refuse(value);
    return date;
  },
  parseLiteral(ast) {
    const date = ast.kind === Kind.STRING ? boundedDate(ast.value) : null;
    if (!date) throw refuse(ast.kind === Kind.STRING ? ast.value : ast.kind);
    return date;
  },
});
