import { HttpException, Logger } from '@nestjs/common';
import { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';

/** Codes of errors Vigil raises on purpose, with messages written for the caller. */
const KEPT_CODES = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'SERVICE_UNAVAILABLE']);
const logger = new Logger('Errors');

function httpCode(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  return 'BAD_USER_INPUT';
}

/** Logs an unexpected error by its class, code and stack frames, never its message: a database
 * message can quote stored or submitted values (protected ones included). */
export function logUnexpected(error: unknown, where: string): void {
  const e = error instanceof Error ? error : new Error('non-Error thrown');
  logger.error(`Unexpected ${e.name} (${(e as { code?: string }).code ?? 'no code'}) at ${where}\n${stackFrames(e)}`);
}

/** The `at ...` lines of an error's stack and nothing else: the stack starts with the message,
 * which may run over several lines (a database error quoting a row). */
export function stackFrames(error: Error): string {
  const stack = error.stack ?? '';
  // V8 writes `${name}: ${message}` first; cut it whole, whatever lines the message holds.
  const header = error.message ? `${error.name}: ${error.message}` : error.name;
  return (stack.startsWith(header) ? stack.slice(header.length) : stack)
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

/** graphql-js's refusal of a variable's value (`Variable "$first" got invalid value "1"; Int cannot
 * represent non-integer value`): raised before execution, so without a path, and wrapping the
 * GraphQLError of the scalar, enum or input type that refused it. An error raised while executing
 * has a path, and one of Vigil's has a code. */
function isVariableError(error: GraphQLError): boolean {
  return !error.path && error.originalError instanceof GraphQLError && error.extensions?.code === undefined && /^Variable "\$/.test(error.message);
}

/** Errors the caller caused keep their message and code; anything unexpected becomes
 * INTERNAL_SERVER_ERROR with no detail (a database message can quote stored values), logged with
 * its stack frames but without its message. */
export function sanitizeError(error: GraphQLError): GraphQLFormattedError {
  const original = error.originalError;
  const code = error.extensions?.code;
  if (typeof code === 'string' && KEPT_CODES.has(code)) return error.toJSON();
  if (!original || isVariableError(error)) {
    // Parse and validation errors from graphql-js name the query's own fields, never stored data;
    // variable errors quote only the value the caller sent.
    return { ...error.toJSON(), extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } };
  }
  if (original instanceof HttpException && original.getStatus() < 500) {
    return { message: original.message, path: error.path, locations: error.locations, extensions: { code: httpCode(original.getStatus()) } };
  }
  logUnexpected(original, error.path?.join('.') ?? '?');
  return { message: 'Internal server error', path: error.path, locations: error.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

type MercuriusExecution = ExecutionResult & { statusCode?: number };

/** Mercurius error formatter: GraphQL errors answer 200 with `errors`, never 500 for bad input. A
 * request that fails before execution (it does not parse or validate, or a variable does not fit)
 * answers `requestErrorStatus` (GraphQL over HTTP: 200 under application/json, 400 under
 * application/graphql-response+json) and has no `data` entry: nothing was executed. */
export function formatGraphQLErrors(execution: MercuriusExecution, requestErrorStatus = 400): { statusCode: number; response: ExecutionResult } {
  const errors = (execution.errors ?? []).flatMap((e) => {
    const nested = (e.originalError as { errors?: GraphQLError[] } | undefined)?.errors;
    return Array.isArray(nested) ? nested.map((n) => (n instanceof GraphQLError ? n : new GraphQLError(String(n)))) : [e];
  });
  const formatted = errors.map(sanitizeError);
  const requestInvalid = !execution.data && formatted.every((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED');
  const unavailable = !execution.data && formatted.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
  if (requestInvalid) return { statusCode: requestErrorStatus, response: { errors: formatted as unknown as GraphQLError[] } };
  return {
    statusCode: unavailable ? 503 : 200,
    response: { data: execution.data ?? null, errors: formatted as unknown as GraphQLError[] },
  };
}
