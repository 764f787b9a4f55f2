import fastifyCors from '@fastify/cors';
import helmet from 'helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable, sendDatabaseUnavailable } from './database-unavailable';
import { addressOf, Limited, RequestLimits, sendLimited } from './rate-limits';
import { RefusalCode, refusalBody, RefusalDetails, REFUSAL_STATUS } from './refusal';
import { EMBED_ROUTE, GRAPHIQL_ROUTE, PAGE_ROUTES } from '../web/web-pages';
import { SecurityOptions } from './security-options';

export const GRAPHQL_PATH = '/graphql';
const HEALTH_PATH = '/health';

/** The route a request was matched to (`/graphql`), as Fastify's router decoded it: the raw URL
 * could spell the same path differently (`/%67raphql`) or carry a query string. */
function routeOf(request: FastifyRequest): string | undefined {
  return request.routeOptions.url;
}

function refuse(reply: FastifyReply, code: RefusalCode, message: string, details: RefusalDetails = {}): FastifyReply {
  return reply.code(REFUSAL_STATUS[code]).type('application/json; charset=utf-8').send(refusalBody(code, message, details));
}

// --- Content-Security-Policy ------------------------------------------------------------------

/** The API answers JSON only: nothing it sends may load, run or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The pages (web/, src/web/web-pages.ts): scripts, styles, fonts and shapes all from this
 * service, no inline script, no eval; they call only this service. Inline styles are allowed:
 * TimelineJS and GraphiQL position their elements with style attributes (no script runs from a
 * style). */
const PAGE_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
];
export const PAGE_CSP = [...PAGE_DIRECTIVES, "frame-ancestors 'none'"].join('; ');
/** The embeddable timeline (/timeline/embed): the same, but any site may frame it. It reads
 * public data only (it never sends a token), so framing it shows nothing a visitor could not. */
export const EMBED_CSP = [...PAGE_DIRECTIVES, 'frame-ancestors *'].join('; ');
/** GraphiQL, bundled from the graphiql package: the pages' policy. */
export const GRAPHIQL_CSP = PAGE_CSP;

/** The policy of a route. */
export function cspFor(route: string, options: Pick<SecurityOptions, 'graphiql'>): string {
  if (route === EMBED_ROUTE) return EMBED_CSP;
  if ((PAGE_ROUTES as readonly string[]).includes(route) || route === '/assets/*') return PAGE_CSP;
  if (options.graphiql && route === GRAPHIQL_ROUTE) return GRAPHIQL_CSP;
  return API_CSP;
}

// --- CSRF -------------------------------------------------------------------------------------

/** Content types a browser sends cross-site without a preflight (the CORS "simple" ones). */
const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
/** Headers that no cross-site form, link or image can carry, so a browser must preflight a request
 * that has one (Apollo Server's names, so Apollo clients pass as they are). */
export const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'] as const;

/** Whether a browser could have sent this request cross-site without asking first (the Apollo
 * rule): no content type, or a simple one, and none of the preflight headers. */
export function mightBeCrossSiteForgery(request: FastifyRequest): boolean {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType !== '' && !SIMPLE_CONTENT_TYPES.has(contentType)) return false;
  return !PREFLIGHT_HEADERS.some((header) => {
    const value = request.headers[header];
    return typeof value === 'string' && value.trim() !== '';
  });
}

// --- Caching ---------------------------------------------------------------------------------

/** `vary` with Authorization added once. */
function varyWithAuthorization(vary: unknown): string {
  const names = String(vary ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (!names.some((name) => name.toLowerCase() === 'authorization' || name === '*')) names.push('Authorization');
  return names.join(', ');
}

/** Registers, on the Fastify instance and before the application's routes and authentication:
 * security headers, CORS, the rate limit of requests without a token, caching headers, CSRF protection and the batch size limit for /graphql. Request size is Fastify's
 * bodyLimit (app.factory.ts). */
export async function registerHttpSecurity(fastify: FastifyInstance, options: SecurityOptions, limits: RequestLimits): Promise<void> {
  // Helmet's headers on every response, from a middleware built once: @fastify/helmet built it
  // from the options again on every request (bench/README.md, Round 4).
  const securityHeaders = helmet({
    contentSecurityPolicy: false, // set below, by path
    frameguard: { action: 'deny' },
  });
  fastify.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)));
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('content-security-policy', cspFor(routeOf(request) ?? '', options));
  });

  if (options.corsOrigins.length > 0) {
    await fastify.register(fastifyCors, {
      origin: options.corsOrigins,
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', ...PREFLIGHT_HEADERS],
      exposedHeaders: ['retry-after', 'www-authenticate'],
      credentials: false, // bearer tokens only: no cookies to send along
      maxAge: 600,
    });
  }

  // Requests without a token, per address; those with one are counted by the authentication hook
  // (src/accounts/authentication.hook.ts), per token or as failures.
  fastify.addHook('onRequest', async (request, reply) => {
    if (routeOf(request) === HEALTH_PATH || request.headers.authorization !== undefined) return;
    let limited: Limited | null;
    try {
      limited = await limits.anonymousRequest(addressOf(request));
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      return sendDatabaseUnavailable(reply);
    }
    if (limited) return sendLimited(reply, limited);
  });

  // What a shared cache (a proxy, a CDN) may keep: nothing of a request that carries a token (the
  // answer is that caller's, and may hold protected values whose reading is audited per request),
  // and an anonymous answer only for anonymous requests (Vary), never for one with a token.
  fastify.addHook('onSend', async (request, reply, payload) => {
    reply.header('vary', varyWithAuthorization(reply.getHeader('vary')));
    if (request.headers.authorization !== undefined && !/\bno-store\b/.test(String(reply.getHeader('cache-control') ?? ''))) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });

  fastify.addHook('onRequest', async (request, reply) => {
    if (routeOf(request) !== GRAPHQL_PATH || (request.method !== 'GET' && request.method !== 'POST')) return;
    if (mightBeCrossSiteForgery(request)) {
      return refuse(
        reply,
        'CSRF_REFUSED',
        'This request could have been sent by another web site (a simple content type and no preflight header): ' +
          `send JSON as application/json, or add the header ${PREFLIGHT_HEADERS[0]}: true`,
      );
    }
  });

  fastify.addHook('preValidation', async (request, reply) => {
    if (request.method !== 'POST' || routeOf(request) !== GRAPHQL_PATH) return;
    // Mercurius takes a `query` that is not a string for an already parsed document, and fails on it.
    const operations: unknown[] = Array.isArray(request.body) ? request.body : [request.body];
    const queryOf = (operation: unknown) => (operation && typeof operation === 'object' ? (operation as { query?: unknown }).query : undefined);
    if (operations.some((operation) => ![undefined, null].includes(queryOf(operation) as never) && typeof queryOf(operation) !== 'string')) {
      return refuse(reply, 'BAD_REQUEST', 'The query must be a string holding a GraphQL document');
    }
    if (!Array.isArray(request.body)) return;
    const count = request.body.length;
    if (count === 0) return refuse(reply, 'BAD_REQUEST', 'The batch is empty: send at least one operation', { limit: options.maxBatch, measured: 0 });
    if (options.maxBatch <= 1) {
      return refuse(reply, 'TOO_MANY_OPERATIONS', 'Batched requests are not accepted here: send one operation per request', {
        limit: 1,
        measured: count,
      });
    }
    if (count > options.maxBatch) {
      return refuse(reply, 'TOO_MANY_OPERATIONS', `The request holds ${count} operations; the limit is ${options.maxBatch}`, {
        limit: options.maxBatch,
        measured: count,
      });
    }
  });
}
