import { check, getIssues } from '@placemarkio/check-geojson';
import { Role } from '../../src/access/role';
import { Incident } from '../../src/incidents/incident.entity';
import { AccessFixture, buildAccessFixture, SECRET } from '../support/access-fixture';
import { startTestApp, TestApp } from '../support/test-app';
import { csv, download, listIds } from './support';

/** The parts of RFC 7946 the tests read (the validator has checked the rest). */
interface Feature {
  type: 'Feature';
  id?: string | number;
  geometry: { type: string; coordinates: number[] } | null;
  properties: Record<string, unknown> | null;
}
interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

describe('GeoJSON export', () => {
  let t: TestApp;
  let f: AccessFixture;

  beforeAll(async () => {
    t = await startTestApp();
    f = await buildAccessFixture(t.dataSource);
    // A second located incident.
    const [other] = await t.dataSource.query(`SELECT id FROM incident WHERE id <> $1 ORDER BY date_start LIMIT 1`, [f.incidentId]);
    await t.dataSource.getRepository(Incident).update(other.id, { latitude: -33.5, longitude: 151.25 });
    for (const role of [Role.RESEARCHER, Role.EDITOR] as const) await t.tokenFor(role);
  });
  afterAll(() => t.close());

  async function geojson(path: string, as: Role = Role.PUBLIC): Promise<{ collection: FeatureCollection; text: string }> {
    const d = await download(t, path, as);
    expect(d.status).toBe(200);
    expect(d.headers['content-type']).toBe('application/geo+json');
    expect(d.headers['content-disposition']).toBe('attachment; filename="incidents.geojson"');
    // An independent validator of RFC 7946: structure, positions, members.
    expect(getIssues(d.text)).toEqual([]);
    return { collection: check(d.text) as unknown as FeatureCollection, text: d.text };
  }

  it('is a valid RFC 7946 FeatureCollection of the same incidents as the list, in its order', async () => {
    for (const role of [Role.PUBLIC, Role.EDITOR]) {
      const { collection } = await geojson('/exports/incidents.geojson?orderBy=DATE_ASC', role);
      expect(collection.type).toBe('FeatureCollection');
      expect(collection.features.map((x) => x.id)).toEqual(await listIds(t, 'incidents', {}, 'DATE_ASC', role));
    }
    const filtered = await geojson('/exports/incidents.geojson?regions=RU-CE&kinds=ABDUCTION');
    expect(filtered.collection.features.map((x) => x.id)).toEqual(await listIds(t, 'incidents', { regions: ['RU-CE'], kinds: ['ABDUCTION'] }, undefined, Role.PUBLIC));
  });

  it('is valid when empty', async () => {
    const { collection } = await geojson('/exports/incidents.geojson?regions=AQ');
    expect(collection.features).toEqual([]);
  });

  it('gives exact points only to roles that may read the coordinates; the region\'s representative point otherwise', async () => {
    const { collection, text } = await geojson('/exports/incidents.geojson');
    expect(text).not.toContain(String(SECRET.latitude));
    expect(text).not.toContain(String(SECRET.longitude));
    expect(text).not.toContain('151.25');
    const points = new Map<string, { point: { latitude: number; longitude: number; regionCode: string } }>();
    for (const feature of collection.features) {
      const code = feature.properties!.region_code as string;
      if (!points.has(code)) points.set(code, (await t.gql(`query($code: String!) { region(code: $code) { point { latitude longitude regionCode } } }`, { code })).body.data!.region);
      const { point } = points.get(code)!;
      // Every public feature is on the map, at the point the API gives its region (Region.point).
      expect(feature.geometry).toEqual({ type: 'Point', coordinates: [point.longitude, point.latitude] });
      expect(feature.properties!.geo_precision).toBe(point.regionCode.includes('-') ? 'subdivision' : 'country');
    }
    const chechen = collection.features.find((x) => x.properties!.region_code === 'RU-CE')!;
    expect(chechen.properties!.geo_precision).toBe('subdivision');
    // The public cannot tell which incidents have protected coordinates.
    const fixture = collection.features.find((x) => x.id === f.incidentId)!;
    const sameRegion = collection.features.filter((x) => x.properties!.region_code === fixture.properties!.region_code);
    expect(new Set(sameRegion.map((x) => JSON.stringify([x.geometry, x.properties!.geo_precision]))).size).toBe(1);

    for (const role of [Role.RESEARCHER, Role.EDITOR]) {
      const located = (await geojson('/exports/incidents.geojson', role)).collection;
      const feature = located.features.find((x) => x.id === f.incidentId)!;
      // RFC 7946: longitude first.
      expect(feature.geometry).toEqual({ type: 'Point', coordinates: [SECRET.longitude, SECRET.latitude] });
      expect(['exact', 'locality', 'subdivision', 'country']).toContain(feature.properties!.geo_precision);
      expect(located.features.every((x) => x.geometry !== null)).toBe(true);
      expect(located.features.filter((x) => x.properties!.geo_precision !== 'subdivision' && x.properties!.geo_precision !== 'country').length).toBeLessThanOrEqual(2);
    }
  });

  it('carries the public CSV columns as properties, never protected ones', async () => {
    const { header } = await csv(t, '/exports/incidents.csv');
    for (const role of [Role.PUBLIC, Role.EDITOR]) {
      const { collection, text } = await geojson('/exports/incidents.geojson', role);
      const feature = collection.features.find((x) => x.id === f.incidentId)!;
      expect(Object.keys(feature.properties!)).toEqual(header);
      expect(feature.properties).toMatchObject({ id: f.incidentId, source_count: expect.any(Number), date_approximate: expect.any(Boolean) });
      expect(text).not.toContain(SECRET.internalNotes);
    }
  });

  it('records the export of coordinates in the audit log', async () => {
    const since = Number((await t.dataSource.query('SELECT coalesce(max(id), 0) AS id FROM audit_event'))[0].id);
    await geojson('/exports/incidents.geojson');
    expect(await t.dataSource.query(`SELECT id FROM audit_event WHERE id > $1`, [since])).toEqual([]);
    const { collection } = await geojson('/exports/incidents.geojson', Role.RESEARCHER);
    const [entry] = await t.dataSource.query(`SELECT * FROM audit_event WHERE id > $1 AND action = 'EXPORT'`, [since]);
    expect(entry).toMatchObject({
      operation: `GET /exports/incidents.geojson (${collection.features.length} rows)`,
      fields: ['Incident.latitude', 'Incident.longitude'],
      level: 'RESTRICTED',
      subject_count: 2,
    });
    expect(entry.subjects).toContain(`Incident:${f.incidentId}`);
  });

  it('refuses the protected bounding-box filter to the public, and takes it from researchers', async () => {
    const box = 'within.south=43&within.north=44&within.west=45&within.east=46';
    expect((await download(t, `/exports/incidents.geojson?${box}`)).status).toBe(403);
    const { collection } = await geojson(`/exports/incidents.geojson?${box}`, Role.RESEARCHER);
    expect(collection.features.map((x) => x.id)).toEqual([f.incidentId]);
    expect((await download(t, '/exports/incidents.geojson?bom=true')).status).toBe(400);
  });
});
