import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/access/role';
import { startTestApp, TestApp } from './support/test-app';

/** Every GraphQL example in the docs runs, without errors, against the demo data. */
describe('example queries in the docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Each file's examples run as the role its readers have. */
  const files: [string, Role][] = [['README.md', Role.PUBLIC], ['docs/research.md', Role.PUBLIC], ['docs/editing.md', Role.EDITOR], ['docs/access.md', Role.ADMIN]];
  const examples = files.flatMap(([file, role]) =>
    [...readFileSync(join(__dirname, '..', file), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i) => ({ name: `${file} #${i + 1}`, query: m[1], role })),
  );

  it('finds the examples', () => expect(examples.length).toBeGreaterThanOrEqual(6));

  it.each(examples)('$name runs', async ({ query, role }) => {
    const [{ id }] = await t.dataSource.query('SELECT id FROM incident ORDER BY date_start LIMIT 1');
    const { status, body } = await t.gql(query, { id, after: null }, role);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });
});
