import { Role } from '../../src/access/role';
import { AccessFixture, buildAccessFixture, SECRET } from '../support/access-fixture';
import { startTestApp, TestApp } from '../support/test-app';
import { csv } from './support';

/** ACLED's column names, in the order of its Codebook's core fields that Vigil can fill (plus iso
 * and the id). pandas is not installed here and PyPI is unreachable, so instead of loading the file
 * with pandas this test parses it with csv-parse and checks ACLED's exact names and codes. */
const ACLED_HEADER = [
  'event_id_cnty', 'event_date', 'year', 'time_precision', 'event_type', 'sub_event_type', 'country', 'iso', 'admin1',
  'location', 'latitude', 'longitude', 'geo_precision', 'source', 'notes', 'fatalities',
];
/** ACLED's event types and sub-event types (ACLED Codebook). */
const ACLED_TYPES: Record<string, string[]> = {
  Battles: ['Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'],
  'Explosions/Remote violence': ['Chemical weapon', 'Air/drone strike', 'Suicide bomb', 'Shelling/artillery/missile attack', 'Remote explosive/landmine/IED', 'Grenade'],
  'Violence against civilians': ['Sexual violence', 'Attack', 'Abduction/forced disappearance'],
  Protests: ['Peaceful protest', 'Protest with intervention', 'Excessive force against protesters'],
  Riots: ['Violent demonstration', 'Mob violence'],
  'Strategic developments': ['Agreement', 'Arrests', 'Change to group/activity', 'Disrupted weapons use', 'Headquarters or base established', 'Looting/property destruction', 'Non-violent transfer of territory', 'Other'],
};

describe('ACLED-shaped export', () => {
  let t: TestApp;
  let f: AccessFixture;
  beforeAll(async () => {
    t = await startTestApp();
    f = await buildAccessFixture(t.dataSource);
    await t.tokenFor(Role.RESEARCHER);
  });
  afterAll(() => t.close());

  it('has ACLED\'s column names and codes', async () => {
    for (const role of [Role.PUBLIC, Role.RESEARCHER]) {
      const { header, rows } = await csv(t, '/exports/acled.csv', role);
      expect(header).toEqual(ACLED_HEADER);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.event_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(row.year).toBe(row.event_date.slice(0, 4));
        expect(['1', '2', '3']).toContain(row.time_precision);
        expect(['1', '2', '3']).toContain(row.geo_precision);
        expect(ACLED_TYPES[row.event_type]).toContain(row.sub_event_type);
        expect(row.fatalities).toMatch(/^\d+$/);
        expect(Number(row.latitude)).toBeGreaterThanOrEqual(-90);
        expect(Number(row.longitude)).toBeLessThanOrEqual(180);
        expect(row.country).toMatch(/\S/);
        expect(row.notes).toMatch(/\S/);
      }
    }
  });

  it('maps the demo\'s Chechnya abductions as ACLED would code them', async () => {
    const { rows } = await csv(t, '/exports/acled.csv?regions=Chechnya&kinds=ABDUCTION');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatchObject({ event_type: 'Violence against civilians', sub_event_type: 'Abduction/forced disappearance', country: 'Russia', iso: 'RU', admin1: 'Chechnya', geo_precision: '3' });
      expect(row.source).toMatch(/\S/);
    }
    // Month precision: "April 2017" is ACLED's time_precision 3.
    expect(rows.some((r) => r.event_date.startsWith('2017-04') && r.time_precision === '3')).toBe(true);
  });

  it('gives coordinates at the viewer\'s precision: the region\'s point for the public, exact ones for researchers', async () => {
    const pub = await csv(t, '/exports/acled.csv');
    for (const secret of [String(SECRET.latitude), String(SECRET.longitude)]) expect(pub.text).not.toContain(secret);
    const { body } = await t.gql(`{ region(code: "RU-CE") { point { latitude longitude } } }`);
    const fixture = pub.rows.find((r) => r.event_id_cnty === f.incidentId)!;
    expect([Number(fixture.latitude), Number(fixture.longitude)]).toEqual([body.data!.region.point.latitude, body.data!.region.point.longitude]);
    const researcher = (await csv(t, '/exports/acled.csv', Role.RESEARCHER)).rows.find((r) => r.event_id_cnty === f.incidentId)!;
    expect([Number(researcher.latitude), Number(researcher.longitude)]).toEqual([SECRET.latitude, SECRET.longitude]);
    // The public rows of that region carry nothing that singles out the located incident.
    const sameRegion = pub.rows.filter((r) => r.admin1 === fixture.admin1 && r.location === fixture.location);
    expect(new Set(sameRegion.map((r) => `${r.latitude},${r.longitude},${r.geo_precision}`)).size).toBe(1);
  });

  it('audits the exact coordinates it writes', async () => {
    const since = Number((await t.dataSource.query('SELECT coalesce(max(id), 0) AS id FROM audit_event'))[0].id);
    await csv(t, '/exports/acled.csv');
    expect(await t.dataSource.query(`SELECT id FROM audit_event WHERE id > $1`, [since])).toEqual([]);
    await csv(t, '/exports/acled.csv', Role.RESEARCHER);
    const [entry] = await t.dataSource.query(`SELECT * FROM audit_event WHERE id > $1 AND action = 'EXPORT'`, [since]);
    expect(entry).toMatchObject({ fields: ['Incident.latitude', 'Incident.longitude'], level: 'RESTRICTED' });
    expect(entry.subjects).toContain(`Incident:${f.incidentId}`);
  });
});
