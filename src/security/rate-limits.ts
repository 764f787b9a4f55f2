import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { COUNTER_CAPACITY, LimitStore } from './limit-store';
import { refusalBody, RefusalDetails } from './refusal';
import { SecurityOptions } from './security-options';

/** The client address the limits count against: the connection's, or with TRUST_PROXY the one the
 * trusted proxy reports; an IPv6 address counts by its /64, which one subscriber usually holds. */
export function addressOf(request: FastifyRequest): string {
  return normalizeIP(request.ip);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A refusal by a limit: 429 with Retry-After and a GraphQL-shaped body. */
export interface Limited {
  message: string;
  details: RefusalDetails & { limit: number; retryAfter: number };
}

export function sendLimited(reply: FastifyReply, limited: Limited): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(limited.details.retryAfter))
    .type('application/json; charset=utf-8')
    .send(refusalBody('RATE_LIMITED', limited.message, limited.details));
}

/**
 * The three limits (docs/deploy.md, "Rate limits"), counted in the LimitStore, so that every
 * instance on one database counts together:
 * - requests without a token, per address;
 * - requests with a valid token, per token (an invalid one is a failed authentication instead);
 * - failed authentications, per address. They throttle failing attempts only: once an address has
 *   failed AUTH_FAILURE_LIMIT times in its window, its next failures answer 429 rather than 401,
 *   and a valid token from it is still served (src/accounts/authentication.hook.ts).
 *
 * A key found over its limit is remembered here until its window ends (an exceeded count only
 * grows until then): a flood from one address or token is refused without a database round trip.
 */
export class RequestLimits {
  /** Key -> when its window ends (ms since the epoch), for keys known to be over their limit. */
  private readonly exceeded = new LRUCache<string, number>({ max: COUNTER_CAPACITY });

  constructor(
    private readonly store: LimitStore,
    readonly options: SecurityOptions,
  ) {}

  private remembered(key: string): number | null {
    const until = this.exceeded.get(key);
    if (until === undefined) return null;
    const left = until - Date.now();
    if (left > 0) return left;
    this.exceeded.delete(key);
    return null;
  }

  /** Counts a hit on `key`; null while within `max`, otherwise the time left in its window (ms). */
  private async count(key: string, max: number, windowMs: number): Promise<number | null> {
    const known = this.remembered(key);
    if (known !== null) return known;
    const { hits, resetInMs } = await this.store.hit(key, windowMs);
    if (hits <= max) return null;
    this.exceeded.set(key, Date.now() + resetInMs);
    return resetInMs;
  }

  private limited(what: string, limit: number, windowMs: number, leftMs: number): Limited {
    const retryAfter = Math.max(1, Math.ceil(leftMs / 1000));
    return {
      message: `Too many ${what}: the limit is ${limit} per ${seconds(windowMs)}; try again in ${retryAfter} s`,
      details: { limit, retryAfter },
    };
  }

  /** A request without a token from `address`. */
  async anonymousRequest(address: string): Promise<Limited | null> {
    const { rateLimitPerAddress: limit, rateLimitWindowMs: windowMs } = this.options;
    if (limit === 0) return null;
    const left = await this.count(`address:${address}`, limit, windowMs);
    return left === null ? null : this.limited('requests from this address without a token', limit, windowMs, left);
  }

  /** A request with the token whose hash is `tokenHash` (counted whether or not it proves valid;
   * only a valid token's count is ever consulted). */
  async tokenRequest(tokenHash: string): Promise<Limited | null> {
    const { rateLimitPerToken: limit, rateLimitWindowMs: windowMs } = this.options;
    if (limit === 0) return null;
    const left = await this.count(`token:${tokenHash}`, limit, windowMs);
    return left === null ? null : this.limited('requests with this token', limit, windowMs, left);
  }

  private failuresRefusal(leftMs: number): Limited {
    const { authFailureLimit: limit, authFailureWindowMs: windowMs } = this.options;
    return this.limited('failed authentications from this address', limit, windowMs, leftMs);
  }

  /** When `address` has used up its failed authentications: the refusal its next failure gets.
   * Known to this process only once it has counted one of the failures itself. */
  lockedOut(address: string): Limited | null {
    if (this.options.authFailureLimit === 0) return null;
    const left = this.remembered(`auth:${address}`);
    return left === null ? null : this.failuresRefusal(left);
  }

  /** Counts a failed authentication from `address`: null while it may still be answered 401, the
   * refusal once it is past the limit. The failure that reaches the limit locks the address. */
  async failedAuthentication(address: string): Promise<Limited | null> {
    const { authFailureLimit: limit, authFailureWindowMs: windowMs } = this.options;
    if (limit === 0) return null;
    const key = `auth:${address}`;
    const known = this.remembered(key);
    if (known !== null) return this.failuresRefusal(known);
    const { hits, resetInMs } = await this.store.hit(key, windowMs);
    if (hits >= limit) this.exceeded.set(key, Date.now() + resetInMs);
    return hits > limit ? this.failuresRefusal(resetInMs) : null;
  }
}
