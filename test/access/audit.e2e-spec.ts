import { Role } from '../../src/access/role';
import { AccessFixture, buildAccessFixture, SECRET } from '../support/access-fixture';
import { startTestApp, TestApp } from '../support/test-app';

describe('the audit log', () => {
  let t: TestApp;
  let f: AccessFixture;
  beforeAll(async () => {
    t = await startTestApp();
    f = await buildAccessFixture(t.dataSource);
    for (const role of [Role.RESEARCHER, Role.EDITOR, Role.ADMIN] as const) await t.tokenFor(role);
  });
  afterAll(() => t.close());

  const events = () => t.dataSource.query(`SELECT * FROM audit_event ORDER BY id`);
  const readsSince = async (id: number) => (await events()).filter((e: any) => Number(e.id) > id && e.action === 'READ');
  const lastId = async () => Number((await t.dataSource.query('SELECT coalesce(max(id), 0) AS id FROM audit_event'))[0].id);

  it('records who read which protected fields of which records, never the values', async () => {
    const since = await lastId();
    const { body } = await t.gql('query Victims($id: ID!) { person(id: $id) { pseudonym fullName occupation } }', { id: f.personId }, Role.RESEARCHER);
    expect(body.data!.person.fullName).toBe(SECRET.fullName);
    const reads = await readsSince(since);
    expect(reads).toEqual([
      expect.objectContaining({
        account_id: await t.accountIdFor(Role.RESEARCHER),
        actor: 'researcher@test.vigil',
        role: 'RESEARCHER',
        operation: 'Query.person',
        fields: ['Person.fullName', 'Person.occupation'],
        level: 'RESTRICTED',
        subjects: [`Person:${f.personId}`],
        subject_count: 1,
        changes: null,
      }),
    ]);
    expect(JSON.stringify(reads)).not.toContain(SECRET.fullName);
  });

  it('records the highest level read, and every record in a list', async () => {
    const since = await lastId();
    await t.gql('{ people(first: 100) { edges { node { contact } } } incidents(first: 100) { edges { node { latitude } } } }', {}, Role.EDITOR);
    const [read] = await readsSince(since);
    expect(read).toMatchObject({ level: 'CONFIDENTIAL', operation: 'Query.people, Query.incidents', fields: ['Incident.latitude', 'Person.contact'] });
    expect(read.subjects).toEqual(expect.arrayContaining([`Person:${f.personId}`, `Incident:${f.incidentId}`]));
  });

  it('records nothing when no protected value went out', async () => {
    const since = await lastId();
    await t.gql('query($id: ID!) { person(id: $id) { pseudonym fullName } }', { id: f.personId }); // anonymous: refused
    await t.gql('{ incidents { edges { node { headline } } } }', {}, Role.RESEARCHER);
    await t.gql('{ people { edges { node { otherNames } } } }', {}, Role.RESEARCHER); // null values only
    await t.dataSource.query('UPDATE person SET other_names = NULL');
    await t.gql('{ people { edges { node { otherNames } } } }', {}, Role.RESEARCHER);
    const reads = await readsSince(since);
    // The third request returned the fixture's otherNames (not null), so it alone is recorded.
    expect(reads.map((r: any) => r.fields)).toEqual([['Person.otherNames']]);
  });

  it('can be queried by admins only, filtered by record', async () => {
    const query = 'query($id: String) { auditEvents(filter: { subjectId: $id, actions: [READ] }) { totalCount edges { node { actor fields subjects } } } }';
    const { body } = await t.gql<any>(query, { id: f.personId }, Role.ADMIN);
    expect(body.data.auditEvents.totalCount).toBeGreaterThanOrEqual(2);
    for (const e of body.data.auditEvents.edges) expect(e.node.subjects).toContain(`Person:${f.personId}`);
    for (const role of [Role.PUBLIC, Role.RESEARCHER, Role.EDITOR]) {
      const denied = await t.gql(query, { id: f.personId }, role);
      expect(denied.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRole: 'ADMIN' });
    }
  });

  it('cannot be changed or deleted, not even by the service\'s own database role', async () => {
    await expect(t.dataSource.query(`UPDATE audit_event SET actor = 'someone else'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(t.dataSource.query('DELETE FROM audit_event')).rejects.toThrow(/append-only: DELETE/);
    await expect(t.dataSource.query('TRUNCATE audit_event')).rejects.toThrow(/append-only: TRUNCATE/);
    expect((await events()).length).toBeGreaterThan(0);
  });

  it('withholds protected values when the audit log cannot be written, and writes nothing', async () => {
    await t.dataSource.query('ALTER TABLE audit_event RENAME TO audit_event_away');
    try {
      const read = await t.gql('query($id: ID!) { person(id: $id) { fullName } }', { id: f.personId }, Role.RESEARCHER);
      expect(read.status).toBe(503);
      expect(read.body).toEqual({ data: null, errors: [expect.objectContaining({ extensions: { code: 'SERVICE_UNAVAILABLE' } })] });
      expect(JSON.stringify(read.body)).not.toContain(SECRET.fullName);
      // Public reads need no audit entry and still work.
      expect((await t.gql('{ incidents { totalCount } }')).body.errors).toBeUndefined();
      // A write whose audit entry fails is rolled back whole.
      const write = await t.gql('mutation { createAccount(input: { email: "never@example.org", role: RESEARCHER }) { id } }', {}, Role.ADMIN);
      expect(write.body.errors![0].extensions!.code).toBe('INTERNAL_SERVER_ERROR');
      expect(await t.dataSource.query(`SELECT 1 FROM account WHERE email = 'never@example.org'`)).toEqual([]);
    } finally {
      await t.dataSource.query('ALTER TABLE audit_event_away RENAME TO audit_event');
    }
  });
});
