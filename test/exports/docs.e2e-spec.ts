import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../../src/access/role';
import { startTestApp, TestApp } from '../support/test-app';
import { download, readCsv } from './support';

const read = (file: string) => readFileSync(join(__dirname, '..', '..', file), 'utf8');

/** Every export command and GraphQL example in docs/exports.md and the README's Exports section
 * runs against the demo data. */
describe('the exports documentation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const readme = read('README.md');
  const texts = [read('docs/exports.md'), readme.slice(readme.indexOf('## Exports'), readme.indexOf('## ', readme.indexOf('## Exports') + 3))];
  const commands = texts.flatMap((text) =>
    [...text.matchAll(/curl [^\n]*?['"]http:\/\/localhost:3000(\/exports\/[^'"\s]+)['"]/g)].map((m) => ({
      path: m[1],
      role: m[0].includes('$TOKEN') ? Role.RESEARCHER : Role.PUBLIC,
    })),
  );
  const queries = [...read('docs/exports.md').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('finds the commands and queries', () => {
    expect(commands.length).toBeGreaterThanOrEqual(8);
    expect(queries.length).toBeGreaterThanOrEqual(1);
  });

  it.each(commands)('$path as $role answers 200 with a readable file', async ({ path, role }) => {
    const d = await download(t, path, role);
    expect(d.status).toBe(200);
    if (path.includes('.csv')) expect(readCsv(d.text).header[0]).toBe('id');
    else JSON.parse(d.text);
  });

  it.each(queries)('GraphQL example %# runs', async (query) => {
    const { status, body } = await t.gql(query);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });

  it('lists every export route it documents in the data dictionary too', () => {
    const dictionary = read('docs/data-dictionary.md');
    for (const file of ['incidents.csv', 'responses.csv', 'sources.csv', 'citations.csv', 'incidents.geojson', 'timeline.json']) {
      expect(dictionary).toContain(`### ${file}`);
      expect(read('docs/exports.md')).toContain(`/exports/${file}`);
    }
  });
});
