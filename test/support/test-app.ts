import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { createTestDatabase } from './test-database';

export interface GraphQLBody<T = Record<string, any>> {
  data: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  /** POSTs a GraphQL request through the real HTTP stack; returns status and body. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GraphQLBody<T> }>;
  close(): Promise<void>;
}

/** The real application on its own copy of a migrated database (with the demo data by default). */
export async function startTestApp(options: { demo?: boolean } = {}): Promise<TestApp> {
  const database = await createTestDatabase({ demoData: options.demo !== false });
  const app = await createApp({ databaseUrl: database.url, logLevel: 'silent', queryCache: false });
  const server = app.getHttpServer();
  return {
    app,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    http: () => request(server),
    async gql(query, variables) {
      const res = await request(server).post('/graphql').send({ query, variables });
      return { status: res.status, body: res.body };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
