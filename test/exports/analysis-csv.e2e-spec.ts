import { Role } from '../../src/access/role';
import { generateData } from '../../src/generate/generator';
import { Situation } from '../../src/situations/situation.entity';
import { startTestApp, TestApp } from '../support/test-app';
import { csv, download, readCsv } from './support';

const SPLIT = ' | ';
const list = (cell: string | undefined) => (cell ? cell.split(SPLIT) : []);

/** The analysis-ready columns and files of the CSV exports (issue 16), on generated data. */
describe('analysis-ready CSV', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ demo: false });
    await generateData(t.dataSource, { incidents: 400, seed: 11 });
    await t.tokenFor(Role.EDITOR);
  });
  afterAll(() => t.close());

  const STATS = `query($groupBy: [IncidentDimension!]!) { incidentStats(groupBy: $groupBy) { year month incidents } }`;

  it('writes year and month by the incidentStats rule, so per-year and per-month counts agree', async () => {
    for (const role of [Role.PUBLIC, Role.EDITOR]) {
      const { rows } = await csv(t, '/exports/incidents.csv', role);
      const tally = (key: string) => {
        const out: Record<string, number> = {};
        for (const row of rows) out[row[key] || 'none'] = (out[row[key] || 'none'] ?? 0) + 1;
        return out;
      };
      for (const [dimension, key] of [['YEAR', 'year'], ['MONTH', 'month']] as const) {
        const { body } = await t.gql<any>(STATS, { groupBy: [dimension] }, role);
        expect(body.errors).toBeUndefined();
        const stats: Record<string, number> = {};
        for (const b of body.data.incidentStats) stats[b[key] === null ? 'none' : String(b[key])] = b.incidents;
        expect(tally(key)).toEqual(stats);
      }
      // The rule matters on this data: some spans cross a year, so the year of date_start alone disagrees.
      expect(rows.some((r) => r.year === '')).toBe(true);
      for (const row of rows) {
        if (row.year) expect(row.date_start.slice(0, 4)).toBe(row.year);
        expect(['day', 'month', 'year', 'longer']).toContain(row.time_precision);
        expect(row.time_precision === 'longer').toBe(row.year === '');
      }
    }
  });

  it('names the country and the first-level subdivision of every row', async () => {
    const { rows } = await csv(t, '/exports/incidents.csv');
    const paths = new Map<string, string[]>((await t.dataSource.query(`SELECT code, path FROM region`)).map((r: { code: string; path: string[] }) => [r.code, r.path]));
    for (const row of rows) {
      expect(row.country_code).toBe(row.region_code.slice(0, 2));
      expect(row.country_name).toMatch(/\S/);
      if (row.region_code.includes('-')) {
        // The first-level subdivision: the region itself, or the one it lies in (GB-LND is in GB-ENG).
        expect(row.subdivision_code).toBe(paths.get(row.region_code)![1]);
        expect(row.subdivision_name).toMatch(/\S/);
      } else expect(row.subdivision_code).toBe('');
      expect(['subdivision', 'country']).toContain(row.geo_precision);
    }
  });

  it('joins the publishers of the sources the viewer may see, never a hidden source\'s', async () => {
    for (const role of [Role.PUBLIC, Role.EDITOR]) {
      const [incidents, sources, citations] = await Promise.all(['incidents', 'sources', 'citations'].map((f) => csv(t, `/exports/${f}.csv`, role)));
      const publisher = new Map(sources.rows.map((s) => [s.id, s.publisher.trim()]));
      const expected = new Map<string, Set<string>>();
      for (const c of citations.rows) if (c.incident_id) (expected.get(c.incident_id) ?? expected.set(c.incident_id, new Set()).get(c.incident_id)!).add(publisher.get(c.source_id)!);
      for (const row of incidents.rows) {
        // Formula quoting (a leading quote) is undone as an import would.
        const shown = list(row.source_publishers).map((p) => p.replace(/^'(?=[=+\-@\t\r])/, ''));
        expect(shown.sort()).toEqual([...(expected.get(row.id) ?? [])].map((p) => p.replace(/^'(?=[=+\-@\t\r])/, '')).sort());
      }
    }
    // Generated data holds hidden sources: the public sees fewer publishers than an editor.
    const pub = await csv(t, '/exports/incidents.csv');
    const ed = await csv(t, '/exports/incidents.csv', Role.EDITOR);
    const count = (rows: Record<string, string>[]) => rows.reduce((n, r) => n + list(r.source_publishers).length, 0);
    expect(count(pub.rows)).toBeLessThan(count(ed.rows));
  });

  it('resolves every id of every export within the exports', async () => {
    for (const role of [Role.PUBLIC, Role.EDITOR]) {
      const files = ['incidents', 'responses', 'sources', 'citations', 'situations', 'organizations'];
      // One after another: a caller may run three exports at once.
      const downloaded: Awaited<ReturnType<typeof csv>>[] = [];
      for (const f of files) downloaded.push(await csv(t, `/exports/${f}.csv`, role));
      const [incidents, responses, sources, citations, situations, organizations] = downloaded;
      const ids = (c: { rows: Record<string, string>[] }) => new Set(c.rows.map((r) => r.id));
      const [incidentIds, responseIds, sourceIds, situationIds, organizationIds] = [incidents, responses, sources, situations, organizations].map(ids);
      const organizationNames = new Set(organizations.rows.map((o) => o.name));
      expect(situationIds.size).toBeGreaterThan(0);
      expect(organizationIds.size).toBeGreaterThan(0);
      const unresolved: string[] = [];
      const check = (what: string, id: string, within: Set<string>) => id && !within.has(id) && unresolved.push(`${what} ${id}`);
      for (const r of incidents.rows) check('incident situation_id', r.situation_id, situationIds);
      for (const r of responses.rows) {
        for (const id of list(r.situation_ids)) check('response situation_ids', id, situationIds);
        for (const id of list(r.incident_ids)) check('response incident_ids', id, incidentIds);
        for (const name of list(r.organizer_names)) check('response organizer_names', name, organizationNames);
      }
      for (const s of sources.rows) check('source publisher_organization_id', s.publisher_organization_id, organizationIds);
      for (const c of citations.rows) {
        check('citation source_id', c.source_id, sourceIds);
        check('citation incident_id', c.incident_id, incidentIds);
        check('citation situation_id', c.situation_id, situationIds);
        check('citation response_id', c.response_id, responseIds);
      }
      expect(unresolved).toEqual([]);
    }
  });

  it('neutralises formulas in the new files, and takes the list filters', async () => {
    const repo = t.dataSource.getRepository(Situation);
    const [any] = await repo.find({ take: 1 });
    await repo.update(any.id, { name: '=HYPERLINK("http://x","y")' });
    const { rows } = await csv(t, '/exports/situations.csv?search=HYPERLINK');
    expect(rows.find((r) => r.id === any.id)!.name).toBe('\'=HYPERLINK("http://x","y")');
    const bad = await download(t, '/exports/organizations.csv?color=red');
    expect(bad.status).toBe(400);
    const text = (await download(t, '/exports/organizations.csv?kinds=NGO')).text;
    expect(readCsv(text).rows.every((r) => r.kind === 'NGO')).toBe(true);
  });
});
