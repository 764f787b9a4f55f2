import { getMetadataStorage } from 'class-validator';
import { levelOf } from '../access/field-access';
import { AccessLevel } from '../access/access-level';
import { CountInput, DateInput } from '../common/write-inputs';
import { CSV_EXPORTS } from '../exports/columns';
import { neutraliseFormula } from '../exports/formula';
import { columnRoles, IMPORT_FORMATS, recogniseHeader } from './import-formats';
import { HeaderColumn, ProblemColumns, rowValues } from './row-input';

const validated = (type: Function) => new Set(getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).map((m) => m.propertyName));

describe('import formats', () => {
  it('reads every CSV export, and gives each of its columns a role', () => {
    expect(IMPORT_FORMATS.map((f) => f.file).sort()).toEqual(CSV_EXPORTS.map((e) => e.file).sort());
    for (const format of IMPORT_FORMATS) {
      expect(format.columns).toBe(CSV_EXPORTS.find((e) => e.file === format.file)!.columns);
      expect([...columnRoles(format).keys()]).toEqual(format.columns.map((c) => c.name));
    }
  });

  it('maps each stored column to a field the API input validates', () => {
    for (const format of IMPORT_FORMATS) {
      const properties = validated(format.input);
      for (const [name, { role }] of columnRoles(format)) {
        if (role.role !== 'field') continue;
        expect({ name, known: properties.has(role.path[0]) }).toEqual({ name, known: true });
        if (role.path.length === 2) {
          const parts = new Set([...validated(DateInput), ...validated(CountInput)]);
          expect({ name, known: parts.has(role.path[1]) }).toEqual({ name, known: true });
        }
      }
      for (const name of [...format.required, ...format.derived, ...format.keptWhenEmpty]) {
        expect(format.columns.map((c) => c.name)).toContain(name);
      }
    }
  });

  it('lists what each export column does on import (a diff here changes docs/import.md)', () => {
    const summary = Object.fromEntries(
      IMPORT_FORMATS.map((format) => [
        format.file,
        [...columnRoles(format)].map(([name, { role }]) =>
          role.role === 'field' ? `${name} -> ${role.path.join('.')}` : role.role === 'link' ? `${name} -> ${role.property}` : `${name}: ${role.role}`,
        ),
      ]),
    );
    expect(summary['incidents.csv']).toEqual(
      expect.arrayContaining(['id: id', 'date_start -> date.start', 'date_edtf: derived', 'victims_at_least -> victims.atLeast', 'region_name: derived', 'created_at: timestamp']),
    );
    expect(summary['responses.csv']).toEqual(expect.arrayContaining(['incident_ids -> incidentIds', 'organizer_names -> organizers']));
    expect(summary['sources.csv']).toEqual(expect.arrayContaining(['published_start -> published.start', 'citation_count: derived']));
    expect(summary['citations.csv']).toEqual(expect.arrayContaining(['source_id -> sourceId', 'incident_id -> incidentId']));
  });

  it('recognises a file by its header, whole or as a viewer with less access gets it', () => {
    for (const format of IMPORT_FORMATS) {
      const names = format.columns.map((c) => c.name);
      expect(recogniseHeader(names)).toBe(format);
      const publicNames = format.columns.filter((c) => levelOf(c) === AccessLevel.PUBLIC).map((c) => c.name);
      expect(recogniseHeader(publicNames)).toBe(format);
    }
    expect(recogniseHeader(['name', 'email'])).toBeNull();
    expect(recogniseHeader(['id', 'kind'])).toBeNull();
  });
});

describe('rows', () => {
  const incidents = IMPORT_FORMATS.find((f) => f.kind === 'incidents')!;
  const roles = columnRoles(incidents);
  const header = (...names: string[]): HeaderColumn[] =>
    names.map((name) => ({ name, ...roles.get(name)!, emptyLeavesOut: ['confidentiality', 'situation_id'].includes(name) }));

  it('reads cells as the input takes them: formulas restored, empty cells null, quoted empty text kept', () => {
    const columns = header('id', 'headline', 'description', 'locality', 'latitude', 'victims_at_least', 'date_open_end', 'date_end', 'confidentiality', 'situation_id', 'source_count');
    const row = rowValues(columns, [
      '6F1C1B0E-9A8B-4C2D-8E7F-0A1B2C3D4E5F',
      neutraliseFormula('=HYPERLINK("x")'),
      '',
      null,
      '43.317123',
      '12',
      'true',
      null,
      null,
      null,
      '7',
    ]);
    expect(row.problems).toEqual([]);
    expect(row.id).toBe('6f1c1b0e-9a8b-4c2d-8e7f-0a1b2c3d4e5f');
    expect(row.input).toEqual({
      headline: '=HYPERLINK("x")',
      description: '',
      locality: null,
      latitude: 43.317123,
      victims: { atLeast: 12 },
      date: { openEnd: true, end: null },
    });
  });

  it('says once what a cell of the wrong form should be, and passes it on as text for the rules of its group', () => {
    const row = rowValues(header('id', 'latitude', 'victims_best', 'date_approximate', 'created_at'), ['nope', 'north', '1.5', 'maybe', 'yesterday']);
    expect(row.input).toEqual({ latitude: 'north', victims: { best: '1.5' }, date: { approximate: 'maybe' } });
    expect(row.problems).toEqual([
      { column: 'id', message: 'must be an id (UUID)' },
      { column: 'latitude', message: 'must be a number written with a point (e.g. 43.317123)' },
      { column: 'victims_best', message: 'must be a whole number (e.g. 2), not words or a range: put ranges in victims_at_least and victims_at_most' },
      { column: 'date_approximate', message: 'must be true or false' },
      { column: 'created_at', message: expect.stringMatching(/^must be a time in ISO 8601/) },
    ]);
  });

  it('names the column of a problem path', () => {
    const responses = IMPORT_FORMATS.find((f) => f.kind === 'responses')!;
    const map = new ProblemColumns(responses);
    expect(map.problem('date.start', 'is required')).toEqual({ column: 'date_start', message: 'is required' });
    expect(map.problem('signatures.atLeast', 'must not be less than 0')).toEqual({ column: 'signatures_at_least', message: 'must not be less than 0' });
    expect(map.problem('date', 'is required')).toEqual({ column: 'date_start', message: 'is required' });
    expect(map.problem('incidentIds[2]', 'no Incident with this id')).toEqual({ column: 'incident_ids', message: 'item 3: no Incident with this id' });
    expect(map.problem('organizers[0].organizationId', 'no Organization')).toEqual({ column: 'organizer_names', message: 'item 1: no Organization' });
    // Messages name columns rather than input properties.
    expect(map.problem('signatures.best', 'is below atLeast (5)')).toEqual({ column: 'signatures_best', message: 'is below signatures_at_least (5)' });
    const citations = new ProblemColumns(IMPORT_FORMATS.find((f) => f.kind === 'citations')!);
    expect(citations.problem('incidentId', 'give exactly one of incidentId, situationId, responseId')).toEqual({
      column: 'incident_id',
      message: 'give exactly one of incident_id, situation_id, response_id',
    });
  });
});
