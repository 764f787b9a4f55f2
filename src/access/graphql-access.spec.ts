import { buildSchema, graphql, GraphQLSchema } from 'graphql';
import { AccessRecorder } from './access-recorder';
import { enforceAccess } from './graphql-access';
import { Role } from './role';
import { ANONYMOUS, Viewer } from './viewer';

const SDL = `
  directive @requiresRole(role: RequiredRole!) on FIELD_DEFINITION
  directive @sensitive(level: Sensitivity!) on FIELD_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
  enum RequiredRole { PUBLIC RESEARCHER EDITOR ADMIN }
  enum Sensitivity { RESTRICTED CONFIDENTIAL }
  enum Order { NAME SECRET @sensitive(level: CONFIDENTIAL) }
  input Filter { name: String secret: String @sensitive(level: RESTRICTED) nested: [Filter!] }
  type Thing { id: ID! name: String secret: String @sensitive(level: RESTRICTED) }
  type Query {
    declared: String @requiresRole(role: PUBLIC)
    undeclared: String
    editorsOnly: String @requiresRole(role: EDITOR)
    thing: Thing @requiresRole(role: PUBLIC)
    things(filter: Filter, order: Order): [Thing!] @requiresRole(role: PUBLIC)
  }
`;

const thing = { id: 't1', name: 'public name', secret: 'the secret' };
const rootValue = { declared: 'ok', undeclared: 'should never be returned', editorsOnly: 'ok', thing, things: [thing] };

let schema: GraphQLSchema;
beforeAll(() => {
  schema = enforceAccess(buildSchema(SDL));
});

async function run(source: string, viewer: Viewer | undefined, access = new AccessRecorder()) {
  const result = await graphql({ schema, source, rootValue, contextValue: { viewer, access } });
  return { ...JSON.parse(JSON.stringify(result)), access };
}

const researcher = new Viewer(Role.RESEARCHER, 'a1', 'r@example.org');
const admin = new Viewer(Role.ADMIN, 'a2', 'admin@example.org');

describe('enforceAccess', () => {
  it('refuses an operation without a declared role to everyone, admins included', async () => {
    const { data, errors } = await run('{ undeclared }', admin);
    expect(data).toEqual({ undeclared: null });
    expect(errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN', operation: 'Query.undeclared' } });
    expect(errors[0].message).toBe('Query.undeclared declares no required role, so it is refused');
  });

  it('runs an operation for its role and above only', async () => {
    expect((await run('{ declared }', ANONYMOUS)).data).toEqual({ declared: 'ok' });
    const denied = await run('{ editorsOnly }', researcher);
    expect(denied.errors[0].extensions).toEqual({ code: 'FORBIDDEN', operation: 'Query.editorsOnly', requiredRole: 'EDITOR' });
    expect((await run('{ editorsOnly }', admin)).data).toEqual({ editorsOnly: 'ok' });
  });

  it('refuses everything when no viewer was established', async () => {
    const { errors } = await run('{ declared }', undefined);
    expect(errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('answers null and FORBIDDEN naming a protected field, and notes permitted reads for the audit log', async () => {
    const denied = await run('{ thing { name secret } }', ANONYMOUS);
    expect(denied.data).toEqual({ thing: { name: 'public name', secret: null } });
    expect(denied.errors).toEqual([expect.objectContaining({ path: ['thing', 'secret'], extensions: { code: 'FORBIDDEN', field: 'Thing.secret' } })]);
    expect(denied.access.isEmpty).toBe(true);

    const allowed = await run('{ thing { secret } }', researcher);
    expect(allowed.data).toEqual({ thing: { secret: 'the secret' } });
    expect(allowed.access.summary()).toEqual({
      operation: 'Query.thing', fields: ['Thing.secret'], kinds: ['PROTECTED_FIELD'], probes: null, level: 'RESTRICTED', subjects: ['Thing:t1'], subjectCount: 1,
    });
  });

  it('refuses protected filter fields and sort values at any depth, naming the argument path', async () => {
    const byField = await run('{ things(filter: { nested: [{ name: "x" }, { secret: "guess" }] }) { id } }', ANONYMOUS);
    expect(byField.errors[0]).toMatchObject({
      message: 'filter.nested[1].secret: not allowed to filter or sort on Filter.secret',
      extensions: { code: 'FORBIDDEN', field: 'Filter.secret', argument: 'filter.nested[1].secret' },
    });
    expect(JSON.stringify(byField)).not.toContain('guess');
    const bySort = await run('{ things(order: SECRET) { id } }', researcher);
    expect(bySort.errors[0].extensions).toMatchObject({ field: 'Order.SECRET', argument: 'order' });
    expect((await run('{ things(order: SECRET, filter: { secret: "x" }) { id } }', admin)).errors).toBeUndefined();
    expect((await run('{ things(order: NAME, filter: { name: "x" }) { id } }', ANONYMOUS)).errors).toBeUndefined();
  });

  it('refuses to build a schema where a protected field cannot answer null', () => {
    expect(() => enforceAccess(buildSchema(SDL.replace('secret: String @sensitive(level: RESTRICTED) }', 'secret: String! @sensitive(level: RESTRICTED) }')))).toThrow(
      'Thing.secret is @sensitive and must be nullable',
    );
  });
});
