import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { FastifyRequest } from 'fastify';
import { GraphQLError, GraphQLSchema } from 'graphql';
import { AccessRecorder } from './access/access-recorder';
import { ACCESS_DIRECTIVES, enforceAccess } from './access/graphql-access';
import { AccountsModule } from './accounts/accounts.module';
import { viewerOf } from './accounts/authentication.hook';
import { AuditAction } from './audit/audit-event.entity';
import { AuditModule } from './audit/audit.module';
import { AuditService } from './audit/audit.service';
import { PLAIN_PAGE_TYPES } from './common/connection';
import { Loaders } from './common/loaders';
import { VigilContext } from './common/vigil-context';
import { dataSourceOptions } from './database/data-source';
import { withPropertyFields } from './graphql/property-fields';
import { EditingModule } from './editing/editing.module';
import { ExportsModule } from './exports/exports.module';
import { HealthController } from './health/health.controller';
import { CountSum, IncidentBucket } from './incidents/dto/incident-stats';
import { IncidentsModule } from './incidents/incidents.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { PeopleModule } from './people/people.module';
import { RegionsModule } from './regions/regions.module';
import { ResponsesModule } from './responses/responses.module';
import { createGraphQLErrorFormatter } from './security/graphql-error-policy';
import { graphqlLimitHooks } from './security/graphql-limits';
import { LimitsModule } from './security/limits.module';
import { SecurityOptions, securityOptions } from './security/security-options';
import { SituationsModule } from './situations/situations.module';
import { SourcesModule } from './sources/sources.module';
import { TimelineModule } from './timeline/timeline.module';

export interface AppOptions {
  /** PostgreSQL URL; null builds the app without connecting (schema generation). */
  databaseUrl: string | null;
  logLevel: string;
  /** Mercurius's parsed-query cache (default on). jest turns it off: the cache is an ES module that
   * mercurius loads with import(), which jest's CommonJS sandbox cannot do. */
  queryCache?: boolean;
  /** Where logs go (default stdout); tests capture them to prove no protected value is logged. */
  logDestination?: pino.DestinationStream;
  /** The root logger, when the caller made it already (main.ts logs the database's start with it);
   * then logLevel and logDestination are not used. */
  logger?: pino.Logger;
  /** Limits and HTTP protections (src/security/security-options.ts); what is not given takes its
   * default. The test app raises the rate limits: every test request comes from 127.0.0.1. */
  security?: Partial<SecurityOptions>;
  /** Longest a single SQL statement may run, in milliseconds; 0: no limit. Default 30 s. */
  statementTimeoutMs?: number;
  /** Read replicas of the database, for the exports (DATABASE_REPLICA_URLS). */
  replicaUrls?: string[];
}

@Module({})
export class AppModule {
  static register(options: AppOptions): DynamicModule {
    const security = securityOptions(options.security);
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options.databaseUrl ?? 'postgresql://localhost/unused', {
            statementTimeoutMs: options.statementTimeoutMs ?? 30_000,
            replicaUrls: options.replicaUrls,
          }),
          manualInitialization: options.databaseUrl === null,
        }),
        GraphQLModule.forRootAsync<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          inject: [getDataSourceToken(), AuditService],
          useFactory: (dataSource: DataSource, audit: AuditService) => ({
            path: '/graphql',
            autoSchemaFile: true,
            sortSchema: true,
            // GraphiQL is served by the pages (src/web/web-pages.ts), bundled: mercurius's loads from a CDN.
            graphiql: false,
            // Batches are allowed up to security.maxBatch operations (checked in
            // src/security/http-security.ts); their cost and aliases add up.
            allowBatchedQueries: security.maxBatch > 1,
            graphql: { parseOptions: { maxTokens: security.maxTokens } },
            ...(options.queryCache === false ? { cache: false } : {}),
            jit: 1,
            buildSchemaOptions: { directives: ACCESS_DIRECTIVES },
            // Access first: the property fields are those it left alone (src/graphql/property-fields.ts).
            transformSchema: (schema: GraphQLSchema) =>
              withPropertyFields(enforceAccess(schema), dataSource, [...PLAIN_PAGE_TYPES, IncidentBucket.name, CountSum.name]),
            context: (request: FastifyRequest): VigilContext => {
              const viewer = viewerOf(request);
              return { viewer, loaders: new Loaders(dataSource, viewer), access: new AccessRecorder(), requestId: request?.id ?? null };
            },
            hooks: {
              ...graphqlLimitHooks(security),
              // Protected values go out only once their reading is in the audit log.
              onResolution: async (execution, context) => {
                const ctx = context as unknown as VigilContext;
                try {
                  await audit.recordAccess(ctx.viewer, AuditAction.READ, ctx.access, { requestId: ctx.requestId });
                } catch (error) {
                  new Logger('Audit').error(`Could not write the audit log (${(error as { code?: string }).code ?? 'no code'}); withholding the response`);
                  // This hook runs after the error formatter, so it sets the status itself.
                  (context as { reply?: { code(status: number): unknown } }).reply?.code(503);
                  execution.data = null;
                  execution.errors = [
                    new GraphQLError('The audit log is unavailable, so no protected data can be returned; try again later', {
                      extensions: { code: 'SERVICE_UNAVAILABLE' },
                    }),
                  ];
                }
              },
            },
            errorFormatter: createGraphQLErrorFormatter(security),
          }),
        }),
        TerminusModule,
        LimitsModule.register(security, options.databaseUrl),
        AuditModule,
        EditingModule,
        AccountsModule,
        RegionsModule,
        OrganizationsModule,
        SituationsModule,
        IncidentsModule,
        PeopleModule,
        SourcesModule,
        ResponsesModule,
        TimelineModule,
        ExportsModule,
      ],
      controllers: [HealthController],
    };
  }
}
