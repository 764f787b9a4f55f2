import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLSchema, isObjectType } from 'graphql';
import { DataSource } from 'typeorm';

/** The name of the resolver @nestjs/graphql gives every `@Field` of an object type that has no
 * resolver of its own and no field middleware (ObjectTypeDefinitionFactory.createFieldResolver):
 * `root[name]`, or the field's `defaultValue` when that is undefined. */
const NEST_PROPERTY_READER = 'rootFieldResolver';

const PROBE = Symbol('probe');

/** Whether `resolve` is @nestjs/graphql's property reader and reads exactly the property the
 * field is named after, with no default value of its own. */
function readsPropertyOnly(resolve: (...args: never[]) => unknown, fieldName: string): boolean {
  if (resolve.name !== NEST_PROPERTY_READER || resolve.length !== 1) return false;
  const read = resolve as unknown as (root: Record<string, unknown>) => unknown;
  return read({ [fieldName]: PROBE }) === PROBE && read({}) === undefined;
}

/** The fields, by object type name, whose value is always a plain value already in the object:
 * an entity's columns and embedded objects, the columns of an embedded object (an entity's class
 * and an embedded class are the GraphQL type of the same name), and every field of the types named
 * in `plainTypes` (objects a service builds whole, such as an aggregate's groups). */
export function plainFields(schema: GraphQLSchema, dataSource: DataSource, plainTypes: readonly string[]): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>();
  const add = (type: string, names: readonly string[]) => {
    if (!fields.has(type)) fields.set(type, new Set());
    for (const name of names) fields.get(type)!.add(name);
  };
  for (const entity of dataSource.entityMetadatas) {
    add(entity.targetName, [...entity.ownColumns.filter((c) => !c.embeddedMetadata).map((c) => c.propertyName), ...entity.embeddeds.map((e) => e.propertyName)]);
    for (const embedded of entity.embeddeds) {
      if (typeof embedded.type === 'function') add(embedded.type.name, embedded.columns.map((c) => c.propertyName));
    }
  }
  for (const name of plainTypes) {
    const graphqlType = schema.getType(name);
    if (!isObjectType(graphqlType)) throw new Error(`${name} is not an object type of the schema`);
    add(name, Object.keys(graphqlType.getFields()));
  }
  return fields;
}

/**
 * The schema with Nest's property readers taken off the fields that hold a plain value, so that
 * GraphQL reads them as properties instead of calling a function per field.
 *
 * @nestjs/graphql gives each `@Field` without a resolver of its own a function that reads the
 * property. graphql-jit (Mercurius `jit`) compiles a field without a resolver into a property read
 * inside the query's code; a field with one is called through its resolver machinery (a resolve
 * info, a try/catch, a check for a promise), hundreds of times a page and thousands for an
 * aggregate of 323 groups (bench/README.md, "Round 3 (issue 18)").
 *
 * Only fields listed by `plainFields` lose the reader: compiled code does not wait for a
 * promise in a property it reads, so a property that may hold one (a connection's `totalCount`)
 * keeps its resolver. A getter that throws (a column a partial record was not read with,
 * src/database/entity-rows.ts) fails the whole compiled request instead of that field: still an
 * error, and no value.
 *
 * Applied after the access enforcement (src/access/graphql-access.ts): a field it wraps has its
 * wrapper as resolver, which is never taken off, and the reader inside the wrapper still runs.
 */
export function withPropertyFields(schema: GraphQLSchema, dataSource: DataSource, plainTypes: readonly string[]): GraphQLSchema {
  const plain = plainFields(schema, dataSource, plainTypes);
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      if (!fieldConfig.resolve || !plain.get(typeName)?.has(fieldName) || !readsPropertyOnly(fieldConfig.resolve, fieldName)) return fieldConfig;
      return { ...fieldConfig, resolve: undefined };
    },
  });
}
