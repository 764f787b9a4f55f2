import { Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { Viewer } from '../access/viewer';
import { formatGraphQLErrors, sanitizeError } from '../common/graphql-errors';
import { acceptsGraphQLResponseJson } from '../graphql/over-http';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, isStatementTimeout } from './database-unavailable';
import { mayUse } from './graphql-limits';
import { isRefusalCode, REFUSAL_STATUS, RequestRefused } from './refusal';
import { SecurityOptions } from './security-options';

type MercuriusExecution = ExecutionResult & { statusCode?: number };
interface FormatterContext {
  viewer?: Viewer;
  reply?: FastifyReply;
}

const logger = new Logger('Database');
const TOKEN_LIMIT = /^Syntax Error: Document contains more that (\d+) tokens/;
const SUGGESTION = /\s*Did you mean .*\?$/;

/** An error Fastify or Mercurius raised about the HTTP request itself, as a refusal with a message
 * of our own: theirs can quote the body (a JSON parse error shows the text around the fault). */
function httpRefusal(original: { code?: unknown; statusCode?: unknown }, options: SecurityOptions, context: FormatterContext): RequestRefused | null {
  const code = typeof original.code === 'string' ? original.code : '';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const length = Number(context.reply?.request.headers['content-length']);
    return new RequestRefused('REQUEST_TOO_LARGE', `The request body is larger than the limit of ${options.bodyLimit} bytes`, {
      limit: options.bodyLimit,
      ...(Number.isFinite(length) ? { measured: length } : {}),
    });
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new RequestRefused('UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as application/json (or application/graphql)');
  }
  if (code.startsWith('FST_ERR_CTP_')) return new RequestRefused('BAD_REQUEST', 'The request body is not valid JSON');
  // Mercurius's request schema refused a parameter's type (`variables` a string, `extensions` an
  // array): not a GraphQL request at all, so 400 under either media type.
  if (code === 'MER_ERR_GQL_VALIDATION' && Array.isArray((original as { errors?: unknown }).errors)) {
    const inner = (original as { errors: unknown[] }).errors;
    if (inner.some((e) => !(e instanceof GraphQLError) && Array.isArray((e as { validation?: unknown }).validation))) {
      return new RequestRefused('BAD_REQUEST', 'The request is not a GraphQL request: `variables` and `extensions` must be objects (or null), `operationName` a string');
    }
  }
  // Mercurius's word for a request without a query (no persisted queries are configured here).
  if (code === 'MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND') {
    return new RequestRefused('BAD_REQUEST', 'The request has no query: send the GraphQL document as `query`');
  }
  // A GET's `variables` or `extensions` parameter that JSON.parse refused (its message quotes the text).
  if (code === 'MER_ERR_GQL_VALIDATION' && original instanceof SyntaxError) {
    return new RequestRefused('BAD_REQUEST', 'The variables (or extensions) are not valid JSON');
  }
  if (code === 'MER_ERR_METHOD_NOT_ALLOWED') {
    context.reply?.header('Allow', 'POST');
    return new RequestRefused('METHOD_NOT_ALLOWED', 'Mutations are accepted only with POST');
  }
  return null;
}

/** One error as the caller should see it: refusals named by their code, a database outage as
 * SERVICE_UNAVAILABLE, Mercurius's wrapper of several validation errors unwrapped. */
function interpret(error: GraphQLError, options: SecurityOptions, context: FormatterContext): GraphQLError[] {
  if (isRefusalCode(error.extensions?.code)) return [error];
  const original = error.originalError as (Error & { code?: unknown; statusCode?: unknown; errors?: unknown[] }) | undefined;
  if (original) {
    const refusal = httpRefusal(original, options, context);
    if (refusal) return [refusal];
    if (Array.isArray(original.errors)) {
      return original.errors.flatMap((inner) => interpret(inner instanceof GraphQLError ? inner : new GraphQLError(String(inner)), options, context));
    }
    if (isDatabaseUnavailable(original)) {
      logger.warn(`Database unavailable (${String(original.code ?? original.name)}) at ${error.path?.join('.') ?? 'request'}`);
      return [new GraphQLError(DATABASE_UNAVAILABLE_MESSAGE, { path: error.path, extensions: { code: 'SERVICE_UNAVAILABLE' } })];
    }
    if (isStatementTimeout(original)) {
      logger.warn(`Statement timeout at ${error.path?.join('.') ?? 'request'}`);
      return [
        new GraphQLError('The database took too long to answer; ask for less (smaller pages, narrower filters) or try again later', {
          path: error.path,
          extensions: { code: 'SERVICE_UNAVAILABLE' },
        }),
      ];
    }
  }
  // graphql-js's own guard against introspection that fans out: a limit like Vigil's, refused as one.
  if (error.message === 'Maximum introspection depth exceeded') return [new RequestRefused('QUERY_TOO_DEEP', error.message)];
  const tokens = TOKEN_LIMIT.exec(error.message);
  if (tokens) {
    return [
      new RequestRefused('QUERY_TOO_LARGE', `The query has more than ${options.maxTokens} tokens; the limit is ${options.maxTokens}`, {
        limit: options.maxTokens,
      }),
    ];
  }
  return [error];
}

function withoutSuggestions(error: GraphQLFormattedError): GraphQLFormattedError {
  return SUGGESTION.test(error.message) ? { ...error, message: error.message.replace(SUGGESTION, '') } : error;
}

/** Mercurius's error formatter: the project's (src/common/graphql-errors.ts) for everything but
 * refusals, which keep their code and HTTP status (the highest among them) under either media type:
 * a refusal by policy (too deep, too costly, introspection closed) stays a 4xx that proxies, logs
 * and alerts count as one, where GraphQL over HTTP would answer a validation failure 200 under
 * application/json; database outages are
 * reported as SERVICE_UNAVAILABLE (503 when nothing could be answered), and "Did you mean ...?"
 * is cut for viewers who may not have suggestions. */
export function createGraphQLErrorFormatter(options: SecurityOptions) {
  return (execution: MercuriusExecution, context: unknown): { statusCode: number; response: ExecutionResult } => {
    const ctx = (context ?? {}) as FormatterContext;
    const errors = (execution.errors ?? []).flatMap((error) => interpret(error, options, ctx));
    const refusals = errors.filter((e): e is GraphQLError => isRefusalCode(e.extensions?.code));
    let result: { statusCode: number; response: ExecutionResult };
    if (refusals.length > 0) {
      const statusCode = Math.max(...refusals.map((e) => REFUSAL_STATUS[e.extensions.code as keyof typeof REFUSAL_STATUS]));
      const formatted = errors.map((e) => (isRefusalCode(e.extensions?.code) ? e.toJSON() : sanitizeError(e)));
      result = { statusCode, response: { data: execution.data ?? null, errors: formatted as unknown as GraphQLError[] } };
    } else {
      result = formatGraphQLErrors({ ...execution, errors }, acceptsGraphQLResponseJson(ctx.reply?.request) ? 400 : 200);
    }
    if (!mayUse(ctx.viewer, options.suggestions) && result.response.errors) {
      const trimmed = (result.response.errors as unknown as GraphQLFormattedError[]).map(withoutSuggestions);
      result.response = { ...result.response, errors: trimmed as unknown as GraphQLError[] };
    }
    return result;
  };
}
