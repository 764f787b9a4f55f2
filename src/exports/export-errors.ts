import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GraphQLError } from 'graphql';
import { InputProblem } from '../common/errors';
import { logUnexpected } from '../common/graphql-errors';
import { MAX_CONCURRENT_EXPORTS, MAX_EXPORTS_PER_CALLER } from './export-slots';

/** The audit log could not be written, so nothing protected may go out (as for GraphQL). */
export class AuditUnavailableError extends GraphQLError {
  constructor() {
    super('The audit log is unavailable, so no protected data can be exported; try again later', { extensions: { code: 'SERVICE_UNAVAILABLE' } });
  }
}

/** Every export slot is taken: the client should try again shortly. */
export class ExportsBusyError extends GraphQLError {
  constructor() {
    super(`Too many exports are running already (at most ${MAX_CONCURRENT_EXPORTS} at once, ${MAX_EXPORTS_PER_CALLER} per caller); try again in a minute`, {
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: 30 },
    });
  }
}

/** The client went away before the export could start; there is no one to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('The client went away');
  }
}

/** Services name filter fields as GraphQL arguments (`filter.regions`); an export's parameter is
 * the field's own name (`regions`). */
export function parameterOf(path: string): string {
  return path.replace(/^filter\./, '');
}

export interface HttpError {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** The HTTP answer for an error raised before an export starts: bad input 400 naming every bad
 * parameter, a protected filter 403 naming it, an unwritable audit log 503. Like GraphQL errors,
 * these name parameters and fields, never stored values. Anything else is null (unexpected). */
export function httpErrorOf(error: unknown): HttpError | null {
  if (error instanceof GraphQLError) {
    const code = error.extensions?.code;
    if (code === 'BAD_USER_INPUT') {
      const problems = ((error.extensions.problems as InputProblem[] | undefined) ?? [{ path: '', message: error.message }]).map((p) => ({
        parameter: parameterOf(p.path),
        message: p.message,
      }));
      return {
        status: 400,
        body: { statusCode: 400, error: 'Bad Request', code, message: problems.map((p) => `${p.parameter}: ${p.message}`).join('; '), problems },
      };
    }
    if (code === 'FORBIDDEN') {
      const argument = error.extensions.argument as string | undefined;
      const field = error.extensions.field as string | undefined;
      const parameter = argument ? parameterOf(argument) : undefined;
      return {
        status: 403,
        body: {
          statusCode: 403,
          error: 'Forbidden',
          code,
          message: parameter && field ? `${parameter}: not allowed to filter or sort on ${field}` : error.message,
          ...(parameter ? { parameter } : {}),
          ...(field ? { field } : {}),
        },
      };
    }
    if (code === 'SERVICE_UNAVAILABLE') {
      const retryAfter = error.extensions.retryAfter as number | undefined;
      return {
        status: 503,
        body: { statusCode: 503, error: 'Service Unavailable', code, message: error.message },
        ...(retryAfter ? { headers: { 'retry-after': String(retryAfter) } } : {}),
      };
    }
  }
  if (error instanceof HttpException && error.getStatus() < 500) {
    return { status: error.getStatus(), body: { statusCode: error.getStatus(), message: error.message } };
  }
  return null;
}

/** Answers the exports' errors as JSON with the right status (the global filter would turn a
 * GraphQLError raised outside GraphQL into a 500). Unexpected errors are logged without their
 * message (a database message can quote values) and answer a message-free 500. */
@Catch()
export class ExportErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof ClientGoneError) return;
    const known = httpErrorOf(exception);
    if (!known) logUnexpected(exception, host.switchToHttp().getRequest<{ routeOptions?: { url?: string } }>().routeOptions?.url ?? 'export');
    if (reply.sent) {
      // The body had begun: cut it off, so the client sees a broken download, not a short one.
      reply.raw.destroy();
      return;
    }
    const { status, body, headers } = known ?? { status: 500, body: { statusCode: 500, message: 'Internal server error' } };
    void reply.code(status).headers({ 'cache-control': 'no-store', ...headers }).send(body);
  }
}
