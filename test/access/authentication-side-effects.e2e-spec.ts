/** Issue 14, class 6: what authentication does besides authenticating. A flood of bad tokens from
 * one address must not lock its valid tokens out (behind a proxy without TRUST_PROXY, that address
 * is everyone's); re-enabling a disabled account must not bring its old tokens back; and nothing
 * answered to a request with a token may be kept by a shared cache. Over HTTP, on the real stack. */
import request from 'supertest';
import { Role } from '../../src/access/role';
import { AccountsService } from '../../src/accounts/accounts.service';
import { RevokeTokensOfDisabledAccounts1796293401745 } from '../../migrations/1796293401745-RevokeTokensOfDisabledAccounts';
import { startTestApp, TestApp } from '../support/test-app';

const FAILURES = 10;
const ME = { query: '{ me { email } }' };
const CREATE_TOKEN = 'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }';
const invented = (k: number) => `vigil_${String(k).padStart(43, 'x')}`;

describe('failed authentications', () => {
  let t: TestApp;
  // No TRUST_PROXY: every request comes from 127.0.0.1, as behind a proxy that Vigil is not told of.
  beforeAll(async () => {
    t = await startTestApp({ security: { authFailureLimit: FAILURES, authFailureWindowMs: 15 * 60_000 } });
  });
  afterAll(() => t.close());

  const post = (authorization: string) => request(t.app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${authorization}`).send(ME);

  it('throttle only failing attempts: after a flood of bad tokens from one address, every valid token from it is served', async () => {
    const researcher = await t.tokenFor(Role.RESEARCHER);
    const editor = await t.tokenFor(Role.EDITOR);
    for (let k = 0; k < FAILURES; k++) expect((await post(invented(k))).status).toBe(401);
    const accounts = t.app.get(AccountsService);
    const lookups = jest.spyOn(accounts, 'authenticate');
    const directoryLoads = jest.spyOn(accounts, 'liveTokenHashes');
    try {
      // The flood goes on: each failing attempt is refused with 429...
      const FLOOD = 200;
      const started = Date.now();
      for (let k = FAILURES; k < FAILURES + FLOOD; k++) {
        const refused = await post(invented(k));
        expect(refused.status).toBe(429);
        expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: FAILURES });
      }
      // ...cheaply: no token lookup at all, and the list of live tokens reloaded at most four times a second.
      expect(lookups).not.toHaveBeenCalled();
      expect(directoryLoads.mock.calls.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 250) + 1);
      // Valid tokens from the same address, one known and one made during the flood, are served.
      for (const token of [researcher, editor]) {
        const served = await post(token);
        expect(served.status).toBe(200);
        expect(served.body.data.me.email).toMatch(/@test\.vigil$/);
      }
      const fresh = (await t.gql<any>(CREATE_TOKEN, { input: { name: 'made during the flood' } }, Role.RESEARCHER)).body.data.createApiToken.token;
      expect((await post(fresh)).status).toBe(200);
      // An invented token is still refused.
      expect((await post(invented(0))).status).toBe(429);
    } finally {
      lookups.mockRestore();
      directoryLoads.mockRestore();
    }
  });
});

describe('re-enabling a disabled account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ demo: false });
  });
  afterAll(() => t.close());

  const setDisabled = (id: string, disabled: boolean) =>
    t.gql<any>('mutation($id: ID!, $disabled: Boolean!) { updateAccount(id: $id, input: { disabled: $disabled }) { disabledAt } }', { id, disabled }, Role.ADMIN);
  const me = async (token: string) => (await t.gql<any>('{ me { email } }', {}, { token })).status;

  it('brings none of its old tokens back; new ones work', async () => {
    const created = await t.gql<any>('mutation { createAccount(input: { email: "returning@example.org", role: RESEARCHER }) { id } }', {}, Role.ADMIN);
    const id = created.body.data.createAccount.id;
    const old = (await t.gql<any>(CREATE_TOKEN, { input: { accountId: id, name: 'old laptop' } }, Role.ADMIN)).body.data.createApiToken;
    expect(await me(old.token)).toBe(200);

    expect((await setDisabled(id, true)).body.data.updateAccount.disabledAt).not.toBeNull();
    expect(await me(old.token)).toBe(401);
    expect((await setDisabled(id, false)).body.data.updateAccount.disabledAt).toBeNull();
    expect(await me(old.token)).toBe(401);

    // The token shows as revoked, and the revocation is in the account's audit entry.
    const tokens = await t.gql<any>('{ accounts { edges { node { email tokens { id revokedAt } } } } }', {}, Role.ADMIN);
    const account = tokens.body.data.accounts.edges.map((e: any) => e.node).find((a: any) => a.email === 'returning@example.org');
    expect(account.tokens).toEqual([{ id: old.apiToken.id, revokedAt: expect.any(String) }]);
    const [entry] = await t.dataSource.query(
      `SELECT changes FROM audit_event WHERE subject_type = 'Account' AND subject_id = $1 AND changes ? 'revokedTokens'`,
      [id],
    );
    expect(entry.changes.revokedTokens).toEqual({ before: null, after: [old.apiToken.id] });

    const fresh = (await t.gql<any>(CREATE_TOKEN, { input: { accountId: id, name: 'new laptop' } }, Role.ADMIN)).body.data.createApiToken;
    expect(await me(fresh.token)).toBe(200);
  });

  it('brings none back for an account disabled before the upgrade either (the migration revokes them)', async () => {
    const created = await t.gql<any>('mutation { createAccount(input: { email: "before-upgrade@example.org", role: EDITOR }) { id } }', {}, Role.ADMIN);
    const id = created.body.data.createAccount.id;
    const old = (await t.gql<any>(CREATE_TOKEN, { input: { accountId: id, name: 'x' } }, Role.ADMIN)).body.data.createApiToken;
    // Disabled as the old code did: the account only.
    await t.dataSource.query(`UPDATE account SET disabled_at = now() - interval '1 day' WHERE id = $1`, [id]);
    const runner = t.dataSource.createQueryRunner();
    try {
      await new RevokeTokensOfDisabledAccounts1796293401745().up(runner);
    } finally {
      await runner.release();
    }
    expect((await setDisabled(id, false)).body.data.updateAccount.disabledAt).toBeNull();
    expect(await me(old.token)).toBe(401);
  });
});

describe('caching', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const server = () => request(t.app.getHttpServer());

  it('says no-store on every response to a request with a token, and Vary: Authorization on every response', async () => {
    const token = await t.tokenFor(Role.EDITOR);
    const withToken = [
      server().post('/graphql').set('authorization', `Bearer ${token}`).send({ query: '{ people(first: 1) { edges { node { fullName contact } } } }' }),
      server().get('/graphql').query({ query: '{ me { email } }' }).set({ authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' }),
      server().post('/graphql').set('authorization', `Bearer ${invented(1)}`).send(ME),
      server().post('/graphql').set('authorization', `Bearer ${token}`).send({ query: '{ nope }' }),
      server().get('/exports/incidents.csv').set('authorization', `Bearer ${token}`),
      server().get('/health').set('authorization', `Bearer ${token}`),
    ];
    const statuses: number[] = [];
    for (const pending of withToken) {
      const res = await pending;
      statuses.push(res.status);
      expect(res.headers['cache-control']).toMatch(/(^|[ ,])no-store([ ,]|$)/);
      expect(res.headers.vary).toMatch(/\bAuthorization\b/i);
    }
    // A validation failure is 200 under application/json (GraphQL over HTTP: test/graphql-over-http.e2e-spec.ts).
    expect(statuses).toEqual([200, 200, 401, 200, 200, 200]);
    // An anonymous answer may be cached, but only for requests without a token.
    const anonymous = await server().get('/graphql').query({ query: '{ incidents(first: 1) { totalCount } }' }).set('apollo-require-preflight', 'true');
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.vary).toMatch(/\bAuthorization\b/i);
  });
});
