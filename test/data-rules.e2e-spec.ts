import { startTestApp, TestApp } from './support/test-app';

/** The database itself refuses impossible dates and counts, whoever writes (imports, COPY, SQL). */
describe('database rules for dates and counts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ demo: false });
  });
  afterAll(() => t.close());

  const insert = (columns: Record<string, unknown>) => {
    const all = { kind: 'OTHER', headline: 'x', region_code: 'RU', date_start: '2017-04-01', date_precision: 'MONTH', ...columns };
    const names = Object.keys(all);
    return t.dataSource.query(
      `INSERT INTO incident (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      Object.values(all),
    );
  };

  it('accepts a well-formed record', async () => {
    await expect(insert({ victims_at_least: 40, victims_best: 40, victims_at_most: 40 })).resolves.toBeDefined();
  });

  it.each([
    [{ date_start: '2017-04-15' }, 'incident_date_rules'], // month precision must start on the 1st
    [{ date_start: '2017-04-01', date_precision: 'YEAR' }, 'incident_date_rules'],
    [{ date_end: '2017-03-01' }, 'incident_date_rules'],
    [{ date_end: '2017-06-01', date_open_end: true }, 'incident_date_rules'],
    [{ victims_at_least: -1 }, 'incident_victims_rules'],
    [{ victims_at_least: 100, victims_at_most: 50 }, 'incident_victims_rules'],
    [{ deaths_best: 5, deaths_at_most: 2 }, 'incident_deaths_rules'],
  ])('refuses %p', async (columns, constraint) => {
    await expect(insert(columns)).rejects.toThrow(new RegExp(constraint));
  });
});
