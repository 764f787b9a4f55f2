import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SENSITIVE_FIELDS } from '../../src/access/sensitive.decorator';
import '../../src/database/entities';

describe('docs/access.md', () => {
  it('lists every protected field with its level', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'access.md'), 'utf8');
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    for (const d of SENSITIVE_FIELDS) {
      const coordinate = `\`${d.target.name}.${d.property}\``;
      const row = rows.find((r) => r.split('|')[1].includes(coordinate));
      expect({ field: coordinate, level: row?.split('|')[2].trim() ?? 'missing' }).toEqual({ field: coordinate, level: d.level });
    }
  });
});
