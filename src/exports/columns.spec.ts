import { AccessLevel } from '../access/access-level';
import { levelOf, readableColumns } from '../access/field-access';
import { Role } from '../access/role';
import { ANONYMOUS, Viewer } from '../access/viewer';
import { CSV_EXPORTS, EXPORT_ONLY_CSV_EXPORTS, GEOJSON_PROPERTIES, INCIDENT_COLUMNS, INCIDENT_JOINS, joinsFor, RESPONSE_JOINS, SOURCE_JOINS } from './columns';

const names = (viewer: Viewer) => readableColumns(viewer, INCIDENT_COLUMNS).map((c) => c.name);

describe('export columns', () => {
  it('have stable snake_case names, unique within each export', () => {
    for (const { file, columns } of [...CSV_EXPORTS, ...EXPORT_ONLY_CSV_EXPORTS]) {
      const header = columns.map((c) => c.name);
      expect({ file, duplicates: header.filter((n, i) => header.indexOf(n) !== i) }).toEqual({ file, duplicates: [] });
      for (const name of header) expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    }
  });

  it('take their level from the @Sensitive declaration of the property they read', () => {
    const protectedColumns = [...CSV_EXPORTS, ...EXPORT_ONLY_CSV_EXPORTS].flatMap(({ file, columns }) =>
      columns.filter((c) => levelOf(c) !== AccessLevel.PUBLIC).map((c) => `${file}:${c.name}:${levelOf(c)}`),
    );
    expect(protectedColumns).toEqual(['incidents.csv:latitude:RESTRICTED', 'incidents.csv:longitude:RESTRICTED', 'incidents.csv:internal_notes:CONFIDENTIAL']);
  });

  it('leave out of the header what the viewer may not read', () => {
    expect(names(ANONYMOUS)).not.toEqual(expect.arrayContaining(['latitude']));
    expect(names(ANONYMOUS).filter((n) => ['latitude', 'longitude', 'internal_notes'].includes(n))).toEqual([]);
    expect(names(new Viewer(Role.RESEARCHER)).filter((n) => ['latitude', 'longitude', 'internal_notes'].includes(n))).toEqual(['latitude', 'longitude']);
    expect(names(new Viewer(Role.EDITOR))).toEqual(INCIDENT_COLUMNS.map((c) => c.name));
  });

  it('keep the GeoJSON properties to public columns (coordinates go in the geometry)', () => {
    expect(GEOJSON_PROPERTIES.every((c) => levelOf(c) === AccessLevel.PUBLIC)).toBe(true);
    expect(GEOJSON_PROPERTIES.map((c) => c.name)).toEqual(names(ANONYMOUS));
  });

  it('join only what the chosen columns read', () => {
    expect(joinsFor(INCIDENT_JOINS, INCIDENT_COLUMNS).map((j) => j.alias)).toEqual(['reg', 'cty', 'sub', 'sit', 'cs', 'rs']);
    // A join that reads another's row (the region's first-level subdivision) brings it along.
    expect(joinsFor(INCIDENT_JOINS, INCIDENT_COLUMNS.filter((c) => c.name === 'subdivision_code')).map((j) => j.alias)).toEqual(['reg', 'sub']);
    expect(joinsFor(INCIDENT_JOINS, INCIDENT_COLUMNS.filter((c) => c.name === 'headline'))).toEqual([]);
    for (const [joins, file] of [[INCIDENT_JOINS, 'incidents.csv'], [RESPONSE_JOINS, 'responses.csv'], [SOURCE_JOINS, 'sources.csv']] as const) {
      const columns = CSV_EXPORTS.find((e) => e.file === file)!.columns;
      expect({ file, unused: joins.filter((j) => !joinsFor(joins, columns).includes(j)).map((j) => j.alias) }).toEqual({ file, unused: [] });
    }
  });
});
