import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { cursorKey } from './common/cursor';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AppModule, AppOptions } from './app.module';
import { VigilExceptionFilter } from './common/exception.filter';
import { VigilValidationPipe } from './common/validation.pipe';
import { registerGraphQLOverHttp } from './graphql/over-http';
import { createRootLogger, PinoNestLogger, registerRequestLogging } from './logging/logging';
import { GRAPHQL_PATH, registerHttpSecurity } from './security/http-security';
import { RequestLimits } from './security/rate-limits';
import { securityOptions } from './security/security-options';
import { registerWebPages } from './web/web-pages';

/** Builds the Nest application on Fastify, ready to listen or to be called by tests. */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const security = securityOptions(options.security);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(options),
    new FastifyAdapter({ bodyLimit: security.bodyLimit, trustProxy: security.trustProxy }),
    { bufferLogs: true },
  );
  const logger = options.logger ?? createRootLogger(options.logLevel, options.logDestination);
  app.useLogger(new PinoNestLogger(logger));
  // Logs written while the app was built were buffered (bufferLogs); write them, and stop buffering.
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  registerRequestLogging(fastify, logger);
  // Before init: its hooks then run before authentication (added during init), so a flood is
  // refused before it costs a token lookup.
  // @nestjs/platform-fastify brings its own copy of fastify; the plugins are typed against the
  // top-level one. Both are fastify 5, the same at run time.
  await registerHttpSecurity(fastify, security, app.get(RequestLimits));
  registerGraphQLOverHttp(fastify, GRAPHQL_PATH);
  await registerWebPages(fastify, { graphiql: security.graphiql });
  app.useGlobalPipes(new VigilValidationPipe(app.get(getDataSourceToken())));
  app.useGlobalFilters(new VigilExceptionFilter());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  // The key that seals list cursors, read (or made) now rather than by the first request; a
  // failure is retried by the first list that needs it.
  if (options.databaseUrl !== null) await cursorKey(app.get<DataSource>(getDataSourceToken())).catch(() => undefined);
  return app;
}
