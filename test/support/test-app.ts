import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AccountRole, Role } from '../../src/access/role';
import { Viewer } from '../../src/access/viewer';
import { AccountsService } from '../../src/accounts/accounts.service';
import { createApp } from '../../src/app.factory';
import { SecurityOptions } from '../../src/security/security-options';
import { createTestDatabase } from './test-database';

export interface GraphQLBody<T = Record<string, any>> {
  data: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** Who sends a request: a role (a test account of that role is created on first use) or a token. */
export type As = Role | { token: string };

export interface TestApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  /** POSTs a GraphQL request through the real HTTP stack; returns status and body. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: As,
  ): Promise<{ status: number; body: GraphQLBody<T> }>;
  /** A bearer token of a test account with `role` (created once per app). */
  tokenFor(role: Exclude<Role, Role.PUBLIC>): Promise<string>;
  /** The account behind tokenFor(role). */
  accountIdFor(role: Exclude<Role, Role.PUBLIC>): Promise<string>;
  /** Everything the service logged so far (when started with captureLogs). */
  logs(): string;
  close(): Promise<void>;
}

export const TEST_OPERATOR = new Viewer(Role.ADMIN, null, 'test setup');

/** The real application on its own copy of a migrated database (with the demo data by default). */
export async function startTestApp(
  options: { demo?: boolean; captureLogs?: boolean; security?: Partial<SecurityOptions> } = {},
): Promise<TestApp> {
  const database = await createTestDatabase({ demoData: options.demo !== false });
  const logLines: string[] = [];
  const app = await createApp({
    databaseUrl: database.url,
    logLevel: options.captureLogs ? 'trace' : 'silent',
    queryCache: false,
    // Every test request comes from 127.0.0.1, and some tests send bad tokens on purpose: the
    // rate limits are tested on their own (test/hardening) with low values.
    security: { rateLimitPerAddress: 0, rateLimitPerToken: 0, authFailureLimit: 0, ...options.security },
    ...(options.captureLogs ? { logDestination: { write: (line: string) => void logLines.push(line) } } : {}),
  });
  const server = app.getHttpServer();
  const accounts = app.get(AccountsService);
  const made = new Map<Role, Promise<{ token: string; accountId: string }>>();
  const credentials = (role: Exclude<Role, Role.PUBLIC>) => {
    if (!made.has(role)) {
      made.set(
        role,
        (async () => {
          const account = await accounts.createAccount(
            TEST_OPERATOR,
            { email: `${role.toLowerCase()}@test.vigil`, role: AccountRole[role] },
            'test setup',
          );
          const { token } = await accounts.createToken(TEST_OPERATOR, { accountId: account.id, name: 'test' }, 'test setup');
          return { token, accountId: account.id };
        })(),
      );
    }
    return made.get(role)!;
  };
  const t: TestApp = {
    app,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    // Like any API client, not a browser form: with the CSRF check's preflight header, so a GET
    // /graphql is accepted (test/hardening tests the refusal without it).
    http: () => request.agent(server).set('apollo-require-preflight', 'true'),
    async gql(query, variables, as = Role.PUBLIC) {
      const token = typeof as === 'object' ? as.token : as === Role.PUBLIC ? null : (await credentials(as)).token;
      const req = request(server).post('/graphql');
      if (token) req.set('Authorization', `Bearer ${token}`);
      const res = await req.send({ query, variables });
      return { status: res.status, body: res.body };
    },
    tokenFor: async (role) => (await credentials(role)).token,
    accountIdFor: async (role) => (await credentials(role)).accountId,
    logs: () => logLines.join(''),
    async close() {
      await app.close();
      await database.drop();
    },
  };
  return t;
}

export const ROLES: readonly Role[] = [Role.PUBLIC, Role.RESEARCHER, Role.EDITOR, Role.ADMIN];
export { Role };
