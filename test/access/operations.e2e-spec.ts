/**
 * Every query and mutation declares the least role that may run it. The snapshot lists them all:
 * a new operation changes it (review the role, then update the snapshot with `npx jest -u`), and
 * one without a declaration is refused (src/access/graphql-access.spec.ts). Each operation is then
 * called by every role below its own and must be refused before it does anything.
 */
import { getDirective } from '@graphql-tools/utils';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getNamedType,
  GraphQLField,
  GraphQLInputType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { requiresRoleDirective } from '../../src/access/graphql-access';
import { Role, roleAtLeast } from '../../src/access/role';
import { ROLES, startTestApp, TestApp } from '../support/test-app';

const SCALARS: Record<string, unknown> = {
  ID: '00000000-0000-4000-8000-000000000000',
  String: 'x',
  Int: 1,
  Float: 1,
  Boolean: false,
  DateTime: '2020-01-01T00:00:00.000Z',
  JSONObject: {},
};

/** A value of `type` that passes GraphQL's own validation (only required input fields are set). */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isScalarType(type)) {
    if (!(type.name in SCALARS)) throw new Error(`No sample for scalar ${type.name}: add one to SCALARS`);
    return SCALARS[type.name];
  }
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, sample(f.type)]),
    );
  }
  throw new Error(`Unexpected input type ${String(type)}`);
}

function request(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const args = field.args.filter((a) => isNonNullType(a.type));
  const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return {
    query: `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`,
    variables: Object.fromEntries(args.map((a) => [a.name, sample(a.type)])),
  };
}

function operations(schema: GraphQLSchema) {
  return (['query', 'mutation'] as const).flatMap((kind) => {
    const type = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
    return Object.values(type?.getFields() ?? {}).map((field) => ({
      kind,
      coordinate: `${type!.name}.${field.name}`,
      field,
      role: (getDirective(schema, field, requiresRoleDirective.name)?.[0]?.role as Role | undefined) ?? null,
    }));
  });
}

describe('operations and the roles they require', () => {
  let t: TestApp;
  let schema: GraphQLSchema;
  beforeAll(async () => {
    t = await startTestApp();
    schema = t.app.get(GraphQLSchemaHost).schema;
  });
  afterAll(() => t.close());

  it('lists every operation with its role (snapshot), and none is undeclared', () => {
    const list = operations(schema).map((o) => `${o.coordinate}: ${o.role ?? 'UNDECLARED (refused to everyone)'}`);
    expect(list.filter((l) => l.includes('UNDECLARED'))).toEqual([]);
    expect(list.join('\n')).toMatchSnapshot();
  });

  it('refuses each operation to every role below its own, before running it', async () => {
    const refusals: string[] = [];
    for (const op of operations(schema)) {
      const { query, variables } = request(op.kind, op.field);
      for (const role of ROLES) {
        const { status, body } = await t.gql(query, variables, role);
        expect({ op: op.coordinate, role, status }).toEqual({ op: op.coordinate, role, status: 200 });
        const refused = (body.errors ?? []).some((e) => e.extensions?.operation === op.coordinate && e.extensions?.code === 'FORBIDDEN');
        expect({ op: op.coordinate, role, refused }).toEqual({ op: op.coordinate, role, refused: !roleAtLeast(role, op.role!) });
        if (refused) refusals.push(`${op.coordinate} ${role}`);
      }
    }
    expect(refusals.length).toBeGreaterThan(0);
  });

  it('writes nothing for a refused mutation', async () => {
    const before = await t.dataSource.query('SELECT count(*)::int AS n FROM account');
    const { body } = await t.gql('mutation { createAccount(input: { email: "x@example.org", role: ADMIN }) { id } }', {}, Role.EDITOR);
    expect(body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRole: 'ADMIN' });
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM account')).toEqual(before);
  });
});
