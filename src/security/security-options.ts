/** Who may use a GraphQL convenience that helps an attacker map the API (introspection, "Did you
 * mean ...?" suggestions): everyone, callers with a valid token (every account is a RESEARCHER or
 * above), or nobody. */
export enum Exposure {
  EVERYONE = 'everyone',
  RESEARCHERS = 'researchers',
  NOBODY = 'nobody',
}

/** Where the service keeps its counters and export slots (LIMITS_STORE): in PostgreSQL, shared by
 * every instance on the database (the default), or in this process's memory (one instance only:
 * with N instances a client gets N times every limit). */
export enum LimitsStore {
  POSTGRES = 'postgres',
  MEMORY = 'memory',
}

/** The limits and HTTP protections of one running service. Each has an environment variable
 * (src/config/config.ts, README's configuration table); tests pass their own through AppOptions. */
export interface SecurityOptions {
  /** Deepest field nesting in one operation (root fields are at depth 1). */
  maxDepth: number;
  /** Estimated cost of one request (src/security/query-cost.ts), summed over a batch. */
  maxCost: number;
  /** Aliased fields in one request, summed over a batch. */
  maxAliases: number;
  /** Operations in one batched request (a JSON array); 1 turns batching off. */
  maxBatch: number;
  /** Lexical tokens in one query document; parsing stops beyond. */
  maxTokens: number;
  /** Largest request body in bytes. */
  bodyLimit: number;
  introspection: Exposure;
  suggestions: Exposure;
  /** Serve GraphiQL at /graphiql (bundled into the pages' build, web/). */
  graphiql: boolean;
  /** Origins allowed to call the API from a browser; empty: no cross-origin access. */
  corsOrigins: string[];
  /** Fastify's trustProxy: whose X-Forwarded-For to believe for the client address. */
  trustProxy: boolean | number | string[];
  rateLimitWindowMs: number;
  /** Requests per window from one address without a token; 0: unlimited. */
  rateLimitPerAddress: number;
  /** Requests per window with one token; 0: unlimited. */
  rateLimitPerToken: number;
  /** Failed authentications (401) per window from one address; past it, the address's failing
   * attempts are answered 429 (valid tokens are still served); 0: unlimited. */
  authFailureLimit: number;
  authFailureWindowMs: number;
  /** Where the counters of the limits above and the export slots are kept (LIMITS_STORE). */
  limitsStore: LimitsStore;
}

/** Defaults: the docs' examples and the test suite's heaviest legitimate request (50 incidents with
 * six kinds of nested relations, estimated at 28,201) pass with room to spare. */
export const DEFAULT_SECURITY_OPTIONS: Readonly<SecurityOptions> = Object.freeze({
  maxDepth: 10,
  maxCost: 50_000,
  maxAliases: 30,
  maxBatch: 10,
  maxTokens: 5_000,
  bodyLimit: 1024 * 1024,
  introspection: Exposure.EVERYONE,
  suggestions: Exposure.EVERYONE,
  graphiql: true,
  corsOrigins: [],
  trustProxy: false,
  rateLimitWindowMs: 60_000,
  rateLimitPerAddress: 300,
  rateLimitPerToken: 1_200,
  authFailureLimit: 10,
  authFailureWindowMs: 15 * 60_000,
  limitsStore: LimitsStore.POSTGRES,
});

export function securityOptions(overrides: Partial<SecurityOptions> = {}): SecurityOptions {
  return { ...DEFAULT_SECURITY_OPTIONS, ...overrides, corsOrigins: [...(overrides.corsOrigins ?? DEFAULT_SECURITY_OPTIONS.corsOrigins)] };
}
