/** No protected value, and no token, in the service's logs or its error messages, whatever the
 * request: reads by permitted roles, refused probes in a GET query string, bad input, failures. */
import { Role } from '../../src/access/role';
import { AccessFixture, buildAccessFixture, SECRET } from '../support/access-fixture';
import { startTestApp, TestApp } from '../support/test-app';

describe('logs and errors', () => {
  let t: TestApp;
  let f: AccessFixture;
  const secrets = Object.values(SECRET).map(String);
  const bodies: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
    f = await buildAccessFixture(t.dataSource);
  });
  afterAll(() => t.close());

  it('never carry a protected value or a token', async () => {
    const token = await t.tokenFor(Role.EDITOR);
    const all = 'fullName otherNames occupation contact notes involvements { description incident { latitude longitude internalNotes } }';
    // Permitted reads.
    bodies.push(JSON.stringify((await t.gql(`query($id: ID!) { person(id: $id) { ${all} } }`, { id: f.personId }, Role.EDITOR)).body));
    // Refused reads and probes, one of them in a GET query string (which request logs would show).
    bodies.push(JSON.stringify((await t.gql(`query($id: ID!) { person(id: $id) { ${all} } }`, { id: f.personId })).body));
    const probe = encodeURIComponent(`{ people(filter: { name: "${SECRET.fullName}" }) { totalCount } }`);
    const get = await t.http().get(`/graphql?query=${probe}`);
    expect(get.body.errors[0].extensions.code).toBe('FORBIDDEN');
    bodies.push(JSON.stringify(get.body));
    // Bad input carrying a secret.
    bodies.push(JSON.stringify((await t.gql(`{ people(filter: { name: "${SECRET.contact}${'x'.repeat(300)}" }) { totalCount } }`, {}, Role.EDITOR)).body));
    bodies.push(JSON.stringify((await t.gql(`{ incidents(filter: { regions: ["${SECRET.notes}"] }) { totalCount } }`)).body));
    bodies.push(JSON.stringify((await t.gql(`{ person(id: "${SECRET.occupation}") { id } }`)).body));
    // A failure inside the service (the audit log unavailable) is logged.
    await t.dataSource.query('ALTER TABLE audit_event RENAME TO audit_event_away');
    try {
      bodies.push(JSON.stringify((await t.gql(`query($id: ID!) { person(id: $id) { ${all} } }`, { id: f.personId }, { token })).body));
    } finally {
      await t.dataSource.query('ALTER TABLE audit_event_away RENAME TO audit_event');
    }

    // A database failure on a statement whose parameters hold a protected value.
    await t.dataSource.query('ALTER TABLE person RENAME TO person_away');
    try {
      const failed = await t.gql(`{ people(filter: { name: "${SECRET.contact}" }) { totalCount } }`, {}, Role.EDITOR);
      expect(failed.body.errors![0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      bodies.push(JSON.stringify(failed.body));
    } finally {
      await t.dataSource.query('ALTER TABLE person_away RENAME TO person');
    }

    const logs = t.logs();
    // The logs saw these requests (so the check below is not vacuous) ...
    expect(logs).toContain('"path":"/graphql"');
    expect(logs).toContain('Could not write the audit log');
    expect(logs).toContain('Unexpected QueryFailedError (42P01)');
    expect(bodies[0]).toContain(SECRET.fullName);
    // ... and no secret, no token, and no query string reached them.
    for (const secret of [...secrets, token, token.slice(6)]) expect({ secret, inLogs: logs.includes(secret) }).toEqual({ secret, inLogs: false });
    expect(logs).not.toContain('query=');
    // Error messages never echo stored or submitted protected values.
    for (const body of bodies.slice(1)) {
      for (const secret of secrets) expect({ secret, inError: body.includes(secret) }).toEqual({ secret, inError: false });
    }
  });
});
