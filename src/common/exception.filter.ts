import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { logUnexpected } from './graphql-errors';

/** Replaces Nest's default exception handling, which logs whole errors (a database error carries
 * the statement's parameters: submitted and stored values). GraphQL errors pass through to the
 * error formatter (formatGraphQLErrors), which decides what the caller sees and logs safely; HTTP
 * errors answer their status, and anything unexpected a message-free 500. */
@Catch()
export class VigilExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException) {
      return reply.code(exception.getStatus()).send(exception.getResponse());
    }
    logUnexpected(exception, host.switchToHttp().getRequest<{ routeOptions?: { url?: string } }>().routeOptions?.url ?? 'HTTP');
    return reply.code(500).send({ statusCode: 500, message: 'Internal server error' });
  }
}
