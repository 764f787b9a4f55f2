/**
 * Filters and sorts on protected fields take the fields' sensitivity: refused (FORBIDDEN, no data)
 * to a viewer who may not read the field, so they cannot serve as an oracle. Every @sensitive
 * input field and enum value in the schema must have a case here.
 */
import { getDirective } from '@graphql-tools/utils';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { isEnumType, isInputObjectType } from 'graphql';
import { AccessLevel } from '../../src/access/access-level';
import { sensitiveDirective } from '../../src/access/graphql-access';
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
};

describe('filters and sorts on protected fields', () => {
  let t: TestApp;
  let f: AccessFixture;
  const levels: Record<string, AccessLevel> = {};

  beforeAll(async () => {
    t = await startTestApp();
    f = await buildAccessFixture(t.dataSource);
    const schema = t.app.get(GraphQLSchemaHost).schema;
    for (const type of Object.values(schema.getTypeMap())) {
      const members = isInputObjectType(type) ? Object.values(type.getFields()) : isEnumType(type) ? type.getValues() : [];
      for (const member of members) {
        const level = getDirective(schema, member, sensitiveDirective.name)?.[0]?.level;
        if (level) levels[`${type.name}.${member.name}`] = level;
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
