import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { Role } from '../access/role';
import { ANONYMOUS, Viewer } from '../access/viewer';
import { isDatabaseUnavailable } from './database-unavailable';
import { createGraphQLErrorFormatter } from './graphql-error-policy';
import { RequestRefused } from './refusal';
import { Exposure, securityOptions } from './security-options';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const located = (original: Error, path = ['incidents']) => new GraphQLError(original.message, { path, originalError: original });
const format = createGraphQLErrorFormatter(securityOptions({ suggestions: Exposure.RESEARCHERS }));

describe('database outages', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a server shutting down', new QueryFailedError('SELECT 1', [], withCode('terminating connection due to administrator command', '57P01'))],
    ['a server starting up', withCode('the database system is starting up', '57P03')],
    ['a connection exception (class 08)', withCode('connection failure', '08006')],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['a full pool', new Error('timeout exceeded when trying to connect')],
  ])('are recognised: %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a failed statement', new QueryFailedError('SELECT x', [], withCode('column "x" does not exist', '42703'))],
    ['a unique violation', withCode('duplicate key value', '23505')],
    ['a programming error', new TypeError('x is undefined')],
  ])('are not confused with %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('answer 503 SERVICE_UNAVAILABLE without the driver message, when nothing could be answered', () => {
    const { statusCode, response } = format({ data: null, errors: [located(withCode('connect ECONNREFUSED 10.1.2.3:5432', 'ECONNREFUSED'))] }, { viewer: ANONYMOUS });
    expect(statusCode).toBe(503);
    expect(response.errors).toEqual([
      { message: 'The database is unavailable; try again in a few seconds', path: ['incidents'], extensions: { code: 'SERVICE_UNAVAILABLE' } },
    ]);
  });

  it('report a statement that ran out of time as SERVICE_UNAVAILABLE, not an internal error', () => {
    const timeout = new QueryFailedError('SELECT ...', ['secret-7c1f'], withCode('canceling statement due to statement timeout', '57014'));
    const { response } = format({ data: { incidents: null }, errors: [located(timeout)] }, {});
    expect(response.errors![0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    expect(JSON.stringify(response)).not.toMatch(/secret-7c1f|canceling/);
  });
});

describe('refusals', () => {
  it('keep their code and status beside other errors', () => {
    const { statusCode, response } = format({ errors: [new RequestRefused('QUERY_TOO_DEEP', 'deep', { limit: 1, measured: 2 }), new GraphQLError('other')] }, {});
    expect(statusCode).toBe(400);
    expect(response.errors).toEqual([
      { message: 'deep', extensions: { code: 'QUERY_TOO_DEEP', limit: 1, measured: 2 } },
      { message: 'other', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
  });
});

describe('suggestions', () => {
  const typo = () => ({ errors: [new GraphQLError('Cannot query field "headlin" on type "Incident". Did you mean "headline"?')] });
  it('are cut for viewers below the setting, kept for the others', () => {
    expect(format(typo(), { viewer: ANONYMOUS }).response.errors![0].message).toBe('Cannot query field "headlin" on type "Incident".');
    expect(format(typo(), {}).response.errors![0].message).toBe('Cannot query field "headlin" on type "Incident".');
    expect(format(typo(), { viewer: new Viewer(Role.RESEARCHER, 'a') }).response.errors![0].message).toMatch(/Did you mean "headline"\?$/);
  });
});
