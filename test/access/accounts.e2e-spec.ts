import { createHash } from 'node:crypto';
import { Role } from '../../src/access/role';
import { startTestApp, TestApp } from '../support/test-app';

describe('accounts and API tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ demo: false });
  });
  afterAll(() => t.close());

  const ME = '{ me { id email role tokens { id name prefix expiresAt revokedAt } } }';
  const CREATE_TOKEN = 'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id prefix expiresAt } } }';

  async function expectUnauthenticated(authorization: string, reason: RegExp) {
    const res = await t.http().post('/graphql').set('Authorization', authorization).send({ query: '{ me { id } }' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.body).toEqual({ data: null, errors: [{ message: expect.stringMatching(reason), extensions: { code: 'UNAUTHENTICATED' } }] });
  }

  it('knows who sends a token, and nobody without one', async () => {
    const { body } = await t.gql(ME, {}, Role.RESEARCHER);
    expect(body.data!.me).toMatchObject({ email: 'researcher@test.vigil', role: 'RESEARCHER', tokens: [{ name: 'test', revokedAt: null }] });
    expect((await t.gql(ME)).body).toEqual({ data: { me: null } });
  });

  it('stores only a hash of each token, never the token', async () => {
    const token = await t.tokenFor(Role.EDITOR);
    expect(token).toMatch(/^vigil_[A-Za-z0-9_-]{43}$/);
    const rows = await t.dataSource.query('SELECT * FROM api_token');
    expect(JSON.stringify(rows)).not.toContain(token.slice(12));
    expect(rows.map((r: any) => r.token_hash)).toContain(createHash('sha256').update(token).digest('hex'));
  });

  it('refuses malformed, unknown, expired and revoked tokens and disabled accounts with 401, never as anonymous', async () => {
    await expectUnauthenticated('Basic dXNlcjpwYXNz', /must be "Bearer <token>"/);
    await expectUnauthenticated('Bearer not-a-token', /invalid, expired or revoked/);
    await expectUnauthenticated(`Bearer vigil_${'A'.repeat(43)}`, /invalid, expired or revoked/);

    const admin = Role.ADMIN;
    const researcherId = await t.accountIdFor(Role.RESEARCHER);
    const make = async () => (await t.gql<any>(CREATE_TOKEN, { input: { accountId: researcherId, name: 'temp' } }, admin)).body.data.createApiToken;

    const expired = await make();
    await t.dataSource.query(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.apiToken.id]);
    await expectUnauthenticated(`Bearer ${expired.token}`, /invalid, expired or revoked/);

    const revoked = await make();
    expect((await t.gql(ME, {}, { token: revoked.token })).status).toBe(200);
    const { body } = await t.gql<any>('mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }', { id: revoked.apiToken.id }, { token: revoked.token });
    expect(body.data.revokeApiToken.revokedAt).not.toBeNull();
    await expectUnauthenticated(`Bearer ${revoked.token}`, /invalid, expired or revoked/);

    const other = await t.gql<any>('mutation { createAccount(input: { email: "Leaver@Example.org", role: RESEARCHER }) { id email } }', {}, admin);
    expect(other.body.data.createAccount.email).toBe('leaver@example.org');
    const leaverToken = (await t.gql<any>(CREATE_TOKEN, { input: { accountId: other.body.data.createAccount.id, name: 'x' } }, admin)).body.data.createApiToken.token;
    expect((await t.gql(ME, {}, { token: leaverToken })).status).toBe(200);
    const disabled = await t.gql<any>('mutation($id: ID!) { updateAccount(id: $id, input: { disabled: true }) { disabledAt } }', { id: other.body.data.createAccount.id }, admin);
    expect(disabled.body.data.updateAccount.disabledAt).not.toBeNull();
    await expectUnauthenticated(`Bearer ${leaverToken}`, /invalid, expired or revoked/);
  });

  it('lets a researcher make and revoke their own tokens only; the token is shown once', async () => {
    const created = await t.gql<any>(CREATE_TOKEN, { input: { name: 'R scripts', expiresInDays: 30 } }, Role.RESEARCHER);
    const { token, apiToken } = created.body.data.createApiToken;
    expect(token.startsWith(apiToken.prefix)).toBe(true);
    const days = (Date.parse(apiToken.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const me = await t.gql<any>(ME, {}, { token });
    expect(me.body.data.me.role).toBe('RESEARCHER');
    expect(JSON.stringify(me.body)).not.toContain(token);

    const forOther = await t.gql(CREATE_TOKEN, { input: { accountId: await t.accountIdFor(Role.EDITOR), name: 'x' } }, Role.RESEARCHER);
    expect(forOther.body.errors![0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const editorTokens = (await t.gql<any>(ME, {}, Role.EDITOR)).body.data.me.tokens;
    const revokeOther = await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) { id } }', { id: editorTokens[0].id }, Role.RESEARCHER);
    expect(revokeOther.body.errors![0].extensions!.code).toBe('NOT_FOUND');
    const otherTokens = await t.gql('{ accounts { edges { node { id tokens { id } } } } }', {}, Role.RESEARCHER);
    expect(otherTokens.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRole: 'ADMIN' });
  });

  it('validates account input, naming every bad field', async () => {
    const bad = await t.gql('mutation { createAccount(input: { email: "not an email", role: EDITOR, displayName: "" }) { id } }', {}, Role.ADMIN);
    expect(bad.body.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [
        { path: 'input.email', message: 'must be an email address' },
        { path: 'input.displayName', message: expect.stringContaining('longer than or equal to 1') },
      ],
    });
    const dup = await t.gql('mutation { createAccount(input: { email: "EDITOR@test.vigil", role: EDITOR }) { id } }', {}, Role.ADMIN);
    expect(dup.body.errors![0]).toMatchObject({ message: 'input.email: an account with this email already exists' });
    const days = await t.gql(CREATE_TOKEN, { input: { name: 'x', expiresInDays: 5000 } }, Role.ADMIN);
    expect(days.body.errors![0].extensions!.problems).toEqual([{ path: 'input.expiresInDays', message: 'must be between 1 and 3650' }]);
  });

  it('does not let an admin lock themselves out', async () => {
    const id = await t.accountIdFor(Role.ADMIN);
    const { body } = await t.gql('mutation($id: ID!) { updateAccount(id: $id, input: { role: RESEARCHER }) { role } }', { id }, Role.ADMIN);
    expect(body.errors![0].message).toMatch(/cannot change your own role/);
  });

  it('audits every account and token change: who, when, what', async () => {
    const { body } = await t.gql<any>(
      '{ auditEvents(first: 100, filter: { subjectType: "Account" }) { edges { node { actor role action operation subjectId changes occurredAt } } } }',
      {},
      Role.ADMIN,
    );
    const events = body.data.auditEvents.edges.map((e: any) => e.node);
    expect(events).toContainEqual(
      expect.objectContaining({
        actor: 'admin@test.vigil',
        role: 'ADMIN',
        action: 'CREATE',
        operation: 'Mutation.createAccount',
        changes: { email: { before: null, after: 'leaver@example.org' }, role: { before: null, after: 'RESEARCHER' } },
      }),
    );
    // Disabling revokes the account's tokens, listed in the same entry.
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'UPDATE',
        operation: 'Mutation.updateAccount',
        changes: { disabledAt: { before: null, after: expect.any(String) }, revokedTokens: { before: null, after: [expect.any(String)] } },
      }),
    );
    const tokens = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE subject_type = 'ApiToken'`);
    expect(tokens[0].n).toBeGreaterThanOrEqual(5);
  });
});
