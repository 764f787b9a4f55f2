import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from './support/test-app';

/** Every GraphQL example in the docs runs, without errors, against the demo data. */
describe('example queries in the docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const files = ['README.md', 'docs/research.md'];
  const examples = files.flatMap((file) =>
    [...readFileSync(join(__dirname, '..', file), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i) => ({ name: `${file} #${i + 1}`, query: m[1] })),
  );

  it('finds the examples', () => expect(examples.length).toBeGreaterThanOrEqual(6));

  it.each(examples)('$name runs', async ({ query }) => {
    const [{ id }] = await t.dataSource.query('SELECT id FROM incident ORDER BY date_start LIMIT 1');
    const { status, body } = await t.gql(query, { id, after: null });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });
});
