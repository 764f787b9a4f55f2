/**
 * Filters and sorts on protected fields take the fields' sensitivity: refused (FORBIDDEN, no data)
 * to a viewer who may not read the field, so they cannot serve as an oracle. Every @sensitive
 * input field and enum value in the schema must have a case here.
 */
import { getDirective } from '@graphql-tools/utils';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { getNamedType, GraphQLInputType, GraphQLSchema, isEnumType, isInputObjectType } from 'graphql';
import { AccessLevel } from '../../src/access/access-level';
import { requiresRoleDirective, sensitiveDirective } from '../../src/access/graphql-access';
import { Role } from '../../src/access/role';
import { Viewer } from '../../src/access/viewer';
import { AccessFixture, buildAccessFixture, SECRET } from '../support/access-fixture';
import { ROLES, startTestApp, TestApp } from '../support/test-app';

interface ArgumentCase {
  /** A query using the protected filter field or sort value, and one that probes with a wrong guess. */
  query: string;
  variables: (f: AccessFixture) => Record<string, unknown>;
  wrongGuess: (f: AccessFixture) => Record<string, unknown>;
  /** What a permitted viewer sees: the subject's id is in the result. */
  ids: (data: any) => string[];
  subject: (f: AccessFixture) => string;
}

const nodeIds = (conn: any) => conn.edges.map((e: any) => e.node.id);

/** A deleted record of each list's type, made in beforeAll: what includeDeleted reveals. */
const deleted: Record<string, string> = {};
const LISTS: Record<string, { list: string; table: string }> = {
  IncidentFilter: { list: 'incidents', table: 'incident' },
  SituationFilter: { list: 'situations', table: 'situation' },
  SourceFilter: { list: 'sources', table: 'source' },
  ResponseFilter: { list: 'advocacyResponses', table: 'advocacy_response' },
  PersonFilter: { list: 'people', table: 'person' },
  OrganizationFilter: { list: 'organizations', table: 'organization' },
};
const NEW_RECORDS: Record<string, { mutation: string; type: string; input: Record<string, unknown> }> = {
  incident: { mutation: 'createIncident', type: 'INCIDENT', input: { kind: 'DETENTION', headline: 'Deleted', date: { edtf: '2017' }, regionCode: 'RU', confidentiality: 'RESTRICTED' } },
  situation: { mutation: 'createSituation', type: 'SITUATION', input: { name: 'Deleted', date: { edtf: '2017' } } },
  source: { mutation: 'createSource', type: 'SOURCE', input: { kind: 'NEWS_REPORT', publisher: 'Deleted', title: 'Deleted', published: { edtf: '2017' } } },
  advocacy_response: { mutation: 'createAdvocacyResponse', type: 'ADVOCACY_RESPONSE', input: { kind: 'PETITION', title: 'Deleted', date: { edtf: '2017' }, confidentiality: 'RESTRICTED' } },
  person: { mutation: 'createPerson', type: 'PERSON', input: { pseudonym: 'Deleted' } },
  organization: { mutation: 'createOrganization', type: 'ORGANIZATION', input: { name: 'Deleted', kind: 'NGO' } },
};
const includeDeletedCases: Record<string, ArgumentCase> = Object.fromEntries(
  Object.entries(LISTS).map(([filter, { list, table }]) => [
    `${filter}.includeDeleted`,
    {
      query: `query($d: Boolean!) { ${list}(filter: { includeDeleted: $d }, first: 100) { edges { node { id deletedAt } } } }`,
      variables: () => ({ d: true }),
      wrongGuess: () => ({ d: false }),
      ids: (d: any) => nodeIds(d[list]),
      subject: () => deleted[table],
    },
  ]),
);

const CASES: Record<string, ArgumentCase> = {
  'PersonFilter.name': {
    query: 'query($name: String!) { people(filter: { name: $name }) { totalCount edges { node { id } } } }',
    variables: () => ({ name: SECRET.fullName.slice(0, 14).toLowerCase() }),
    wrongGuess: () => ({ name: 'nobody by this name' }),
    ids: (d) => nodeIds(d.people),
    subject: (f) => f.personId,
  },
  'PersonOrder.FULL_NAME': {
    query: 'query($first: Int) { people(orderBy: FULL_NAME, first: $first) { edges { node { id } } } }',
    variables: () => ({ first: 100 }),
    wrongGuess: () => ({ first: 1 }),
    ids: (d) => nodeIds(d.people),
    subject: (f) => f.personId,
  },
  'IncidentFilter.within': {
    query: 'query($box: BoundingBox!) { incidents(filter: { within: $box }) { totalCount edges { node { id } } } }',
    variables: () => ({ box: { south: 43.3, north: 43.4, west: 45.6, east: 45.7 } }),
    wrongGuess: () => ({ box: { south: -1, north: 1, west: -1, east: 1 } }),
    ids: (d) => nodeIds(d.incidents),
    subject: (f) => f.incidentId,
  },
  ...includeDeletedCases,
};

describe('filters and sorts on protected fields', () => {
  let t: TestApp;
  let f: AccessFixture;
  const levels: Record<string, AccessLevel> = {};
  const writeLevels: Record<string, AccessLevel> = {};
  let schema: GraphQLSchema;

  /** Input types reachable from the arguments of a root type's fields. */
  const inputsOf = (root: { getFields(): Record<string, { args: readonly { type: GraphQLInputType }[] }> }): Set<string> => {
    const seen = new Set<string>();
    const visit = (type: GraphQLInputType) => {
      const named = getNamedType(type);
      if (seen.has(named.name)) return;
      seen.add(named.name);
      if (isInputObjectType(named)) for (const f of Object.values(named.getFields())) visit(f.type);
    };
    for (const field of Object.values(root.getFields())) for (const arg of field.args) visit(arg.type);
    return seen;
  };

  beforeAll(async () => {
    t = await startTestApp();
    f = await buildAccessFixture(t.dataSource);
    // A deleted record of each listed type, written and deleted through the API.
    for (const [table, { mutation, input, type }] of Object.entries(NEW_RECORDS)) {
      const made = await t.gql(`mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { r: ${mutation}(input: $input) { id } }`, { input }, Role.EDITOR);
      deleted[table] = made.body.data!.r.id;
      const gone = await t.gql(`mutation($input: RecordVersionInput!) { deleteRecord(input: $input) { id } }`, { input: { type, id: deleted[table], version: 1 } }, Role.EDITOR);
      expect(gone.body.errors).toBeUndefined();
    }
    schema = t.app.get(GraphQLSchemaHost).schema;
    const queryInputs = inputsOf(schema.getQueryType()!);
    for (const type of Object.values(schema.getTypeMap())) {
      const members = isInputObjectType(type) ? Object.values(type.getFields()) : isEnumType(type) ? type.getValues() : [];
      for (const member of members) {
        const level = getDirective(schema, member, sensitiveDirective.name)?.[0]?.level;
        if (!level) continue;
        // Inputs only mutations take are checked below: mutations require a role that reads them.
        if (queryInputs.has(type.name)) levels[`${type.name}.${member.name}`] = level;
        else writeLevels[`${type.name}.${member.name}`] = level;
      }
    }
  });

  it('carries each write input field\'s level, and only mutations that require a role reading it take it', () => {
    expect(writeLevels).toMatchObject({
      'CreatePersonInput.fullName': AccessLevel.RESTRICTED,
      'PersonChanges.contact': AccessLevel.CONFIDENTIAL,
      'IncidentChanges.latitude': AccessLevel.RESTRICTED,
      'NewInvolvementInput.description': AccessLevel.RESTRICTED,
    });
    for (const field of Object.values(schema.getMutationType()!.getFields())) {
      const role = getDirective(schema, field, requiresRoleDirective.name)?.[0]?.role as Role;
      const carried = [...inputsOf({ getFields: () => ({ [field.name]: field }) } as never)]
        .flatMap((name) => Object.entries(writeLevels).filter(([c]) => c.startsWith(`${name}.`)));
      for (const [coordinate, level] of carried) {
        expect({ mutation: field.name, coordinate, mayRead: new Viewer(role).mayRead(level) }).toEqual({ mutation: field.name, coordinate, mayRead: true });
      }
    }
  });
  afterAll(() => t.close());

  it('has a case for every protected filter field and sort value in the schema', () => {
    expect(Object.keys(levels).sort()).toEqual(Object.keys(CASES).sort());
  });

  it('derives each one\'s level from the field it reads', () => {
    expect(levels).toEqual({
      'PersonFilter.name': AccessLevel.RESTRICTED,
      'PersonOrder.FULL_NAME': AccessLevel.RESTRICTED,
      'IncidentFilter.within': AccessLevel.RESTRICTED,
      ...Object.fromEntries(Object.keys(includeDeletedCases).map((c) => [c, AccessLevel.CONFIDENTIAL])),
    });
  });

  describe.each(Object.keys(CASES).flatMap((coordinate) => ROLES.map((role) => ({ coordinate, role }))))('$coordinate as $role', ({ coordinate, role }) => {
    it('works exactly when the role may read the field, and otherwise tells nothing', async () => {
      const c = CASES[coordinate];
      const allowed = new Viewer(role).mayRead(levels[coordinate]);
      const hit = await t.gql(c.query, c.variables(f), role);
      const miss = await t.gql(c.query, c.wrongGuess(f), role);
      if (allowed) {
        expect(hit.body.errors).toBeUndefined();
        expect(c.ids(hit.body.data)).toContain(c.subject(f));
        return;
      }
      for (const res of [hit, miss]) {
        expect(res.status).toBe(200);
        expect(res.body.data).toBeNull();
        expect(res.body.errors).toHaveLength(1);
        expect(res.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', field: coordinate });
      }
      // A right and a wrong guess get the same answer: no oracle.
      expect(miss.body).toEqual(hit.body);
    });
  });

  it('names the argument in the refusal and never echoes the value', async () => {
    const { body } = await t.gql(CASES['PersonFilter.name'].query, { name: SECRET.fullName });
    expect(body.errors![0].message).toBe('filter.name: not allowed to filter or sort on PersonFilter.name');
    expect(JSON.stringify(body)).not.toContain(SECRET.fullName);
  });

  it('sorts by full name for researchers, people without one last, paging without skips', async () => {
    const all: string[] = [];
    let after: string | null = null;
    do {
      const { body }: any = await t.gql(
        'query($after: String) { people(orderBy: FULL_NAME, first: 1, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }',
        { after },
        Role.RESEARCHER,
      );
      all.push(...nodeIds(body.data.people));
      after = body.data.people.pageInfo.hasNextPage ? body.data.people.pageInfo.endCursor : null;
    } while (after);
    const { body: count } = await t.gql('{ people { totalCount } }', {}, Role.RESEARCHER);
    expect(all).toHaveLength(count.data!.people.totalCount);
    expect(all[0]).toBe(f.personId);
  });

  it('validates a bounding box, naming the field', async () => {
    const { body } = await t.gql(CASES['IncidentFilter.within'].query, { box: { south: 50, north: 40, west: 0, east: 200 } }, Role.RESEARCHER);
    expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ path: 'filter.within.east', message: 'must be a longitude, -180 to 180' }] });
    const reversed = await t.gql(CASES['IncidentFilter.within'].query, { box: { south: 50, north: 40, west: 0, east: 10 } }, Role.RESEARCHER);
    expect(reversed.body.errors![0].message).toBe('filter.within.north: is south of south');
  });
});
