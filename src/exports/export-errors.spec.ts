import { BadRequestException } from '@nestjs/common';
import { ForbiddenFieldError } from '../access/graphql-access';
import { UserInputError } from '../common/errors';
import { AuditUnavailableError, ExportsBusyError, httpErrorOf, parameterOf } from './export-errors';

describe('export errors over HTTP', () => {
  it('answers bad input 400, naming each parameter as the query string spells it', () => {
    const error = new UserInputError([
      { path: 'filter.regions', message: 'unknown region code "XX"' },
      { path: 'dateTo', message: 'must be a calendar date' },
    ]);
    expect(httpErrorOf(error)).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        code: 'BAD_USER_INPUT',
        message: 'regions: unknown region code "XX"; dateTo: must be a calendar date',
        problems: [
          { parameter: 'regions', message: 'unknown region code "XX"' },
          { parameter: 'dateTo', message: 'must be a calendar date' },
        ],
      },
    });
    expect(parameterOf('filter.victims.min')).toBe('victims.min');
  });

  it('answers a protected filter 403, naming the parameter and the field, never a value', () => {
    expect(httpErrorOf(new ForbiddenFieldError('IncidentFilter.within', 'filter.within'))).toEqual({
      status: 403,
      body: {
        statusCode: 403,
        error: 'Forbidden',
        code: 'FORBIDDEN',
        message: 'within: not allowed to filter or sort on IncidentFilter.within',
        parameter: 'within',
        field: 'IncidentFilter.within',
      },
    });
  });

  it('answers 503 when the audit log cannot be written, and leaves anything else to the 500 path', () => {
    expect(httpErrorOf(new AuditUnavailableError())).toMatchObject({ status: 503, body: { code: 'SERVICE_UNAVAILABLE' } });
    expect(httpErrorOf(new ExportsBusyError())).toMatchObject({ status: 503, headers: { 'retry-after': '30' } });
    expect(httpErrorOf(new BadRequestException('nope'))).toMatchObject({ status: 400 });
    expect(httpErrorOf(new Error('relation "secret" does not exist'))).toBeNull();
  });
});
