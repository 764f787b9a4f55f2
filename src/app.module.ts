import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import { DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { enforceSensitiveFields, sensitiveDirective } from './access/graphql-field-access';
import { ANONYMOUS } from './access/viewer';
import { formatGraphQLErrors } from './common/graphql-errors';
import { Loaders } from './common/loaders';
import { VigilContext } from './common/vigil-context';
import { dataSourceOptions } from './database/data-source';
import { HealthController } from './health/health.controller';
import { IncidentsModule } from './incidents/incidents.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { PeopleModule } from './people/people.module';
import { RegionsModule } from './regions/regions.module';
import { ResponsesModule } from './responses/responses.module';
import { SituationsModule } from './situations/situations.module';
import { SourcesModule } from './sources/sources.module';

export interface AppOptions {
  /** PostgreSQL URL; null builds the app without connecting (schema generation). */
  databaseUrl: string | null;
  logLevel: string;
  /** Mercurius's parsed-query cache (default on). jest turns it off: the cache is an ES module that
   * mercurius loads with import(), which jest's CommonJS sandbox cannot do. */
  queryCache?: boolean;
}

@Module({})
export class AppModule {
  static register(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.logLevel,
            // Never log credentials; request bodies (which may hold protected values) are not logged.
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: { ignore: (req) => req.url === '/health' },
          },
        }),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options.databaseUrl ?? 'postgresql://localhost/unused'),
          manualInitialization: options.databaseUrl === null,
        }),
        GraphQLModule.forRootAsync<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          inject: [getDataSourceToken()],
          useFactory: (dataSource: DataSource) => ({
            path: '/graphql',
            autoSchemaFile: true,
            sortSchema: true,
            graphiql: true,
            ...(options.queryCache === false ? { cache: false } : {}),
            buildSchemaOptions: { directives: [sensitiveDirective] },
            transformSchema: enforceSensitiveFields,
            context: (): VigilContext => ({ viewer: ANONYMOUS, loaders: new Loaders(dataSource, ANONYMOUS) }),
            errorFormatter: formatGraphQLErrors,
          }),
        }),
        TerminusModule,
        RegionsModule,
        OrganizationsModule,
        SituationsModule,
        IncidentsModule,
        PeopleModule,
        SourcesModule,
        ResponsesModule,
      ],
      controllers: [HealthController],
    };
  }
}
