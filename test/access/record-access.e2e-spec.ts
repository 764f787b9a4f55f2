/**
 * Whole records: a RESTRICTED or CONFIDENTIAL record is invisible, and uncounted, to roles below
 * its level on every path: by id, in lists and their counts, and through every relation. A link
 * or citation pointing at a record the viewer may not see is itself invisible. Every record type
 * with a confidentiality must have a case here.
 */
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { AccessLevel } from '../../src/access/access-level';
import { VISIBILITY_DEPENDENCIES } from '../../src/access/record-visibility';
import { Role } from '../../src/access/role';
import { Viewer } from '../../src/access/viewer';
import { VigilRecord } from '../../src/common/vigil-record';
import { ENTITIES } from '../../src/database/entities';
import { Incident } from '../../src/incidents/incident.entity';
import { Organization } from '../../src/organizations/organization.entity';
import { Involvement, InvolvementRole } from '../../src/people/involvement.entity';
import { Person } from '../../src/people/person.entity';
import { AdvocacyResponse } from '../../src/responses/advocacy-response.entity';
import { ResponseIncident, ResponseOrganizer, ResponseSituation } from '../../src/responses/response-links.entity';
import { Situation } from '../../src/situations/situation.entity';
import { Citation } from '../../src/sources/citation.entity';
import { Source } from '../../src/sources/source.entity';
import { AccessFixture, buildAccessFixture } from '../support/access-fixture';
import { ROLES, startTestApp, TestApp } from '../support/test-app';

type Level = AccessLevel.RESTRICTED | AccessLevel.CONFIDENTIAL;

interface Check {
  label: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Whether the record shows in the answer. */
  shows: (data: any, id: string) => boolean;
  /** A list: its totalCount must match what it shows. */
  counted?: (data: any) => [number, number];
}

interface RecordCase {
  /** Makes a record of this type at `level`, linked so that every check below can reach it. */
  make: (ds: DataSource, f: AccessFixture, level: Level) => Promise<string>;
  checks: (f: AccessFixture, id: string) => Check[];
}

/** For a hidden record, a public record that refers to it by a foreign key field. */
const referrer = new Map<string, string>();

const ids = (list: any[] | undefined) => (list ?? []).map((n) => n?.id);
const conn = (c: any) => ids(c?.edges.map((e: any) => e.node));

async function sourceOf(ds: DataSource, f: AccessFixture): Promise<string> {
  return (await ds.query('SELECT source_id FROM citation WHERE id = $1', [f.citationId]))[0].source_id;
}

async function copyOf<T extends ObjectLiteral>(ds: DataSource, entity: EntityTarget<T>, id: string, changes: Partial<T>): Promise<string> {
  const repo = ds.getRepository(entity);
  const { id: _id, createdAt: _c, updatedAt: _u, version: _v, ...rest } = (await repo.findOneByOrFail({ id } as never)) as Record<string, unknown>;
  return ((await repo.save(repo.create({ ...rest, ...changes } as never))) as unknown as { id: string }).id;
}

const single = (field: string, id: string): Check => ({
  label: `Query.${field}`,
  query: `query($id: ID!) { r: ${field}(id: $id) { id } }`,
  variables: { id },
  shows: (d, x) => d.r?.id === x,
});
const list = (field: string): Check => ({
  label: `Query.${field}`,
  query: `{ r: ${field}(first: 100) { totalCount edges { node { id } } } }`,
  shows: (d, x) => conn(d.r).includes(x),
  counted: (d) => [d.r.totalCount, d.r.edges.length],
});
/** A relation: `pick` lists the ids the answer shows (record ids, or the foreign keys of links). */
const nested = (label: string, root: string, id: string, inner: string, pick: (r: any) => any[]): Check => ({
  label,
  query: `query($id: ID!) { r: ${root}(id: $id) { ${inner} } }`,
  variables: { id },
  shows: (d, x) => pick(d.r).map((v) => (typeof v === 'object' && v !== null ? v.id : v)).includes(x),
});
/** A relation of the fixture's incident read through a page of incidents, which reads its relations
 * in its own statement (Loaders.manyInside): the page is the incidents of its region and day. */
const inPage = (label: string, incidentId: string, inner: string, pick: (r: any) => any[]): Check => ({
  label: `${label} (a page of incidents)`,
  query: `query($regions: [String!], $from: String, $to: String) {
    r: incidents(first: 100, filter: { regions: $regions, dateFrom: $from, dateTo: $to }) { edges { node { id ${inner} } } }
  }`,
  variables: { id: 'INCIDENT_PAGE' },
  shows: (d, x) => {
    const node = d.r.edges.map((e: any) => e.node).find((n: any) => n.id === incidentId);
    if (!node) throw new Error(`${label}: the fixture's incident is not on the page`);
    return pick(node).map((v) => (typeof v === 'object' && v !== null ? v.id : v)).includes(x);
  },
});
/** Links and citations that point at the record must not show either, not even as a foreign key. */
const SOURCE_CITATIONS = 'citations { id incidentId situationId responseId sourceId }';
const citedBy = (column: 'incidentId' | 'situationId' | 'responseId'): ((r: any) => any[]) => (r) => r.citations.map((c: any) => c[column]);

const CASES: Record<string, RecordCase> = {
  Incident: {
    make: async (ds, f, level) => {
      const id = await copyOf(ds, Incident, f.incidentId, { confidentiality: level, headline: `hidden ${level}` });
      await ds.getRepository(ResponseIncident).save({ responseId: f.responseId, incidentId: id });
      await ds.getRepository(Involvement).save({ incidentId: id, personId: f.personId, role: InvolvementRole.VICTIM, description: null });
      await copyOf(ds, Citation, f.citationId, { incidentId: id });
      return id;
    },
    checks: (f, id) => [
      single('incident', id),
      list('incidents'),
      nested('AdvocacyResponse.incidents', 'advocacyResponse', f.responseId, 'incidents { id }', (r) => r.incidents),
      nested('Situation.incidents', 'situation', f.situationId, 'incidents { id }', (r) => r.incidents),
      nested('Person.involvements.incidentId', 'person', f.personId, 'involvements { incidentId }', (r) => r.involvements.map((i: any) => i.incidentId)),
      nested('Source.citations.incidentId', 'source', '', SOURCE_CITATIONS, citedBy('incidentId')),
    ],
  },
  Situation: {
    make: async (ds, f, level) => {
      const id = await copyOf(ds, Situation, f.situationId, { confidentiality: level, name: `hidden ${level}` });
      await ds.getRepository(ResponseSituation).save({ responseId: f.responseId, situationId: id });
      await ds.getRepository(Citation).save({ sourceId: await sourceOf(ds, f), situationId: id, excerpt: 'about a hidden situation' });
      referrer.set(id, await copyOf(ds, Incident, f.incidentId, { situationId: id, headline: 'public, in a hidden situation' }));
      return id;
    },
    checks: (f, id) => [
      single('situation', id),
      list('situations'),
      nested('AdvocacyResponse.situations', 'advocacyResponse', f.responseId, 'situations { id }', (r) => r.situations),
      nested('Source.citations.situationId', 'source', '', SOURCE_CITATIONS, citedBy('situationId')),
      nested('Incident.situationId', 'incident', referrer.get(id)!, 'situationId situation { id }', (r) => [r.situationId, r.situation]),
      // Filtering by a hidden situation's id must not tell which incidents belong to it.
      {
        label: 'IncidentFilter.situationId',
        query: `query($id: ID!) { r: incidents(filter: { situationId: $id }) { totalCount edges { node { id } } } }`,
        variables: { id },
        shows: (d) => d.r.totalCount > 0 && conn(d.r).includes(referrer.get(id)),
        counted: (d) => [d.r.totalCount, d.r.edges.length],
      },
    ],
  },
  Person: {
    make: async (ds, f, level) => {
      const id = await copyOf(ds, Person, f.personId, { confidentiality: level, pseudonym: `hidden ${level}` });
      await ds.getRepository(Involvement).save({ incidentId: f.incidentId, personId: id, role: InvolvementRole.WITNESS, description: null });
      return id;
    },
    checks: (f, id) => [
      single('person', id),
      list('people'),
      // The involvement naming a hidden person is itself hidden.
      nested('Incident.involvements.person', 'incident', f.incidentId, 'involvements { person { id } }', (r) => r.involvements.map((i: any) => i.person)),
      nested('Incident.involvements.personId', 'incident', f.incidentId, 'involvements { personId }', (r) => r.involvements.map((i: any) => i.personId)),
    ],
  },
  Involvement: {
    make: async (ds, f, level) =>
      (await ds.getRepository(Involvement).save({ incidentId: f.incidentId, personId: f.personId, role: level === AccessLevel.RESTRICTED ? InvolvementRole.WITNESS : InvolvementRole.OTHER, description: null, confidentiality: level })).id,
    checks: (f) => [
      nested('Incident.involvements', 'incident', f.incidentId, 'involvements { id }', (r) => r.involvements),
      nested('Person.involvements', 'person', f.personId, 'involvements { id }', (r) => r.involvements),
    ],
  },
  Source: {
    make: async (ds, f, level) => {
      const id = await copyOf(ds, Source, await sourceOf(ds, f), { confidentiality: level, title: `hidden ${level}`, publisher: `Hidden publisher ${level}` });
      await ds.getRepository(Citation).save({ sourceId: id, incidentId: f.incidentId, excerpt: `hidden excerpt ${level}` });
      return id;
    },
    checks: (f, id) => [
      single('source', id),
      list('sources'),
      nested('Incident.citations.source', 'incident', f.incidentId, 'citations { source { id } }', (r) => r.citations.map((c: any) => c.source)),
      nested('Incident.citations.sourceId', 'incident', f.incidentId, 'citations { sourceId }', (r) => r.citations.map((c: any) => c.sourceId)),
      inPage('Incident.citations.source', f.incidentId, 'citations { source { id } }', (r) => r.citations.map((c: any) => c.source)),
      inPage('Incident.citations.sourceId', f.incidentId, 'citations { sourceId }', (r) => r.citations.map((c: any) => c.sourceId)),
    ],
  },
  Citation: {
    make: async (ds, f, level) => copyOf(ds, Citation, f.citationId, { confidentiality: level, excerpt: `hidden excerpt ${level}` }),
    checks: (f, id) => [
      single('citation', id),
      nested('Incident.citations', 'incident', f.incidentId, 'citations { id }', (r) => r.citations),
      inPage('Incident.citations', f.incidentId, 'citations { id }', (r) => r.citations),
      nested('Source.citations', 'source', '', 'citations { id }', (r) => r.citations),
    ],
  },
  Organization: {
    make: async (ds, f, level) => {
      const [{ id: orgId }] = await ds.query('SELECT id FROM organization ORDER BY name LIMIT 1');
      const id = await copyOf(ds, Organization, orgId, { confidentiality: level, name: `Hidden organization ${level}` });
      await ds.getRepository(ResponseOrganizer).save({ responseId: f.responseId, organizationId: id });
      referrer.set(id, await copyOf(ds, Source, await sourceOf(ds, f), { publisherOrganizationId: id, title: 'public, by a hidden publisher' }));
      return id;
    },
    checks: (f, id) => [
      single('organization', id),
      list('organizations'),
      nested('AdvocacyResponse.organizers.organization', 'advocacyResponse', f.responseId, 'organizers { organization { id } }', (r) =>
        r.organizers.map((o: any) => o.organization),
      ),
      nested('Source.publisherOrganizationId', 'source', referrer.get(id)!, 'publisherOrganizationId publisherOrganization { id }', (r) => [
        r.publisherOrganizationId,
        r.publisherOrganization,
      ]),
      nested('AdvocacyResponse.organizers.organizationId', 'advocacyResponse', f.responseId, 'organizers { organizationId }', (r) =>
        r.organizers.map((o: any) => o.organizationId),
      ),
    ],
  },
  AdvocacyResponse: {
    make: async (ds, f, level) => {
      const id = await copyOf(ds, AdvocacyResponse, f.responseId, { confidentiality: level, title: `hidden ${level}` });
      await ds.getRepository(ResponseIncident).save({ responseId: id, incidentId: f.incidentId });
      await ds.getRepository(Citation).save({ sourceId: await sourceOf(ds, f), responseId: id, excerpt: 'about a hidden response' });
      const [{ id: orgId }] = await ds.query('SELECT id FROM organization ORDER BY name LIMIT 1');
      await ds.getRepository(ResponseOrganizer).save({ responseId: id, organizationId: orgId });
      return id;
    },
    checks: (f, id) => [
      single('advocacyResponse', id),
      list('advocacyResponses'),
      nested('Incident.responses', 'incident', f.incidentId, 'responses { id }', (r) => r.responses),
      inPage('Incident.responses', f.incidentId, 'responses { id }', (r) => r.responses),
      nested('Source.citations.responseId', 'source', '', SOURCE_CITATIONS, citedBy('responseId')),
      nested('Organization.responseRoles.responseId', 'organization', 'FIRST_ORGANIZATION', 'responseRoles { responseId }', (r) =>
        r.responseRoles.map((o: any) => o.responseId),
      ),
    ],
  },
  ResponseOrganizer: {
    make: async (ds, f, level) => {
      const [{ id: orgId }] = await ds.query('SELECT id FROM organization ORDER BY name DESC LIMIT 1');
      return (await ds.getRepository(ResponseOrganizer).save({ responseId: f.responseId, organizationId: orgId, confidentiality: level, role: level === AccessLevel.RESTRICTED ? 'PARTNER' : 'BENEFICIARY' } as never) as unknown as { id: string }).id;
    },
    checks: (f) => [nested('AdvocacyResponse.organizers', 'advocacyResponse', f.responseId, 'organizers { id }', (r) => r.organizers)],
  },
  ResponseIncident: {
    make: async (ds, f, level) => {
      const other = await copyOf(ds, Incident, f.incidentId, { headline: `public, linked by a hidden link ${level}` });
      await ds.getRepository(ResponseIncident).save({ responseId: f.responseId, incidentId: other, confidentiality: level });
      return other; // the incident is public; only the link is hidden, so the incident must not show through it
    },
    checks: (f) => [nested('AdvocacyResponse.incidents (hidden link)', 'advocacyResponse', f.responseId, 'incidents { id }', (r) => r.incidents)],
  },
  ResponseSituation: {
    make: async (ds, f, level) => {
      const other = await copyOf(ds, Situation, f.situationId, { name: `public, linked by a hidden link ${level}` });
      await ds.getRepository(ResponseSituation).save({ responseId: f.responseId, situationId: other, confidentiality: level });
      return other;
    },
    checks: (f) => [nested('AdvocacyResponse.situations (hidden link)', 'advocacyResponse', f.responseId, 'situations { id }', (r) => r.situations)],
  },
};

describe('confidential and restricted records', () => {
  let t: TestApp;
  let f: AccessFixture;
  let sourceOfCitation: string;
  let firstOrganization: string;
  let incidentPage: Record<string, unknown>;
  const made: Record<string, Record<Level, string>> = {};

  beforeAll(async () => {
    t = await startTestApp();
    f = await buildAccessFixture(t.dataSource);
    sourceOfCitation = await sourceOf(t.dataSource, f);
    [{ id: firstOrganization }] = await t.dataSource.query('SELECT id FROM organization ORDER BY name LIMIT 1');
    const [day] = await t.dataSource.query('SELECT region_code, date_start::text AS day FROM incident WHERE id = $1', [f.incidentId]);
    incidentPage = { regions: [day.region_code], from: day.day, to: day.day };
    for (const [type, c] of Object.entries(CASES)) {
      made[type] = {
        [AccessLevel.RESTRICTED]: await c.make(t.dataSource, f, AccessLevel.RESTRICTED),
        [AccessLevel.CONFIDENTIAL]: await c.make(t.dataSource, f, AccessLevel.CONFIDENTIAL),
      } as Record<Level, string>;
    }
  });
  afterAll(() => t.close());

  it('covers every record type that has a confidentiality, and every type with visibility dependencies', () => {
    const recordTypes = ENTITIES.filter((e) => e.prototype instanceof VigilRecord).map((e) => e.name);
    expect(Object.keys(CASES).sort()).toEqual(recordTypes.sort());
    for (const type of Object.keys(VISIBILITY_DEPENDENCIES)) expect(Object.keys(CASES)).toContain(type);
  });

  // The rule's dependency checks read "no linked record that is hidden" (NOT EXISTS): that equals
  // "the linked record is visible" only because a reference always names a record that exists.
  it('follows only references that are foreign keys, so that every one names a record that exists', async () => {
    const keys: { table: string; column: string; target: string }[] = await t.dataSource.query(`
      SELECT c.conrelid::regclass::text AS table, a.attname AS column, c.confrelid::regclass::text AS target
        FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND cardinality(c.conkey) = 1`);
    const references = Object.entries(VISIBILITY_DEPENDENCIES).flatMap(([entity, deps]) =>
      deps.map((d) => ({ table: t.dataSource.getMetadata(entity).tableName, column: d.column, target: d.table })),
    );
    expect(references.length).toBeGreaterThan(8);
    for (const reference of references) expect(keys).toContainEqual(reference);
  });

  const cases = Object.keys(CASES).flatMap((type) =>
    [AccessLevel.RESTRICTED, AccessLevel.CONFIDENTIAL].flatMap((level) => ROLES.map((role) => ({ type, level: level as Level, role }))),
  );
  describe.each(cases)('a $level $type as $role', ({ type, level, role }) => {
    it('shows, and counts, exactly when the role may see it', async () => {
      const id = made[type][level];
      const allowed = new Viewer(role).mayRead(level);
      for (const check of CASES[type].checks(f, id)) {
        const variables =
          check.variables?.id === ''
            ? { id: sourceOfCitation }
            : check.variables?.id === 'FIRST_ORGANIZATION'
              ? { id: firstOrganization }
              : check.variables?.id === 'INCIDENT_PAGE'
                ? incidentPage
                : check.variables;
        const { body } = await t.gql(check.query, variables, role);
        expect({ check: check.label, errors: body.errors ?? [] }).toEqual({ check: check.label, errors: [] });
        expect({ check: check.label, shows: check.shows(body.data, id) }).toEqual({ check: check.label, shows: allowed });
        if (check.counted) {
          const [total, shown] = check.counted(body.data);
          expect({ check: check.label, total }).toEqual({ check: check.label, total: shown });
        }
      }
    });
  });

  it('counts independent sources among visible sources only', async () => {
    const query = 'query($id: ID!) { incident(id: $id) { independentSourceCount } }';
    const counts: Record<string, number> = {};
    for (const role of ROLES) counts[role] = (await t.gql(query, { id: f.incidentId }, role)).body.data!.incident.independentSourceCount;
    // Two hidden publishers (one RESTRICTED, one CONFIDENTIAL) cite the incident.
    expect(counts[Role.RESEARCHER]).toBe(counts[Role.PUBLIC] + 1);
    expect(counts[Role.EDITOR]).toBe(counts[Role.PUBLIC] + 2);
    expect(counts[Role.ADMIN]).toBe(counts[Role.EDITOR]);
  });
});
