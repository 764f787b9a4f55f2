import { buildSchema, graphql, GraphQLObjectType, GraphQLSchema, parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { DataSource } from 'typeorm';
import { AccessRecorder } from '../access/access-recorder';
import { enforceAccess } from '../access/graphql-access';
import { Role } from '../access/role';
import { ANONYMOUS, Viewer } from '../access/viewer';
import { withPropertyFields } from './property-fields';

const SDL = `
  directive @requiresRole(role: RequiredRole!) on FIELD_DEFINITION
  directive @sensitive(level: Sensitivity!) on FIELD_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
  enum RequiredRole { PUBLIC RESEARCHER EDITOR ADMIN }
  enum Sensitivity { RESTRICTED CONFIDENTIAL }
  type Span { start: String precision: String }
  type Thing { id: ID! name: String secret: String @sensitive(level: RESTRICTED) span: Span label: String shown: String }
  type Group { month: String count: Int }
  type Page { things: [Thing!]! total: Int }
  type Query { page: Page @requiresRole(role: PUBLIC) groups: [Group!]! @requiresRole(role: PUBLIC) }
`;

/** What @nestjs/graphql gives a plain `@Field` (ObjectTypeDefinitionFactory.createFieldResolver). */
function nestReader(property: string, defaultValue?: unknown) {
  const rootFieldResolver = (root: Record<string, unknown>) => {
    const value = root[property];
    return typeof value === 'undefined' ? defaultValue : value;
  };
  return rootFieldResolver;
}

/** A schema as Nest builds it: every field of an object type a property reader. `label` has a
 * default value; `shown` has a resolver of its own that only looks like a reader. */
function nestSchema(): GraphQLSchema {
  const schema = buildSchema(SDL);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) field.resolve = nestReader(field.name);
  }
  const thing = (schema.getType('Thing') as GraphQLObjectType).getFields();
  thing.label.resolve = nestReader('label', 'no label');
  thing.shown.resolve = (root: { name?: string }) => `shown: ${root.name}`;
  return schema;
}

/** The metadata withPropertyFields reads: `Thing` an entity with its columns and the embedded `span`. */
const dataSource = {
  entityMetadatas: [
    {
      targetName: 'Thing',
      ownColumns: ['id', 'name', 'secret', 'label', 'shown', 'start', 'precision'].map((propertyName) => ({
        propertyName,
        embeddedMetadata: ['start', 'precision'].includes(propertyName) ? {} : undefined,
      })),
      embeddeds: [{ propertyName: 'span', type: class Span {}, columns: [{ propertyName: 'start' }, { propertyName: 'precision' }] }],
    },
  ],
} as unknown as DataSource;

const fieldsOf = (schema: GraphQLSchema, type: string) => (schema.getType(type) as GraphQLObjectType).getFields();

const root = {
  page: {
    things: [{ id: 't1', name: 'a name', secret: 'the secret', span: { start: '2017-03', precision: 'MONTH' } }],
    // A promise in a property, as a connection's totalCount.
    get total() {
      return Promise.resolve(7);
    },
  },
  groups: [{ month: '2017-03', count: 2 }],
};
const QUERY = '{ page { total things { id name secret label shown span { start precision } } } groups { month count } }';
const researcher = new Viewer(Role.RESEARCHER, 'a1', 'r@example.org');

describe('withPropertyFields', () => {
  const schema = withPropertyFields(enforceAccess(nestSchema()), dataSource, ['Group']);

  it("takes Nest's property reader off an entity's columns and embedded objects, the embedded object's columns and the plain types' fields", () => {
    const thing = fieldsOf(schema, 'Thing');
    expect([thing.id.resolve, thing.name.resolve, thing.span.resolve]).toEqual([undefined, undefined, undefined]);
    expect([fieldsOf(schema, 'Span').start.resolve, fieldsOf(schema, 'Group').month.resolve, fieldsOf(schema, 'Group').count.resolve]).toEqual([undefined, undefined, undefined]);
  });

  it('keeps every other resolver: the access wrapper, a property that may hold a promise, a default value, a resolver of its own', () => {
    const thing = fieldsOf(schema, 'Thing');
    expect(thing.secret.resolve).toBeDefined();
    expect(fieldsOf(schema, 'Page').total.resolve).toBeDefined();
    expect(thing.label.resolve).toBeDefined();
    expect(thing.shown.resolve).toBeDefined();
    expect(fieldsOf(schema, 'Query').page.resolve).toBeDefined();
  });

  it.each([
    ['interpreted', false],
    ['compiled (graphql-jit)', true],
  ])('answers as the schema with every reader does, %s, for each role', async (_how, compiled) => {
    const reference = enforceAccess(nestSchema());
    const run = async (s: GraphQLSchema, viewer: Viewer) => {
      const contextValue = { viewer, access: new AccessRecorder() };
      if (!compiled) return JSON.parse(JSON.stringify(await graphql({ schema: s, source: QUERY, rootValue: root, contextValue })));
      const query = compileQuery(s, parse(QUERY));
      if (!isCompiledQuery(query)) throw new Error('not compiled');
      return JSON.parse(JSON.stringify(await query.query(root, contextValue, {})));
    };
    for (const viewer of [ANONYMOUS, researcher]) {
      const answer = await run(schema, viewer);
      expect(answer).toEqual(await run(reference, viewer));
      expect(answer.data.page.total).toBe(7);
      expect(answer.data.page.things[0].label).toBe('no label');
      if (viewer === ANONYMOUS) {
        expect(answer.data.page.things[0].secret).toBeNull();
        expect(answer.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
        expect(JSON.stringify(answer)).not.toContain('the secret');
      } else {
        expect(answer.data.page.things[0].secret).toBe('the secret');
      }
    }
  });
});
