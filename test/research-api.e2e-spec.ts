import { Role } from '../src/access/role';
import { buildResearchFixture, ResearchFixture } from './support/research-fixture';
import { startTestApp, TestApp } from './support/test-app';

/** SET clause for a change every viewer may see: updated_at and every change stamp. */
const touched = (at: string) => `updated_at = ${at}, public_updated_at = ${at}, restricted_updated_at = ${at}`;

describe('research API', () => {
  let t: TestApp;
  let f: ResearchFixture;
  let names: Map<string, string>;
  beforeAll(async () => {
    t = await startTestApp({ demo: false });
    f = await buildResearchFixture(t.dataSource);
    names = new Map(Object.entries(f.i).map(([name, incident]) => [incident.id, name]));
  });
  afterAll(() => t.close());

  /** The fixture names of the incidents `incidents(filter, orderBy)` returns, in order. */
  async function incidents(filter: Record<string, unknown> = {}, as: Role = Role.PUBLIC, orderBy = 'DATE_DESC'): Promise<string[]> {
    const { body } = await t.gql<any>(
      'query($filter: IncidentFilter, $orderBy: IncidentOrder!) { incidents(filter: $filter, orderBy: $orderBy, first: 100) { totalCount edges { node { id } } } }',
      { filter, orderBy },
      as,
    );
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    const found = body.data.incidents.edges.map((e: any) => names.get(e.node.id) ?? e.node.id);
    expect(body.data.incidents.totalCount).toBe(found.length);
    return found;
  }
  const sorted = (list: string[]) => [...list].sort();
  async function error(query: string, variables: Record<string, unknown> = {}) {
    const { status, body } = await t.gql(query, variables);
    expect(status).toBe(200);
    return body.errors![0];
  }

  describe('filters', () => {
    it('matches dates by overlap by default, or wholly within on request, honouring precision', async () => {
      expect(sorted(await incidents({ dateFrom: '2017-04-30', dateTo: '2017-04-30' }))).toEqual(['abductions', 'prison']);
      expect(sorted(await incidents({ dateFrom: '2017-04-01', dateTo: '2017-04-30', dateMatch: 'WITHIN' }))).toEqual(['abductions']);
      expect(sorted(await incidents({ dateFrom: '2017-06-15' , dateTo: '2018-06-01' }))).toEqual(['moscow', 'prison']);
      expect(await incidents({ dateFrom: '2018-01-01', dateTo: '2018-06-30', dateMatch: 'WITHIN' })).toEqual([]);
    });

    it('filters by region (a country includes its subdivisions), kind, status, situation and perpetrator', async () => {
      expect(sorted(await incidents({ regions: ['RU'] }))).toEqual(['abductions', 'killing', 'moscow', 'prison']);
      expect(sorted(await incidents({ regions: ['GB-LND', 'RU-MOW'] }))).toEqual(['london', 'moscow']);
      expect(await incidents({ kinds: ['KILLING', 'DETENTION'] })).toEqual(['moscow', 'killing']);
      expect(sorted(await incidents({ verificationStatuses: ['CORROBORATED'] }))).toEqual(['abductions', 'prison']);
      expect(sorted(await incidents({ situationId: f.situation.id }))).toEqual(['abductions', 'killing']);
      expect(await incidents({ perpetrator: 'KADYROV' })).toEqual(['killing']);
      expect(await incidents({ perpetrator: 'police', regions: ['RU-CE'] })).toEqual(['abductions']);
    });

    it('filters counts by range: overlap by default, wholly within on request, unknown never', async () => {
      // victims: abductions >= 100, killing 3, prison 30-40, moscow 10-20, london 1.
      expect(sorted(await incidents({ victims: { min: 35 } }))).toEqual(['abductions', 'prison']);
      expect(sorted(await incidents({ victims: { min: 35, match: 'WITHIN' } }))).toEqual(['abductions']);
      expect(sorted(await incidents({ victims: { min: 15, max: 35 } }))).toEqual(['moscow', 'prison']);
      expect(await incidents({ victims: { min: 15, max: 35, match: 'WITHIN' } })).toEqual([]);
      expect(sorted(await incidents({ victims: { max: 5 } }))).toEqual(['killing', 'london']);
      // deaths: killing 2, prison 0, moscow 0; abductions and london unknown.
      expect(await incidents({ deaths: { min: 1 } })).toEqual(['killing']);
      expect(sorted(await incidents({ deaths: { max: 0 } }))).toEqual(['moscow', 'prison']);
    });

    it('filters by responses the viewer can see: any, none, kind, organization', async () => {
      expect(sorted(await incidents({ hasResponse: true }))).toEqual(['abductions', 'killing', 'prison']);
      expect(sorted(await incidents({ hasResponse: false }))).toEqual(['london', 'moscow']);
      // The statement answering Moscow is confidential: editors see it, so Moscow has a response for them.
      expect(sorted(await incidents({ hasResponse: false }, Role.EDITOR))).toEqual(['hidden', 'london']);
      expect(await incidents({ responseKinds: ['PROTEST'] })).toEqual(['killing']);
      expect(await incidents({ responseKinds: ['STATEMENT'] })).toEqual([]);
      expect(await incidents({ responseKinds: ['STATEMENT'] }, Role.EDITOR)).toEqual(['moscow']);
      expect(sorted(await incidents({ responseOrganizationId: f.amnesty.id }))).toEqual(['abductions', 'prison']);
    });

    it('filters by the sources the viewer can see: publisher, kind, independent sources', async () => {
      expect(sorted(await incidents({ sourcePublisher: 'novaya' }))).toEqual(['abductions', 'killing']);
      expect(sorted(await incidents({ sourceKinds: ['NGO_REPORT'] }))).toEqual(['abductions', 'moscow', 'prison']);
      expect(await incidents({ sourceKinds: ['TESTIMONY'] })).toEqual([]);
      expect(await incidents({ sourceKinds: ['TESTIMONY'] }, Role.EDITOR)).toEqual(['abductions']);
      // Two Novaya Gazeta articles are one independent source; the testimony counts only for editors.
      expect(await incidents({ minIndependentSources: 2 })).toEqual(['abductions']);
      expect(await incidents({ minIndependentSources: 3 })).toEqual([]);
      expect(await incidents({ minIndependentSources: 3 }, Role.EDITOR)).toEqual(['abductions']);
      const { body } = await t.gql<any>('query($id: ID!) { incident(id: $id) { independentSourceCount } }', { id: f.i.abductions.id });
      expect(body.data.incident.independentSourceCount).toBe(2);
    });

    it('searches headlines, descriptions and visible citation excerpts, with stemming, combined with other filters', async () => {
      expect(sorted(await incidents({ search: 'abducted' }))).toEqual(['abductions']); // "abductions" in the headline stems alike
      expect(sorted(await incidents({ search: 'secret prison' }))).toEqual(['abductions', 'prison']);
      expect(await incidents({ search: '"secret prison" -torture' })).toEqual(['abductions']);
      expect(await incidents({ search: 'zephyrine' })).toEqual(['moscow']); // only in a citation's excerpt
      expect(await incidents({ search: 'zephyrine', regions: ['RU-CE'] })).toEqual([]);
      // A confidential citation neither matches nor betrays itself to those who may not see it.
      expect(await incidents({ search: 'quokka' })).toEqual([]);
      expect(await incidents({ search: 'quokka' }, Role.RESEARCHER)).toEqual([]);
      expect(await incidents({ search: 'quokka' }, Role.EDITOR)).toEqual(['abductions']);
    });

    it('keeps only records changed since a time', async () => {
      // Changes everyone may see: every change stamp moves with updated_at (src/access/change-stamps.ts).
      await t.dataSource.query(`UPDATE incident SET ${touched("now() - interval '2 days'")}`);
      const since = new Date(Date.now() - 60_000).toISOString();
      await t.dataSource.query(`UPDATE incident SET ${touched('now()')} WHERE id = $1`, [f.i.london.id]);
      expect(await incidents({ updatedSince: since })).toEqual(['london']);
    });
  });

  describe('orders', () => {
    it('sorts by date, victims, deaths, update time and relevance', async () => {
      const newest = await incidents({}, Role.PUBLIC, 'DATE_DESC');
      expect(newest.slice(0, 3)).toEqual(['london', 'moscow', 'killing']);
      expect(sorted(newest.slice(3))).toEqual(['abductions', 'prison']); // both start on 1 April 2017
      expect((await incidents({}, Role.PUBLIC, 'DATE_ASC')).slice(-2)).toEqual(['moscow', 'london']);
      expect(await incidents({}, Role.PUBLIC, 'VICTIMS_DESC')).toEqual(['abductions', 'prison', 'moscow', 'killing', 'london']);
      expect((await incidents({}, Role.PUBLIC, 'DEATHS_DESC'))[0]).toBe('killing');
      expect((await incidents({}, Role.PUBLIC, 'DEATHS_DESC')).slice(-2).sort()).toEqual(['abductions', 'london']); // unknown last
      await t.dataSource.query(`UPDATE incident SET ${touched("now() + interval '1 minute'")} WHERE id = $1`, [f.i.prison.id]);
      expect((await incidents({}, Role.PUBLIC, 'UPDATED_DESC'))[0]).toBe('prison');
      // A headline match weighs more than a description or a citation.
      expect(await incidents({ search: 'prison' }, Role.PUBLIC, 'RELEVANCE')).toEqual(['prison', 'abductions']);
    });

    it('pages through every order without skipping or repeating, even among ties', async () => {
      for (const orderBy of ['DATE_DESC', 'DATE_ASC', 'VICTIMS_DESC', 'DEATHS_DESC', 'UPDATED_DESC']) {
        const seen: string[] = [];
        let after: string | null = null;
        do {
          const { body }: any = await t.gql(
            'query($o: IncidentOrder!, $after: String) { incidents(orderBy: $o, first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }',
            { o: orderBy, after },
            Role.EDITOR,
          );
          seen.push(...body.data.incidents.edges.map((e: any) => e.node.id));
          after = body.data.incidents.pageInfo.hasNextPage ? body.data.incidents.pageInfo.endCursor : null;
        } while (after);
        expect({ orderBy, seen: sorted(seen) }).toEqual({ orderBy, seen: sorted(Object.values(f.i).map((i) => i.id)) });
      }
    });

    it('refuses a cursor from another order, a tampered cursor, and relevance without a search', async () => {
      const { body }: any = await t.gql('{ incidents(orderBy: VICTIMS_DESC, first: 1) { pageInfo { endCursor } } }');
      const cursor = body.data.incidents.pageInfo.endCursor;
      const other = await error('query($c: String) { incidents(orderBy: DATE_DESC, after: $c) { totalCount } }', { c: cursor });
      expect(other).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/^after: malformed cursor/) });
      // Cursors are sealed (docs/access.md): one altered byte and it is refused.
      const bytes = Buffer.from(cursor, 'base64url');
      bytes[bytes.length - 1] ^= 1;
      const tampered = bytes.toString('base64url');
      const bad = await error('query($c: String) { incidents(orderBy: VICTIMS_DESC, after: $c) { totalCount } }', { c: tampered });
      expect(bad).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/^after: malformed cursor/) });
      const relevance = await error('{ incidents(orderBy: RELEVANCE) { totalCount } }');
      expect(relevance.message).toBe('orderBy: RELEVANCE needs filter.search');
    });

    it('names the argument of every bad filter value', async () => {
      const q = 'query($filter: IncidentFilter) { incidents(filter: $filter) { totalCount } }';
      expect((await error(q, { filter: { victims: { min: 10, max: 5 } } })).message).toBe('filter.victims.max: is below min');
      expect((await error(q, { filter: { victims: { min: -1 } } })).extensions!.problems).toEqual([{ path: 'filter.victims.min', message: 'must not be negative' }]);
      expect((await error(q, { filter: { regions: ['RU', 'ZZ'] } })).message).toContain('filter.regions: unknown region code "ZZ"');
      expect((await error(q, { filter: { responseOrganizationId: 'nope' } })).extensions!.problems).toEqual([{ path: 'filter.responseOrganizationId', message: 'must be an id (UUID)' }]);
      expect((await error(q, { filter: { minIndependentSources: -2 } })).extensions!.problems[0].path).toBe('filter.minIndependentSources');
    });
  });

  describe('incidentStats', () => {
    const STATS = `query($filter: IncidentFilter, $groupBy: [IncidentDimension!]!) { incidentStats(filter: $filter, groupBy: $groupBy) {
      year month countryCode regionCode kind verificationStatus incidents responses country { name } region { code }
      victims { atLeast atMost best unknown } deaths { atLeast atMost best unknown } } }`;
    async function stats(groupBy: string[], filter: Record<string, unknown> = {}, as: Role = Role.PUBLIC): Promise<any[]> {
      const { body } = await t.gql<any>(STATS, { groupBy, filter }, as);
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data.incidentStats;
    }

    it('totals without grouping: counts, victims and deaths as ranges, responses; the same set as the list', async () => {
      const [total] = await stats([]);
      expect(total).toMatchObject({
        incidents: 5,
        responses: 2, // the petition and the protest; the confidential statement is not counted
        victims: { atLeast: 100 + 3 + 30 + 10 + 1, atMost: null, best: 4, unknown: 0 },
        deaths: { atLeast: 2, atMost: null, best: 2, unknown: 2 },
      });
      const [forEditors] = await stats([], {}, Role.EDITOR);
      expect(forEditors).toMatchObject({ incidents: 6, responses: 3 });
      const filter = { regions: ['RU'], victims: { max: 40 } };
      const [filtered] = await stats([], filter);
      expect(filtered.incidents).toBe((await incidents(filter)).length);
      expect(filtered.victims).toEqual({ atLeast: 3 + 30 + 10, atMost: 3 + 40 + 20, best: 3, unknown: 0 });
    });

    it('groups by year and month honouring precision: a year-precision incident is not put in January', async () => {
      const byMonth = await stats(['MONTH']);
      expect(byMonth.map((b) => [b.month, b.incidents])).toEqual([
        ['2017-04', 1], // abductions; the April-June prison spans three months
        ['2017-05', 1],
        ['2019-01', 1],
        [null, 2], // prison (several months) and Moscow (2018, year precision)
      ]);
      const byYear = await stats(['YEAR']);
      expect(byYear.map((b) => [b.year, b.incidents])).toEqual([[2017, 3], [2018, 1], [2019, 1]]);
      const both = await stats(['YEAR', 'MONTH'], { regions: ['RU-MOW'] });
      expect(both.map((b) => [b.year, b.month])).toEqual([[2018, null]]);
    });

    it('groups by country, region, kind and status, with the regions resolved', async () => {
      const byCountry = await stats(['COUNTRY']);
      expect(byCountry.map((b) => [b.countryCode, b.country.name, b.incidents, b.responses])).toEqual([
        ['GB', 'United Kingdom', 1, 0],
        ['RU', 'Russia', 4, 2],
      ]);
      const byRegion = await stats(['REGION']);
      expect(byRegion.map((b) => [b.regionCode, b.region.code, b.incidents])).toEqual([['GB-LND', 'GB-LND', 1], ['RU-CE', 'RU-CE', 3], ['RU-MOW', 'RU-MOW', 1]]);
      const byKindAndStatus = await stats(['KIND', 'STATUS'], { regions: ['RU-CE'] });
      expect(byKindAndStatus.map((b) => [b.kind, b.verificationStatus, b.incidents])).toEqual([
        ['ABDUCTION', 'CORROBORATED', 1],
        ['TORTURE_OR_ILL_TREATMENT', 'CORROBORATED', 1],
        ['KILLING', 'VERIFIED', 1],
      ]);
      for (const b of byKindAndStatus) expect([b.year, b.month, b.countryCode, b.regionCode]).toEqual([null, null, null, null]);
    });

    it('refuses grouping filters the viewer may not use, like the list', async () => {
      const { body } = await t.gql(STATS, { groupBy: ['YEAR'], filter: { within: { south: 40, north: 45, west: 40, east: 50 } } });
      expect(body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'IncidentFilter.within' });
    });
  });

  describe('other lists share the filters', () => {
    it('responses: search, dates, incident, update time and orders', async () => {
      const q = 'query($filter: ResponseFilter, $o: DatedOrder!) { advocacyResponses(filter: $filter, orderBy: $o) { edges { node { title } } } }';
      const titles = async (filter: Record<string, unknown>, o = 'DATE_DESC') =>
        ((await t.gql<any>(q, { filter, o })).body.data.advocacyResponses.edges as any[]).map((e) => e.node.title);
      expect(await titles({ search: 'signed' })).toEqual(['Stop the abductions petition']);
      expect(await titles({ dateFrom: '2017-05-01' })).toEqual(['Vigil at the embassy']);
      expect(await titles({ incidentId: f.i.prison.id })).toEqual(['Stop the abductions petition']);
      expect(await titles({}, 'DATE_ASC')).toEqual(['Stop the abductions petition', 'Vigil at the embassy']);
      expect(await titles({ search: 'vigil or petition' }, 'RELEVANCE')).toHaveLength(2);
    });

    it('sources: publisher, publication dates and search; situations: search and dates', async () => {
      const s = await t.gql<any>('{ sources(filter: { publisher: "gazeta", dateFrom: "2017-05-01" }) { edges { node { title } } } }');
      expect(s.body.data.sources.edges.map((e: any) => e.node.title)).toEqual(['Follow-up report']);
      const search = await t.gql<any>('{ sources(filter: { search: "arms" }) { edges { node { publisher } } } }');
      expect(search.body.data.sources.edges.map((e: any) => e.node.publisher)).toEqual(['Human Rights Watch']);
      const sit = await t.gql<any>('{ situations(filter: { search: "purge", dateFrom: "2026-01-01" }) { totalCount } }');
      expect(sit.body.data.situations.totalCount).toBe(1); // open-ended: still going
      const within = await t.gql<any>('{ situations(filter: { dateFrom: "2017-01-01", dateTo: "2026-01-01", dateMatch: WITHIN }) { totalCount } }');
      expect(within.body.data.situations.totalCount).toBe(0);
    });
  });
});
