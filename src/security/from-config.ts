import type { VigilConfig } from '../config/config';
import { SecurityOptions } from './security-options';

/** TRUST_PROXY as Fastify takes it: a boolean, a number of hops, or a list of addresses/ranges. */
export function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  if (/^[0-9]+$/.test(value)) return Number(value);
  return value.split(',').map((part) => part.trim());
}

/** The running service's protections, from validated configuration. */
export function securityOptionsFromConfig(config: VigilConfig): SecurityOptions {
  return {
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxCost: config.GRAPHQL_MAX_COST,
    maxAliases: config.GRAPHQL_MAX_ALIASES,
    maxBatch: config.GRAPHQL_MAX_BATCH,
    maxTokens: config.GRAPHQL_MAX_TOKENS,
    bodyLimit: config.MAX_BODY_BYTES,
    introspection: config.GRAPHQL_INTROSPECTION,
    suggestions: config.GRAPHQL_SUGGESTIONS,
    graphiql: config.GRAPHIQL,
    corsOrigins: config.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''),
    trustProxy: parseTrustProxy(config.TRUST_PROXY),
    rateLimitWindowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
    rateLimitPerAddress: config.RATE_LIMIT_PER_ADDRESS,
    rateLimitPerToken: config.RATE_LIMIT_PER_TOKEN,
    authFailureLimit: config.AUTH_FAILURE_LIMIT,
    authFailureWindowMs: config.AUTH_FAILURE_WINDOW_SECONDS * 1000,
    limitsStore: config.LIMITS_STORE,
  };
}
