import { AccessLevel } from '../src/access/access-level';
import { Incident } from '../src/incidents/incident.entity';
import { IncidentKind } from '../src/incidents/incident-kind';
import { Involvement, InvolvementRole } from '../src/people/involvement.entity';
import { Person } from '../src/people/person.entity';
import { parseEdtf } from '../src/dates/edtf';
import { Citation } from '../src/sources/citation.entity';
import { Source, SourceKind } from '../src/sources/source.entity';
import { startTestApp, TestApp } from './support/test-app';

describe('read API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const unknownCount = { atLeast: null, best: null, atMost: null, basis: null, asReported: null };
  async function addIncident(values: Partial<Incident>): Promise<Incident> {
    const repo = t.dataSource.getRepository(Incident);
    return repo.save(
      repo.create({
        kind: IncidentKind.KILLING, headline: 'Test incident', regionCode: 'RU-CE', victims: unknownCount, deaths: unknownCount,
        date: { ...parseEdtf('2020-05-05'), asReported: null } as Incident['date'],
        ...values,
      }),
    );
  }

  describe('lists are Relay connections', () => {
    it('pages through every response once, in a stable order, whatever the page size', async () => {
      const all: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const res = await t.gql(
          `query($after: String) { advocacyResponses(first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
          { after },
        );
        const conn: any = res.body.data!.advocacyResponses;
        expect(conn.totalCount).toBe(13);
        all.push(...conn.edges.map((e: any) => e.node.id));
        after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
        pages++;
      } while (after);
      expect(pages).toBe(5);
      expect(new Set(all).size).toBe(13);
      const { body } = await t.gql(`{ advocacyResponses(first: 100) { edges { node { id } } } }`);
      expect(body.data!.advocacyResponses.edges.map((e: any) => e.node.id)).toEqual(all);
    });

    it('caps the page size', async () => {
      const { status, body } = await t.gql(`{ incidents(first: 101) { totalCount } }`);
      expect(status).toBe(200);
      expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ path: 'first', message: 'must be between 1 and 100' }] });
    });

    it('refuses a malformed cursor, naming the argument', async () => {
      const { body } = await t.gql(`{ sources(after: "not-a-cursor") { totalCount } }`);
      expect(body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/^after: malformed cursor/) });
    });
  });

  describe('filters', () => {
    it('refuses an unknown region code, naming it', async () => {
      const { body } = await t.gql(`{ incidents(filter: { regions: ["RU", "XX-ZZ"] }) { totalCount } }`);
      expect(body.errors![0]).toMatchObject({
        message: expect.stringContaining('filter.regions: unknown region code "XX-ZZ"'),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });

    it('refuses an end date before the start date and a malformed date', async () => {
      const reversed = await t.gql(`{ incidents(filter: { dateFrom: "2018-01-01", dateTo: "2017-01-01" }) { totalCount } }`);
      expect(reversed.body.errors![0].message).toBe('filter.dateTo: is before dateFrom');
      const malformed = await t.gql(`{ incidents(filter: { dateFrom: "2017-13-40" }) { totalCount } }`);
      expect(malformed.body.errors![0].extensions!.problems).toEqual([
        { path: 'filter.dateFrom', message: 'must be a year, month or day (EDTF), e.g. 2017, 2017-04 or 2017-04-01' },
      ]);
      const qualified = await t.gql(`{ incidents(filter: { dateFrom: "2017~", dateTo: "April" }) { totalCount } }`);
      expect(qualified.body.errors![0].extensions!.problems.map((p: { path: string }) => p.path)).toEqual(['filter.dateFrom', 'filter.dateTo']);
    });

    it('takes a year, a month or a day as a bound: dateFrom is its first day, dateTo its last', async () => {
      const count = async (filter: string) => (await t.gql(`{ incidents(filter: { ${filter} }) { totalCount } }`)).body.data!.incidents.totalCount;
      const days = async (from: string, to: string) => count(`dateFrom: "${from}", dateTo: "${to}"`);
      // The same periods written at day precision and at their own precision give the same answer.
      expect(await days('2017', '2017')).toBe(await days('2017-01-01', '2017-12-31'));
      expect(await days('2017-04', '2017-04')).toBe(await days('2017-04-01', '2017-04-30'));
      expect(await days('2018-12', '2019')).toBe(await days('2018-12-01', '2019-12-31'));
      expect(await days('2017', '2017')).toBeGreaterThan(0);
      // dateTo "2017-04" reaches 30 April: the April 2017 abductions are in it, WITHIN too.
      expect(await count('dateFrom: "2017-04", dateTo: "2017-04", dateMatch: WITHIN')).toBe(
        await count('dateFrom: "2017-04-01", dateTo: "2017-04-30", dateMatch: WITHIN'),
      );
      expect(await count('dateFrom: "2017-04", dateTo: "2017-04", dateMatch: WITHIN')).toBeGreaterThan(await count('dateFrom: "2017-04-01", dateTo: "2017-04-01", dateMatch: WITHIN'));
      // A year that ends before another starts is still refused.
      expect((await t.gql(`{ incidents(filter: { dateFrom: "2018", dateTo: "2017-12" }) { totalCount } }`)).body.errors![0].message).toBe('filter.dateTo: is before dateFrom');
      expect(await days('2017-12', '2017')).toBe(await days('2017-12-01', '2017-12-31'));
    });

    it('matches a month-precision date anywhere in its month', async () => {
      const count = async (from: string, to: string) =>
        (await t.gql(`{ incidents(filter: { dateFrom: "${from}", dateTo: "${to}", kinds: [DETENTION] }) { totalCount } }`)).body.data!.incidents.totalCount;
      expect(await count('2018-12-31', '2019-01-15')).toBe(1); // "late December 2018" reaches the 31st
      expect(await count('2018-11-01', '2018-12-01')).toBe(1);
      expect(await count('2019-01-01', '2019-03-01')).toBe(0);
    });

    it('includes subdivisions when filtering by their country', async () => {
      const ru = await t.gql(`{ incidents(filter: { regions: ["ru"] }) { totalCount } }`);
      const chechnya = await t.gql(`{ incidents(filter: { regions: ["RU-CE"] }) { totalCount } }`);
      const ingushetia = await t.gql(`{ incidents(filter: { regions: ["RU-IN"] }) { totalCount } }`);
      expect(ru.body.data!.incidents.totalCount).toBe(3);
      expect(chechnya.body.data!.incidents.totalCount).toBe(3);
      expect(ingushetia.body.data!.incidents.totalCount).toBe(0);
    });
  });

  describe('single records and relations both ways', () => {
    it('finds each type by id and walks from source to citations to incidents and back', async () => {
      const { body } = await t.gql(`{ sources(filter: { publisher: "gay star news" }) { edges { node {
        id title citations { id incident { id headline citations { source { title } } } response { title } situation { name } }
      } } } }`);
      const gsn = body.data!.sources.edges[0].node;
      expect(gsn.citations.length).toBeGreaterThanOrEqual(5);
      const cited = gsn.citations.find((c: any) => c.incident);
      expect(cited.incident.citations.map((c: any) => c.source.title)).toContain(gsn.title);

      const byId = await t.gql(`query($s: ID!, $i: ID!, $c: ID!) { source(id: $s) { title } incident(id: $i) { headline } citation(id: $c) { id } }`,
        { s: gsn.id, i: cited.incident.id, c: cited.id });
      expect(byId.body.data).toEqual({ source: { title: gsn.title }, incident: { headline: cited.incident.headline }, citation: { id: cited.id } });
    });

    it('walks from an organization to its responses and from a response to the incidents it answers', async () => {
      const { body } = await t.gql(`{ organizations(filter: { search: "stonewall" }) { edges { node {
        name kind region { code } publishedSources { title }
        responseRoles { role response { title incidents { kind } situations { name } } }
      } } } }`);
      const stonewall = body.data!.organizations.edges[0].node;
      expect(stonewall).toMatchObject({ name: 'Stonewall', kind: 'NGO', region: { code: 'GB' } });
      expect(stonewall.publishedSources).toHaveLength(1);
      expect(stonewall.responseRoles).toHaveLength(2);
      for (const role of stonewall.responseRoles) {
        expect(role.response.incidents).toEqual([{ kind: 'ABDUCTION' }]);
        expect(role.response.situations).toHaveLength(1);
      }
    });

    it('navigates regions up and down', async () => {
      const { body } = await t.gql(`{ region(code: "RU-CE") { name isoName kind parent { code kind } country { code } }
        regions(countryCode: "GB", search: "scotland") { edges { node { code } } } gb: region(code: "GB") { children { code } } }`);
      expect(body.data!.region).toEqual({ name: 'Chechnya', isoName: 'Chechenskaya Respublika', kind: 'SUBDIVISION', parent: { code: 'RU', kind: 'COUNTRY' }, country: { code: 'RU' } });
      expect(body.data!.regions.edges).toEqual([{ node: { code: 'GB-SCT' } }]);
      expect(body.data!.gb.children.map((c: any) => c.code)).toEqual(expect.arrayContaining(['GB-ENG', 'GB-SCT', 'GB-WLS', 'GB-NIR']));
    });

    it('answers null for an id that does not exist', async () => {
      const { body } = await t.gql(`{ incident(id: "00000000-0000-4000-8000-000000000000") { id } }`);
      expect(body).toEqual({ data: { incident: null } });
    });
  });

  describe('protected data, before accounts exist (everyone is anonymous)', () => {
    it('answers null with FORBIDDEN for protected fields, at any depth and under an alias', async () => {
      const incident = await addIncident({ headline: 'Killing near a safe house', latitude: 43.3, longitude: 45.7, internalNotes: 'informant: X' });
      const person = await t.dataSource.getRepository(Person).save({ pseudonym: 'Victim A', fullName: 'Real Name', contact: '+7 900 000 00 00' });
      await t.dataSource.getRepository(Involvement).save({ incidentId: incident.id, personId: person.id, role: InvolvementRole.VICTIM, description: 'taken from home' });

      const { status, body, } = await t.gql(`query($id: ID!) { incident(id: $id) {
        headline where: latitude longitude internalNotes
        involvements { role description person { pseudonym name: fullName contact ...P } }
      } } fragment P on Person { occupation }`, { id: incident.id });
      expect(status).toBe(200);
      expect(body.data!.incident).toEqual({
        headline: 'Killing near a safe house', where: null, longitude: null, internalNotes: null,
        involvements: [{ role: 'VICTIM', description: null, person: { pseudonym: 'Victim A', name: null, contact: null, occupation: null } }],
      });
      const denied = body.errors!.map((e) => e.extensions!.field).sort();
      expect(denied).toEqual(['Incident.internalNotes', 'Incident.latitude', 'Incident.longitude', 'Involvement.description', 'Person.contact', 'Person.fullName', 'Person.occupation']);
      expect(body.errors!.every((e) => e.extensions!.code === 'FORBIDDEN')).toBe(true);
      expect(JSON.stringify(body)).not.toMatch(/Real Name|900 000|43\.3|informant|taken from home/);
    });

    it('hides confidential and restricted records everywhere, and does not count them', async () => {
      const before = (await t.gql(`{ incidents(filter: { regions: ["RU"] }) { totalCount } }`)).body.data!.incidents.totalCount;
      const secret = await addIncident({ headline: 'Confidential incident', confidentiality: AccessLevel.CONFIDENTIAL, regionCode: 'RU-IN' });
      await addIncident({ headline: 'Restricted incident', confidentiality: AccessLevel.RESTRICTED, regionCode: 'RU-IN' });
      const { body } = await t.gql(`query($id: ID!) {
        incidents(filter: { regions: ["RU"] }, first: 100) { totalCount edges { node { headline } } }
        incident(id: $id) { id }
      }`, { id: secret.id });
      expect(body.data!.incidents.totalCount).toBe(before);
      expect(JSON.stringify(body)).not.toMatch(/Confidential incident|Restricted incident/);
      expect(body.data!.incident).toBeNull();
    });

    it('hides a citation whose source the viewer may not see, so its excerpt cannot leak', async () => {
      const incident = await addIncident({ headline: 'Incident with a confidential testimony', regionCode: 'RU-KB' });
      const source = await t.dataSource.getRepository(Source).save({
        kind: SourceKind.TESTIMONY, publisher: 'Interview', title: 'Unpublished testimony', confidentiality: AccessLevel.CONFIDENTIAL,
        published: { ...parseEdtf('2020-05-06'), asReported: null },
      });
      await t.dataSource.getRepository(Citation).save({ sourceId: source.id, incidentId: incident.id, excerpt: 'witness W saw the car' });
      const { body } = await t.gql(`query($id: ID!) { incident(id: $id) { citations { excerpt } independentSourceCount } }`, { id: incident.id });
      expect(body.data!.incident).toEqual({ citations: [], independentSourceCount: 0 });
      expect(JSON.stringify(body)).not.toMatch(/witness W/);
    });

    it('hides soft-deleted records', async () => {
      const gone = await addIncident({ headline: 'Deleted incident', regionCode: 'RU-DA' });
      await t.dataSource.getRepository(Incident).softDelete(gone.id);
      const { body } = await t.gql(`query($id: ID!) { incidents(filter: { regions: ["RU-DA"] }) { totalCount } incident(id: $id) { id } }`, { id: gone.id });
      expect(body.data).toEqual({ incidents: { totalCount: 0 }, incident: null });
    });
  });

  it('rejects a query that does not validate with the reason and no data: 200 under application/json, 400 under application/graphql-response+json', async () => {
    const { status, body } = await t.gql(`{ incidents { edges { node { noSuchField } } } }`);
    expect(status).toBe(200);
    expect(body.errors![0].message).toMatch(/noSuchField/);
    expect(body).not.toHaveProperty('data');
    const modern = await t.http().post('/graphql').set('accept', 'application/graphql-response+json').send({ query: '{ incidents { noSuchField } }' });
    expect(modern.status).toBe(400);
    expect(modern.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
  });

  it('reports health with the database', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });
});
