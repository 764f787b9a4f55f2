import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS, Viewer } from '../access/viewer';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../security/database-unavailable';
import { AccountsService } from './accounts.service';

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
 * would otherwise read a partial answer as the whole). */
@Injectable()
export class AuthenticationHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly accounts: AccountsService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization;
      if (header === undefined) {
        request.viewer = ANONYMOUS;
        return;
      }
      let result: Awaited<ReturnType<AccountsService['authenticate']>>;
      try {
        result = await this.accounts.authenticate(header);
      } catch (error) {
        // The token cannot be checked while PostgreSQL is down: a 503 to retry, not a 500.
        if (!isDatabaseUnavailable(error)) throw error;
        return reply
          .code(503)
          .header('Retry-After', '5')
          .send({ data: null, errors: [{ message: DATABASE_UNAVAILABLE_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
      }
      if (result.ok) {
        request.viewer = result.viewer;
        return;
      }
      return reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer realm="vigil", error="invalid_token"')
        .send({ data: null, errors: [{ message: result.reason, extensions: { code: 'UNAUTHENTICATED' } }] });
    });
  }
}
