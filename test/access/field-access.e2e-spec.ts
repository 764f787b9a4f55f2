/**
 * Generated from the declarations: for every @Sensitive field, every role and every way the
 * schema offers to reach the field's type (at any depth, under an alias, in inline and named
 * fragments), the value is returned exactly when the role may read it, and otherwise appears
 * nowhere in the response. A protected field on a type, or a new way to reach such a type, that
 * this file does not cover fails the coverage tests below.
 */
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { getDirective } from '@graphql-tools/utils';
import { getNamedType, GraphQLSchema, isObjectType } from 'graphql';
import { AccessLevel } from '../../src/access/access-level';
import { requiresRoleDirective, sensitiveDirective } from '../../src/access/graphql-access';
import { CLEARANCE, Role, roleAtLeast } from '../../src/access/role';
import { SENSITIVE_FIELDS } from '../../src/access/sensitive.decorator';
import { Viewer } from '../../src/access/viewer';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { ENTITIES } from '../../src/database/entities';
import { AccessFixture, buildAccessFixture } from '../support/access-fixture';
import { ROLES, startTestApp, TestApp } from '../support/test-app';

interface Path {
  /** The schema coordinates walked from the root, e.g. ['Query.person', 'Person.involvements']. */
  via: string[];
  /** The least role allowed to run the root operation (PUBLIC when omitted). */
  requires?: Role;
  /** The operation; SEL marks where the selection on the target type goes. */
  query: string;
  variables?: Record<string, unknown>;
  /** The object with the subject's id, found in the response data. */
  pick: (data: any, id: string) => any;
}

const byId = (list: any[] | undefined, id: string) => (list ?? []).find((n) => n?.id === id);

/** Every way to reach a type that carries protected fields. */
const PATHS: Record<string, (f: AccessFixture) => Path[]> = {
  Incident: (f) => [
    { via: ['Query.incident'], query: 'query($id: ID!) { root: incident(id: $id) { SEL } }', variables: { id: f.incidentId }, pick: (d) => d.root },
    { via: ['Query.incidents'], query: '{ root: incidents(first: 100) { edges { node { SEL } } } }', pick: (d, id) => byId(d.root?.edges.map((e: any) => e.node), id) },
    {
      via: ['Query.advocacyResponse', 'AdvocacyResponse.incidents'],
      query: 'query($id: ID!) { root: advocacyResponse(id: $id) { incidents { SEL } } }',
      variables: { id: f.responseId },
      pick: (d, id) => byId(d.root?.incidents, id),
    },
    {
      via: ['Query.citation', 'Citation.incident'],
      query: 'query($id: ID!) { root: citation(id: $id) { incident { SEL } } }',
      variables: { id: f.citationId },
      pick: (d) => d.root?.incident,
    },
    {
      via: ['Query.situation', 'Situation.incidents'],
      query: 'query($id: ID!) { root: situation(id: $id) { incidents { SEL } } }',
      variables: { id: f.situationId },
      pick: (d, id) => byId(d.root?.incidents, id),
    },
    {
      via: ['Query.person', 'Person.involvements', 'Involvement.incident'],
      query: 'query($id: ID!) { root: person(id: $id) { involvements { incident { SEL } } } }',
      variables: { id: f.personId },
      pick: (d) => d.root?.involvements[0]?.incident,
    },
    {
      via: ['Query.timeline', 'TimelineEntry.incident'],
      query: '{ root: timeline(first: 100, entryKinds: [INCIDENT]) { edges { node { incident { SEL } } } } }',
      pick: (d, id) => byId(d.root?.edges.map((e: any) => e.node.incident), id),
    },
  ],
  Person: (f) => [
    { via: ['Query.person'], query: 'query($id: ID!) { root: person(id: $id) { SEL } }', variables: { id: f.personId }, pick: (d) => d.root },
    { via: ['Query.people'], query: '{ root: people(first: 100) { edges { node { SEL } } } }', pick: (d, id) => byId(d.root?.edges.map((e: any) => e.node), id) },
    {
      via: ['Query.incident', 'Incident.involvements', 'Involvement.person'],
      query: 'query($id: ID!) { root: incident(id: $id) { involvements { person { SEL } } } }',
      variables: { id: f.incidentId },
      pick: (d) => d.root?.involvements[0]?.person,
    },
  ],
  Involvement: (f) => [
    {
      via: ['Query.incident', 'Incident.involvements'],
      query: 'query($id: ID!) { root: incident(id: $id) { involvements { SEL } } }',
      variables: { id: f.incidentId },
      pick: (d, id) => byId(d.root?.involvements, id),
    },
    {
      via: ['Query.person', 'Person.involvements'],
      query: 'query($id: ID!) { root: person(id: $id) { involvements { SEL } } }',
      variables: { id: f.personId },
      pick: (d, id) => byId(d.root?.involvements, id),
    },
  ],
  Revision: (f) => [
    {
      via: ['Query.revisions'],
      requires: Role.EDITOR,
      query: 'query($id: ID!) { root: revisions(type: INCIDENT, id: $id) { SEL } }',
      variables: { id: f.incidentId },
      pick: (d, id) => byId(d.root, id),
    },
  ],
  AuditEvent: () => [
    {
      via: ['Query.auditEvents'],
      requires: Role.ADMIN,
      query: '{ root: auditEvents(first: 100, filter: { actions: [CREATE] }) { edges { node { SEL } } } }',
      pick: (d, id) => byId(d.root?.edges.map((e: any) => e.node), id),
    },
  ],
};

/** The declared protected fields, by GraphQL type name (entity classes keep their names). */
const DECLARED = SENSITIVE_FIELDS.map((d) => ({ type: d.target.name, field: d.property, level: d.level }));
const TYPES = [...new Set(DECLARED.map((d) => d.type))];

/** Strings that would show a value leaked: the value itself, or each string and number in it. */
function markers(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'object') return Object.values(value as object).flatMap(markers);
  // A two-letter value (a record's language, "en") is no marker: it is inside every other word.
  return String(value).length > 2 ? [String(value)] : [];
}

describe('protected fields, generated from their declarations', () => {
  let t: TestApp;
  let f: AccessFixture;
  let schema: GraphQLSchema;
  const subjectIds: Record<string, string> = {};
  const expected: Record<string, unknown> = {};

  beforeAll(async () => {
    t = await startTestApp();
    f = await buildAccessFixture(t.dataSource);
    schema = t.app.get(GraphQLSchemaHost).schema;
    // Accounts for every role exist before the audit subject is chosen (creating them is audited).
    for (const role of ROLES) if (role !== Role.PUBLIC) await t.tokenFor(role);
    const [audit] = await t.dataSource.query(`SELECT id FROM audit_event WHERE changes IS NOT NULL ORDER BY id LIMIT 1`);
    // A revision of the fixture incident, made through the API, holding a protected value.
    const [{ version }] = await t.dataSource.query(`SELECT version FROM incident WHERE id = $1`, [f.incidentId]);
    const edit = await t.gql(
      `mutation($input: UpdateIncidentInput!) { updateIncident(input: $input) { id } }`,
      { input: { id: f.incidentId, version, changes: { internalNotes: 'revised notes 7c1f' } } },
      Role.EDITOR,
    );
    expect(edit.body.errors).toBeUndefined();
    const [revision] = await t.dataSource.query(`SELECT id FROM revision WHERE subject_id = $1 AND action = 'UPDATE'`, [f.incidentId]);
    Object.assign(subjectIds, {
      Incident: f.incidentId,
      Person: f.personId,
      Involvement: f.involvementId,
      AuditEvent: String(audit.id),
      Revision: String(revision.id),
    });
    for (const d of DECLARED) {
      const entity = ENTITIES.find((e) => e.name === d.type) ?? AuditEvent;
      const row = await t.dataSource.getRepository<{ id: string }>(entity).findOneByOrFail({ id: subjectIds[d.type] });
      expected[`${d.type}.${d.field}`] = JSON.parse(JSON.stringify((row as unknown as Record<string, unknown>)[d.field]));
    }
  });
  afterAll(() => t.close());

  describe('coverage', () => {
    it('has a value to leak for every protected field (the tests below cannot pass vacuously)', () => {
      for (const d of DECLARED) expect({ field: `${d.type}.${d.field}`, value: expected[`${d.type}.${d.field}`] ?? null }).toEqual({ field: `${d.type}.${d.field}`, value: expect.anything() });
    });

    it('matches the schema: every @sensitive field is declared with @Sensitive, and the reverse', () => {
      const inSchema: string[] = [];
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || type.name.startsWith('__')) continue;
        for (const field of Object.values(type.getFields())) {
          const level = getDirective(schema, field, sensitiveDirective.name)?.[0]?.level;
          if (level) inSchema.push(`${type.name}.${field.name}:${level}`);
        }
      }
      expect(inSchema.sort()).toEqual(DECLARED.map((d) => `${d.type}.${d.field}:${d.level}`).sort());
    });

    it('walks every field that leads to a type with protected fields', () => {
      const leadsTo = new Set<string>();
      for (const type of Object.values(schema.getTypeMap())) {
        // Mutations are covered by the test below: they require a role that reads every level.
        if (!isObjectType(type) || type.name.startsWith('__') || type.name.endsWith('Edge') || type === schema.getMutationType()) continue;
        for (const field of Object.values(type.getFields())) {
          const target = getNamedType(field.type).name;
          if (TYPES.some((t) => target === t || target === `${t}Connection`)) leadsTo.add(`${type.name}.${field.name}`);
        }
      }
      const walked = new Set(TYPES.flatMap((type) => (PATHS[type]?.(f) ?? []).flatMap((p) => p.via)));
      expect([...leadsTo].filter((c) => !walked.has(c))).toEqual([]);
      expect(TYPES.filter((type) => !PATHS[type])).toEqual([]);
    });
  });

  it('lets only roles that read every level run mutations whose results lead to protected fields', () => {
    const highest = AccessLevel.CONFIDENTIAL;
    const reaches = (start: string): boolean => {
      const seen = new Set<string>();
      const queue = [start];
      while (queue.length) {
        const type = schema.getType(queue.pop()!);
        if (!isObjectType(type) || seen.has(type.name)) continue;
        seen.add(type.name);
        if (TYPES.includes(type.name)) return true;
        for (const f of Object.values(type.getFields())) queue.push(getNamedType(f.type).name);
      }
      return false;
    };
    for (const field of Object.values(schema.getMutationType()!.getFields())) {
      if (!reaches(getNamedType(field.type).name)) continue;
      const role = getDirective(schema, field, requiresRoleDirective.name)?.[0]?.role as Role | undefined;
      const label = `Mutation.${field.name}`;
      expect({ label, readsEverything: !!role && new Viewer(role).mayRead(highest) }).toEqual({ label, readsEverything: true });
    }
  });

  const cases = DECLARED.flatMap((d) => ROLES.map((role) => ({ ...d, role, coordinate: `${d.type}.${d.field}` })));
  describe.each(cases)('$coordinate ($level) as $role', ({ type, field, level, role, coordinate }) => {
    it('is returned on every path exactly when the role may read it', async () => {
      const viewer = new Viewer(role);
      for (const path of PATHS[type](f)) {
        const selection = `id plain: ${field} ... on ${type} { viaFragment: ${field} } ...Named`;
        const query = `${path.query.replace('SEL', selection)} fragment Named on ${type} { ${field} }`;
        const { status, body } = await t.gql(query, path.variables, role);
        const label = `${coordinate} as ${role} via ${path.via.join(' > ')}`;
        expect({ label, status }).toEqual({ label, status: 200 });
        const mayRun = roleAtLeast(role, path.requires ?? Role.PUBLIC);
        const mayRead = viewer.mayRead(level);
        if (mayRun && mayRead) {
          const subject = path.pick(body.data, subjectIds[type]);
          expect({ label, errors: body.errors ?? [] }).toEqual({ label, errors: [] });
          const value = expected[coordinate];
          expect({ label, plain: subject?.plain, viaFragment: subject?.viaFragment, named: subject?.[field] }).toEqual({
            label, plain: value, viaFragment: value, named: value,
          });
          continue;
        }
        // Denied: the value is nowhere in the response, and the errors say why.
        const text = JSON.stringify(body);
        for (const marker of markers(expected[coordinate])) expect({ label, leaked: text.includes(marker) ? marker : null }).toEqual({ label, leaked: null });
        expect(body.errors?.length).toBeGreaterThan(0);
        for (const e of body.errors ?? []) expect(e.extensions?.code).toBe('FORBIDDEN');
        if (mayRun) {
          const subject = path.pick(body.data, subjectIds[type]);
          expect({ label, plain: subject.plain, viaFragment: subject.viaFragment, named: subject[field] }).toEqual({
            label, plain: null, viaFragment: null, named: null,
          });
          // One error per selection of the field (per record, in a list), each naming it.
          const denied = new Set((body.errors ?? []).filter((e) => e.extensions?.field === coordinate).map((e) => e.path?.at(-1)));
          expect({ label, denied: [...denied].sort() }).toEqual({ label, denied: [field, 'plain', 'viaFragment'].sort() });
        } else {
          expect(body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRole: path.requires });
        }
      }
      expect(CLEARANCE[role]).toBeDefined();
    });
  });

  it('protects a level strictly: PUBLIC never reads RESTRICTED, RESEARCHER never reads CONFIDENTIAL', () => {
    expect(new Viewer(Role.PUBLIC).mayRead(AccessLevel.RESTRICTED)).toBe(false);
    expect(new Viewer(Role.RESEARCHER).mayRead(AccessLevel.CONFIDENTIAL)).toBe(false);
    expect(new Viewer(Role.EDITOR).mayRead(AccessLevel.CONFIDENTIAL)).toBe(true);
  });
});
