import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS, Viewer } from '../access/viewer';
import { isDatabaseUnavailable, sendDatabaseUnavailable } from '../security/database-unavailable';
import { addressOf, RequestLimits, sendLimited } from '../security/rate-limits';
import { AccountsService } from './accounts.service';
import { TokenDirectory } from './token-directory';
import { bearerToken, hashToken, looksLikeToken } from './tokens';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request; set for every request before any handler runs. */
    viewer?: Viewer;
  }
}

/** The viewer of a request: anonymous without credentials. Anything reading it gets ANONYMOUS if,
 * somehow, authentication did not run: the least access, never more. */
export function viewerOf(request: FastifyRequest | undefined): Viewer {
  return request?.viewer ?? ANONYMOUS;
}

/** Authenticates every HTTP request (GraphQL, exports, health) from `Authorization: Bearer
 * <token>`, before the body is read. A request without the header is anonymous; a request with a
 * bad, expired or revoked token is refused with 401, never downgraded to anonymous (the caller
 * would otherwise read a partial answer as the whole).
 *
 * It also applies the two limits that concern tokens (src/security/rate-limits.ts): a valid
 * token's request rate, and failed authentications per address. Failures throttle failing attempts
 * only: an address past AUTH_FAILURE_LIMIT gets 429 for each further failure, and every valid
 * token it sends is still served. To keep a flood of invented tokens from such an address cheap,
 * a token from it is looked up only if the in-memory list of live token hashes
 * (token-directory.ts) holds it. */
@Injectable()
export class AuthenticationHook implements OnModuleInit {
  private readonly directory: TokenDirectory;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly accounts: AccountsService,
    private readonly limits: RequestLimits,
  ) {
    this.directory = new TokenDirectory(() => this.accounts.liveTokenHashes());
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization;
      if (header === undefined) {
        request.viewer = ANONYMOUS;
        return;
      }
      try {
        return await this.authenticate(request, reply, header);
      } catch (error) {
        // The token cannot be checked while PostgreSQL is down: a 503 to retry, not a 500.
        if (!isDatabaseUnavailable(error)) throw error;
        return sendDatabaseUnavailable(reply);
      }
    });
  }

  private async authenticate(request: FastifyRequest, reply: FastifyReply, header: string): Promise<FastifyReply | undefined> {
    const address = addressOf(request);
    const token = bearerToken(header);
    const hash = token !== null && looksLikeToken(token) ? hashToken(token) : null;
    const lockedOut = this.limits.lockedOut(address);
    if (lockedOut && (hash === null || !(await this.directory.mayBeLive(hash)))) return sendLimited(reply, lockedOut);
    // The token's rate is counted alongside the lookup (no round trip added); only a valid token's
    // count is consulted. /health is never limited.
    const counted = hash !== null && request.routeOptions.url !== HEALTH_PATH ? this.limits.tokenRequest(hash) : Promise.resolve(null);
    counted.catch(() => undefined);
    const result = await this.accounts.authenticate(header);
    if (result.ok) {
      const limited = await counted;
      if (limited) return sendLimited(reply, limited);
      request.viewer = result.viewer;
      return;
    }
    if (hash !== null) this.directory.forget(hash);
    const limited = await this.limits.failedAuthentication(address);
    if (limited) return sendLimited(reply, limited);
    return reply
      .code(401)
      .header('WWW-Authenticate', 'Bearer realm="vigil", error="invalid_token"')
      .send({ data: null, errors: [{ message: result.reason, extensions: { code: 'UNAUTHENTICATED' } }] });
  }
}

const HEALTH_PATH = '/health';
