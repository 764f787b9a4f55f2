import { GraphQLBoolean, GraphQLEnumType, GraphQLFloat, GraphQLID, GraphQLInputObjectType, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLString } from 'graphql';
import { GraphQLISODateTime } from '@nestjs/graphql';
import { UserInputError } from '../common/errors';
import { parameterNames, readParameters } from './query-parameters';

const Kind = new GraphQLEnumType({ name: 'Kind', values: { DETENTION: { value: 'DETENTION' }, KILLING: { value: 'KILLING' } } });
const Order = new GraphQLEnumType({ name: 'Order', values: { DATE_DESC: { value: 'DATE_DESC' }, DATE_ASC: { value: 'DATE_ASC' } } });
const Range = new GraphQLInputObjectType({ name: 'Range', fields: { min: { type: GraphQLInt }, max: { type: GraphQLInt } } });
const Box = new GraphQLInputObjectType({ name: 'Box', fields: { south: { type: new GraphQLNonNull(GraphQLFloat) }, north: { type: GraphQLFloat } } });
const Filter = new GraphQLInputObjectType({
  name: 'Filter',
  fields: {
    regions: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)) },
    kinds: { type: new GraphQLList(Kind) },
    search: { type: GraphQLString },
    situationId: { type: GraphQLID },
    hasResponse: { type: GraphQLBoolean },
    minSources: { type: GraphQLInt },
    updatedSince: { type: GraphQLISODateTime },
    victims: { type: Range },
    within: { type: Box },
  },
});
const spec = { filter: Filter, options: { orderBy: Order, bom: GraphQLBoolean } };

function problems(query: Record<string, string | string[]>) {
  try {
    readParameters(query, spec);
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    return (error as UserInputError).extensions.problems;
  }
  throw new Error('expected bad input');
}

describe('export query parameters', () => {
  it('reads the filter\'s fields by their GraphQL types, nested ones with a dot', () => {
    const read = readParameters(
      {
        regions: 'RU-CE', search: 'secret, prison', situationId: 'abc', hasResponse: 'false', minSources: '2',
        'victims.min': '10', 'within.south': '-43.5', orderBy: 'DATE_ASC', bom: 'true',
        updatedSince: '2026-11-01T00:00:00Z',
      },
      spec,
    );
    expect(read.filter).toEqual({
      regions: ['RU-CE'], search: 'secret, prison', situationId: 'abc', hasResponse: false, minSources: 2,
      victims: { min: 10 }, within: { south: -43.5 }, updatedSince: new Date('2026-11-01T00:00:00Z'),
    });
    expect(read.options).toEqual({ orderBy: 'DATE_ASC', bom: true });
  });

  it('takes a list as repeated parameters, comma-separated values, or both', () => {
    expect(readParameters({ kinds: ['DETENTION', 'KILLING'] }, spec).filter).toEqual({ kinds: ['DETENTION', 'KILLING'] });
    expect(readParameters({ kinds: 'DETENTION,KILLING' }, spec).filter).toEqual({ kinds: ['DETENTION', 'KILLING'] });
    expect(readParameters({ regions: ['RU,UA', 'GB'] }, spec).filter).toEqual({ regions: ['RU', 'UA', 'GB'] });
  });

  it('reads a "+" that the query string turned into a space back as a time zone offset', () => {
    expect(readParameters({ updatedSince: '2026-11-01T10:00:00 02:00' }, spec).filter.updatedSince).toEqual(new Date('2026-11-01T08:00:00Z'));
  });

  it('names every bad parameter at once: unknown, mistyped, repeated, not in the vocabulary', () => {
    expect(
      problems({
        bogus: '1', kinds: 'DETENTION,TORTURE', minSources: '2.5', hasResponse: 'yes', 'victims.min': 'ten',
        'within.south': 'north', search: ['a', 'b'], updatedSince: 'last tuesday', orderBy: 'SIDEWAYS', victims: '3',
      }),
    ).toEqual([
      { path: 'bogus', message: 'is not a parameter of this export' },
      { path: 'kinds[1]', message: 'must be one of DETENTION, KILLING' },
      { path: 'minSources', message: 'must be a whole number' },
      { path: 'hasResponse', message: 'must be true or false' },
      { path: 'victims.min', message: 'must be a whole number' },
      { path: 'within.south', message: 'must be a number' },
      { path: 'search', message: 'is given more than once' },
      { path: 'updatedSince', message: 'must be an ISO 8601 date or date-time, e.g. 2026-11-01T00:00:00Z' },
      { path: 'orderBy', message: 'must be one of DATE_DESC, DATE_ASC' },
      { path: 'victims', message: 'is not a parameter of this export' },
    ]);
  });

  it('refuses NUL characters and out-of-range whole numbers as bad input', () => {
    expect(problems({ search: 'a\0b' })).toEqual([{ path: 'search', message: 'must not contain a NUL character' }]);
    expect(problems({ minSources: '99999999999' })).toEqual([{ path: 'minSources', message: 'must be a whole number' }]);
  });

  it('lists the parameters an export takes', () => {
    expect(parameterNames(spec)).toEqual([
      'regions', 'kinds', 'search', 'situationId', 'hasResponse', 'minSources', 'updatedSince', 'victims.min', 'victims.max', 'within.south', 'within.north', 'orderBy', 'bom',
    ]);
  });
});
