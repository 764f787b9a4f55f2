import type { FastifyInstance, FastifyRequest } from 'fastify';
import { REFUSAL_STATUS, refusalBody } from '../security/refusal';

/** The GraphQL-over-HTTP specification's own media type. Under it a request that fails before
 * execution (it does not parse, validate, or its variables do not fit) answers 4xx; under the
 * older application/json, 200 with the errors. */
export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/** Whether the request's Accept header lists application/graphql-response+json (with q above 0).
 * Without it (no Accept header included), the answer is application/json, as the spec says for
 * clients written before the new media type. */
export function acceptsGraphQLResponseJson(request: Pick<FastifyRequest, 'headers'> | undefined): boolean {
  const accept = request?.headers.accept ?? '';
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return type === GRAPHQL_RESPONSE_JSON && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** What GraphQL over HTTP asks of the /graphql route that Mercurius does not do itself: a null
 * `extensions` accepted as none, and the answer in application/graphql-response+json to a client
 * that asks for it. (Request errors' status codes: src/common/graphql-errors.ts.) */
export function registerGraphQLOverHttp(fastify: FastifyInstance, path: string): void {
  // Before Mercurius's body schema, which takes `extensions` for an object only, and turns an
  // `operationName` that is not a string into one that later fails inside Mercurius (a 500).
  fastify.addHook('preValidation', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.url !== path) return;
    const operations = (Array.isArray(request.body) ? request.body : [request.body]) as unknown[];
    for (const operation of operations) {
      if (!operation || typeof operation !== 'object') continue;
      const fields = operation as { extensions?: unknown; operationName?: unknown };
      if (fields.extensions === null) delete fields.extensions;
      if (fields.operationName !== undefined && fields.operationName !== null && typeof fields.operationName !== 'string') {
        return reply
          .code(REFUSAL_STATUS.BAD_REQUEST)
          .type('application/json; charset=utf-8')
          .send(refusalBody('BAD_REQUEST', 'The operationName must be a string (or null)'));
      }
    }
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url !== path || !acceptsGraphQLResponseJson(request)) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('application/json')) reply.header('content-type', `${GRAPHQL_RESPONSE_JSON}; charset=utf-8`);
    return payload;
  });
}
