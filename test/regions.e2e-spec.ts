import { csv } from './exports/support';
import { startTestApp, TestApp } from './support/test-app';

/** Region names in the languages Vigil supports, from the data packages (src/regions/region-names.ts). */
describe('region names', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const found = async (search: string) => {
    const { body } = await t.gql(`query($search: String) { regions(search: $search, first: 20) { edges { node { code } } } }`, { search });
    expect(body.errors).toBeUndefined();
    return body.data!.regions.edges.map((e: any) => e.node.code);
  };

  it('finds a region by its common name in each supported language, and by its official names', async () => {
    expect(await found('Chechnya')).toEqual(['RU-CE']);
    expect(await found('Чечня')).toEqual(['RU-CE']);
    expect(await found('Tchétchénie')).toEqual(['RU-CE']);
    expect(await found('Chechenia')).toEqual(['RU-CE']);
    expect(await found('الشيشان')).toContain('RU-CE');
    expect(await found('Russian Federation')).toEqual(['RU']);
    expect(await found('Chechenskaya')).toEqual(['RU-CE']);
  });

  it('gives every region a display name in each language, the English common name by default', async () => {
    const { body } = await t.gql(`{ ce: region(code: "ru-ce") { name isoName names { language name } }
      regions(first: 100, kind: COUNTRY) { edges { node { code name names { language name } } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data!.ce).toEqual({
      name: 'Chechnya',
      isoName: 'Chechenskaya Respublika',
      names: [
        { language: 'en', name: 'Chechnya' },
        { language: 'ru', name: 'Чечня' },
        { language: 'fr', name: 'Tchétchénie' },
        { language: 'es', name: 'Chechenia' },
        { language: 'ar', name: 'الشيشان' },
      ],
    });
    for (const { node } of body.data!.regions.edges) {
      expect(node.names.map((n: any) => n.language)).toEqual(['en', 'ru', 'fr', 'es', 'ar']);
      for (const n of node.names) expect(n.name).toMatch(/\S/);
      expect(node.name).toBe(node.names[0].name);
    }
  });

  it('takes region codes in any case and region names wherever a filter takes regions', async () => {
    const count = async (regions: string[]) => {
      const { body } = await t.gql(`query($regions: [String!]) { incidents(filter: { regions: $regions }) { totalCount } }`, { regions });
      expect(body.errors).toBeUndefined();
      return body.data!.incidents.totalCount as number;
    };
    const chechnya = await count(['RU-CE']);
    expect(chechnya).toBeGreaterThan(0);
    expect(await count(['ru-ce'])).toBe(chechnya);
    expect(await count(['Chechnya'])).toBe(chechnya);
    expect(await count(['чечня'])).toBe(chechnya);
    const exported = await csv(t, '/exports/incidents.csv?regions=Chechnya');
    expect(exported.rows).toHaveLength(chechnya);
  });

  it('refuses a name that is unknown, naming it', async () => {
    const { body } = await t.gql(`{ incidents(filter: { regions: ["Atlantis"] }) { totalCount } }`);
    // Named by its place in the list: an error never echoes free text.
    expect(body.errors![0]).toMatchObject({ message: expect.stringContaining('filter.regions: unknown region code item 1'), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('gives every region a representative point, its own where the data has one', async () => {
    const { body } = await t.gql(`{ ce: region(code: "RU-CE") { point { latitude longitude regionCode } } gb: region(code: "GB") { point { regionCode } } }`);
    expect(body.errors).toBeUndefined();
    const { latitude, longitude, regionCode } = body.data!.ce.point;
    expect(regionCode).toBe('RU-CE');
    // Chechnya lies around 43°N 45.7°E.
    expect(latitude).toBeGreaterThan(42.5);
    expect(latitude).toBeLessThan(44);
    expect(longitude).toBeGreaterThan(44.8);
    expect(longitude).toBeLessThan(46.7);
    expect(body.data!.gb.point.regionCode).toBe('GB');
    const [{ missing }] = await t.dataSource.query(`SELECT count(*)::int AS missing FROM region WHERE latitude IS NULL`);
    expect(missing).toBe(0);
  });
});
