import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** YYYY-MM-DD, optionally with a time (hours and minutes at least) and a zone. */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/;

/** Whether YYYY-MM-DD names a day that exists (not 2019-02-29, not 2020-13-01). */
function dayExists(day: string): boolean {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const EXPECTED = 'must be an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z';

/** `value` as a Date when it is an ISO 8601 date-time of a day that exists, with a four-digit year
 * (what both JavaScript and PostgreSQL's timestamptz hold); null otherwise. */
export function parseDateTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = DATE_TIME.exec(value);
  if (!match || !dayExists(match[1])) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The DateTime scalar, in place of @nestjs/graphql's GraphQLISODateTime (same name, description and
 * output), whose input side takes whatever `new Date()` takes: an Invalid Date, `2020-02-30` read
 * as 1 March, year -271821 (which PostgreSQL cannot store), and null for a literal that is not a
 * string. A value that is not a date-time is refused as the variable's or the literal's error.
 */
export const GraphQLDateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format.',
  serialize(value) {
    return value instanceof Date ? value.toISOString() : null;
  },
  parseValue(value) {
    const date = parseDateTime(value);
    if (!date) throw new GraphQLError(`DateTime ${EXPECTED}`);
    return date;
  },
  parseLiteral(ast) {
    const date = ast.kind === Kind.STRING ? parseDateTime(ast.value) : null;
    if (!date) throw new GraphQLError(`DateTime ${EXPECTED}`);
    return date;
  },
});
