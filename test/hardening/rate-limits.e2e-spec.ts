/** Rate limits per address, per token, and for failed authentication, with low values. Behind a
 * trusted proxy (TRUST_PROXY), each test speaks from an address of its own (X-Forwarded-For), so
 * the counters of one test do not touch another's. */
import request from 'supertest';
import { Role } from '../../src/access/role';
import { AccountsService } from '../../src/accounts/accounts.service';
import { startTestApp, TestApp } from '../support/test-app';

const PER_ADDRESS = 5;
const PER_TOKEN = 8;
const AUTH_FAILURES = 3;
const ME = { query: '{ me { email } }' };

describe('rate limits', () => {
  let t: TestApp;
  let lastAddress = 0;
  /** A client at an address no other test uses. */
  const client = () => {
    const address = `203.0.113.${++lastAddress}`;
    return {
      post: (headers: Record<string, string> = {}) => request(t.app.getHttpServer()).post('/graphql').set({ 'x-forwarded-for': address, ...headers }).send(ME),
      get: (path: string) => request(t.app.getHttpServer()).get(path).set('x-forwarded-for', address),
    };
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({
      security: {
        trustProxy: true,
        rateLimitPerAddress: PER_ADDRESS,
        rateLimitPerToken: PER_TOKEN,
        rateLimitWindowMs: 60_000,
        authFailureLimit: AUTH_FAILURES,
        authFailureWindowMs: 60_000,
      },
    });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After and a GraphQL error once an address without a token passes its limit', async () => {
    const c = client();
    for (let i = 0; i < PER_ADDRESS; i++) expect((await c.post()).status).toBe(200);
    const refused = await c.post();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body).toEqual({
      data: null,
      errors: [
        {
          message: `Too many requests from this address without a token: the limit is ${PER_ADDRESS} per 60 s; try again in ${retryAfter} s`,
          extensions: { code: 'RATE_LIMITED', limit: PER_ADDRESS, retryAfter },
        },
      ],
    });
    // Another address is not affected.
    expect((await client().post()).status).toBe(200);
  });

  it('never limits /health', async () => {
    const c = client();
    for (let i = 0; i < PER_ADDRESS * 3; i++) expect((await c.get('/health')).status).toBe(200);
    expect((await c.post()).status).toBe(200);
  });

  it('counts a token on its own, wherever it comes from', async () => {
    const token = await t.tokenFor(Role.RESEARCHER);
    for (let i = 0; i < PER_TOKEN; i++) {
      const res = await client().post(bearer(token)); // a new address every time
      expect(res.body.data.me.email).toBe('researcher@test.vigil');
    }
    const refused = await client().post(bearer(token));
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: PER_TOKEN });
    expect(refused.body.errors[0].message).toMatch(/^Too many requests with this token/);
    // Another token, and anonymous requests, are not affected.
    expect((await client().post(bearer(await t.tokenFor(Role.EDITOR)))).status).toBe(200);
    expect((await client().post()).status).toBe(200);
  });

  it(`answers 429 to an address's failing attempts after ${AUTH_FAILURES} failed authentications, without looking invented tokens up, and still serves its valid tokens`, async () => {
    const c = client();
    const made = await t.tokenFor(Role.ADMIN);
    for (let i = 0; i < AUTH_FAILURES; i++) {
      const guess = await c.post(bearer(`vigil_${'A'.repeat(43 - String(i).length)}${i}`));
      expect(guess.status).toBe(401);
    }
    const lookups = jest.spyOn(t.app.get(AccountsService), 'authenticate');
    try {
      for (const authorization of [`Bearer vigil_${'B'.repeat(43)}`, 'Bearer not-a-token', `Bearer vigil_${'B'.repeat(42)}C`]) {
        const refused = await c.post({ authorization });
        expect(refused.status).toBe(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(50);
        expect(refused.body.errors[0]).toEqual({
          message: `Too many failed authentications from this address: the limit is ${AUTH_FAILURES} per 60 s; try again in ${refused.headers['retry-after']} s`,
          extensions: { code: 'RATE_LIMITED', limit: AUTH_FAILURES, retryAfter: Number(refused.headers['retry-after']) },
        });
      }
      expect(lookups).not.toHaveBeenCalled();
      // A valid token from the same address is looked up and served.
      const served = await c.post(bearer(made));
      expect(served.status).toBe(200);
      expect(served.body.data.me.email).toBe('admin@test.vigil');
      expect(lookups).toHaveBeenCalledTimes(1);
    } finally {
      lookups.mockRestore();
    }
    // Without a token the address is still served (within its own limit), and other addresses
    // authenticate as before.
    expect((await c.post()).status).toBe(200);
    expect((await client().post(bearer(made))).status).toBe(200);
  });

  it('counts failed authentications per address, not per token', async () => {
    const c = client();
    expect((await c.post({ authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(401);
    expect((await c.post({ authorization: 'Bearer not-a-token' })).status).toBe(401);
    expect((await c.post({ authorization: `Bearer vigil_${'C'.repeat(43)}` })).status).toBe(401);
    expect((await c.post({ authorization: `Bearer vigil_${'D'.repeat(43)}` })).status).toBe(429);
  });
});

describe('rate limit windows', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ security: { rateLimitPerAddress: 2, rateLimitWindowMs: 1_000 } });
  });
  afterAll(() => t.close());

  it('serve an address again once its window has passed; without TRUST_PROXY, X-Forwarded-For is ignored', async () => {
    const post = (forwardedFor: string) => request(t.app.getHttpServer()).post('/graphql').set('x-forwarded-for', forwardedFor).send(ME);
    expect((await post('198.51.100.1')).status).toBe(200);
    expect((await post('198.51.100.2')).status).toBe(200);
    const refused = await post('198.51.100.3'); // all three are 127.0.0.1
    expect(refused.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, Number(refused.headers['retry-after']) * 1000 + 100));
    expect((await post('198.51.100.4')).status).toBe(200);
  });
});
