import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchemaSdl } from '../src/scripts/schema-sdl';

describe('schema.gql', () => {
  it('is what the code generates (run `npm run schema:generate` after changing the API)', async () => {
    const committed = readFileSync(join(__dirname, '..', 'schema.gql'), 'utf8');
    expect(await buildSchemaSdl()).toBe(committed);
  });

  it('shows each protected field\'s level', () => {
    const sdl = readFileSync(join(__dirname, '..', 'schema.gql'), 'utf8');
    expect(sdl).toMatch(/fullName: String @sensitive\(level: RESTRICTED\)/);
    expect(sdl).toMatch(/contact: String @sensitive\(level: CONFIDENTIAL\)/);
    expect(sdl).toMatch(/latitude: Float @sensitive\(level: RESTRICTED\)/);
  });
});
