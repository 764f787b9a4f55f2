import type { FastifyReply } from 'fastify';
import { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { Role } from '../access/role';
import { ANONYMOUS, Viewer } from '../access/viewer';
import { shapeOf } from './document-shape';
import { MAX_COST_NODES, queryCost } from './query-cost';
import { RequestRefused } from './refusal';
import { Exposure, SecurityOptions } from './security-options';

/** Whether `viewer` may use a convenience exposed to `exposure`. */
export function mayUse(viewer: Viewer | undefined, exposure: Exposure): boolean {
  if (exposure === Exposure.EVERYONE) return true;
  if (exposure === Exposure.NOBODY) return false;
  return (viewer ?? ANONYMOUS).hasRole(Role.RESEARCHER);
}

/** What Mercurius hands the hooks as context: Vigil's context plus the reply. A batched request
 * runs each operation with its own context, made with Object.create from the request's, so they
 * share `reply`; `operationId` says which operation of the batch this is. */
interface HookContext {
  viewer?: Viewer;
  reply?: FastifyReply;
  operationId?: number;
}

/** What one HTTP request has spent, summed over the operations of a batch. */
interface Spent {
  cost: number;
  aliases: number;
}
const spentBy = new WeakMap<object, Spent>();

function spentOf(context: HookContext): Spent {
  const key: object = context.reply ?? context;
  let spent = spentBy.get(key);
  if (!spent) spentBy.set(key, (spent = { cost: 0, aliases: 0 }));
  return spent;
}

/** The operation name the client asked for (GET query string or POST body, or this operation's
 * entry of a batch): Mercurius does not pass it to hooks. */
function operationNameOf(context: HookContext): string | undefined {
  const request = context.reply?.request;
  if (!request) return undefined;
  const sent: unknown = request.method === 'GET' ? request.query : request.body;
  const entry: unknown = Array.isArray(sent) ? sent[context.operationId ?? 0] : sent;
  const name = (entry as { operationName?: unknown } | null | undefined)?.operationName;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function tooManyAliases(measured: number, limit: number, where: string): RequestRefused {
  return new RequestRefused('TOO_MANY_ALIASES', `The ${where} uses ${measured} aliases; the limit is ${limit}`, { limit, measured });
}

/** Mercurius hooks that refuse hostile queries:
 * - preValidation (once per distinct document, before graphql-js validates it, whose
 *   overlapping-fields check is quadratic in the number of fields): depth and aliases;
 * - preExecution (every request, cached documents included): introspection for this viewer, and
 *   aliases and cost summed over the request (each operation of a batch adds to them). */
export function graphqlLimitHooks(options: SecurityOptions) {
  return {
    preValidation: async (_schema: GraphQLSchema, document: DocumentNode): Promise<void> => {
      const shape = shapeOf(document);
      if (shape.depth > options.maxDepth) {
        throw new RequestRefused('QUERY_TOO_DEEP', `The query is ${shape.depth} levels deep; the limit is ${options.maxDepth}`, {
          limit: options.maxDepth,
          measured: shape.depth,
        });
      }
      if (shape.aliases > options.maxAliases) throw tooManyAliases(shape.aliases, options.maxAliases, 'query');
    },

    preExecution: async (
      schema: GraphQLSchema,
      document: DocumentNode,
      context: unknown,
      variables: Record<string, unknown> | undefined,
    ): Promise<void> => {
      const ctx = context as HookContext;
      const shape = shapeOf(document);
      if (shape.introspection && !mayUse(ctx.viewer, options.introspection)) {
        throw new RequestRefused(
          'INTROSPECTION_DISABLED',
          options.introspection === Exposure.NOBODY
            ? 'Introspection is turned off on this server; the schema is published with the source code (schema.gql)'
            : 'Introspection needs a token (Authorization: Bearer <token>); the schema is published with the source code (schema.gql)',
        );
      }
      const spent = spentOf(ctx);
      spent.aliases += shape.aliases;
      if (spent.aliases > options.maxAliases) throw tooManyAliases(spent.aliases, options.maxAliases, 'request');

      let cost: number;
      try {
        cost = queryCost(schema, document, variables, operationNameOf(ctx));
      } catch (error) {
        // graphql-query-complexity gives up on a document with more fields, fragments expanded,
        // than it will walk; anything else (a missing variable) is the caller's to read.
        if (!(error instanceof GraphQLError) || !/maximum allowed number of nodes/.test(error.message)) throw error;
        throw new RequestRefused(
          'QUERY_TOO_COMPLEX',
          `The query has more than ${MAX_COST_NODES} fields once its fragments are expanded; the cost limit is ${options.maxCost}`,
          { limit: options.maxCost },
        );
      }
      spent.cost += cost;
      if (spent.cost > options.maxCost) {
        throw new RequestRefused(
          'QUERY_TOO_COMPLEX',
          `The ${spent.cost === cost ? 'query' : 'request'}'s estimated cost is ${spent.cost}; the limit is ${options.maxCost}. ` +
            'Ask for smaller pages (`first`) or fewer nested lists',
          { limit: options.maxCost, measured: spent.cost },
        );
      }
    },
  };
}
