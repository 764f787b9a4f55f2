import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { createApp } from '../app.factory';

/** The GraphQL schema as built from the code, printed with its directives (`@sensitive`), the
 * content of the committed schema.gql. Builds the app without connecting to a database. */
export async function buildSchemaSdl(): Promise<string> {
  const app = await createApp({ databaseUrl: null, logLevel: 'silent', queryCache: false });
  try {
    const { schema } = app.get(GraphQLSchemaHost);
    return `# Generated from the code by \`npm run schema:generate\`; a test fails when it is stale.\n\n${printSchemaWithDirectives(schema)}\n`;
  } finally {
    await app.close();
  }
}
