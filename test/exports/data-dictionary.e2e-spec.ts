import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SENSITIVE_FIELDS } from '../../src/access/sensitive.decorator';
import { CSV_EXPORTS } from '../../src/exports/columns';
import { buildDataDictionary } from '../../src/scripts/generate-data-dictionary';

describe('docs/data-dictionary.md', () => {
  let generated: string;
  beforeAll(async () => {
    generated = await buildDataDictionary();
  });

  it('is what the code generates (run `npm run docs:generate` after changing a type, a field or an export)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'data-dictionary.md'), 'utf8');
    expect(generated).toBe(committed);
  });

  it('shows every protected field with its level, and every export column', () => {
    for (const d of SENSITIVE_FIELDS) {
      expect(generated).toMatch(new RegExp(`\\| \`${d.property}\` \\| [^|]+ \\| [^|]+ \\| \\*\\*${d.level}\\*\\* \\|`));
    }
    for (const { columns } of CSV_EXPORTS) for (const c of columns) expect(generated).toContain(`| \`${c.name}\` |`);
  });
});
