/** HTTP protections: CSRF on /graphql, security headers, CORS from an allow-list. */
import request from 'supertest';
import { API_CSP, EMBED_CSP, GRAPHIQL_CSP, PAGE_CSP } from '../../src/security/http-security';
import { startTestApp, TestApp } from '../support/test-app';

const ME = '{ me { id } }';

describe('CSRF protection of /graphql', () => {
  let t: TestApp;
  // Without the test client's preflight header: what a browser sends for a form, a link or an image.
  const browser = () => request(t.app.getHttpServer());
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const CSRF = {
    data: null,
    errors: [
      {
        message:
          'This request could have been sent by another web site (a simple content type and no preflight header): ' +
          'send JSON as application/json, or add the header apollo-require-preflight: true',
        extensions: { code: 'CSRF_REFUSED' },
      },
    ],
  };

  it.each([
    ['a form post', () => browser().post('/graphql').type('form').send({ query: ME })],
    ['a text/plain post', () => browser().post('/graphql').set('content-type', 'text/plain').send(JSON.stringify({ query: ME }))],
    ['a multipart post', () => browser().post('/graphql').field('query', ME)],
    ['a post without a content type', () => browser().post('/graphql')],
    ['a GET (a link or an image)', () => browser().get(`/graphql?query=${encodeURIComponent(ME)}`)],
    ['a form post to the path spelled otherwise', () => browser().post('/%67raphql').type('form').send({ query: ME })],
  ])('refuses %s with 400', async (_name, send) => {
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.body).toEqual(CSRF);
  });

  it('accepts JSON, application/graphql, and GET or simple posts carrying a preflight header', async () => {
    const expected = { data: { me: null } };
    expect((await browser().post('/graphql').send({ query: ME })).body).toEqual(expected);
    expect((await browser().post('/graphql').set('content-type', 'application/graphql').send(ME)).body).toEqual(expected);
    expect((await browser().get(`/graphql?query=${encodeURIComponent(ME)}`).set('apollo-require-preflight', 'true')).body).toEqual(expected);
    expect((await browser().get(`/graphql?query=${encodeURIComponent(ME)}`).set('x-apollo-operation-name', 'Me')).body).toEqual(expected);
  });

  it('never runs a mutation over GET, even with the header (405)', async () => {
    const mutation = encodeURIComponent('mutation { revokeApiToken(id: "00000000-0000-0000-0000-000000000000") { id } }');
    const res = await t.http().get(`/graphql?query=${mutation}`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body).toEqual({ data: null, errors: [{ message: 'Mutations are accepted only with POST', extensions: { code: 'METHOD_NOT_ALLOWED' } }] });
  });

  it('sends security headers everywhere, and a CSP that lets nothing of the API load or run', async () => {
    for (const path of ['/graphql', '/health', '/no-such-page']) {
      const res = path === '/graphql' ? await t.http().post(path).send({ query: ME }) : await t.http().get(path);
      expect({ path, csp: res.headers['content-security-policy'] }).toEqual({ path, csp: API_CSP });
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': expect.stringMatching(/^max-age=\d+/),
        'cross-origin-opener-policy': 'same-origin',
      });
    }
  });

  it('serves GraphiQL (outside production) bundled, with a CSP that allows nothing from elsewhere', async () => {
    const res = await t.http().get('/graphiql');
    expect({ status: res.status, csp: res.headers['content-security-policy'] }).toEqual({ status: 200, csp: GRAPHIQL_CSP });
    expect(GRAPHIQL_CSP).not.toMatch(/https?:|'unsafe-eval'/);
    expect(GRAPHIQL_CSP).toMatch(/script-src 'self';/);
    // Every script and stylesheet of the page is the service's own.
    const assets = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('data:'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/assets\//);
      expect({ asset, status: (await t.http().get(asset)).status }).toEqual({ asset, status: 200 });
    }
  });

  it('serves the pages with their CSP, and lets other sites frame only the embeddable timeline', async () => {
    for (const path of ['/', '/timeline', '/map', '/incidents/x', '/responses/x', '/situations/x', '/organizations/x']) {
      const res = await t.http().get(path);
      expect({ path, status: res.status, csp: res.headers['content-security-policy'], frame: res.headers['x-frame-options'] }).toEqual({
        path,
        status: 200,
        csp: PAGE_CSP,
        frame: 'DENY',
      });
    }
    expect(PAGE_CSP).toMatch(/script-src 'self';.*frame-ancestors 'none'$/);
    expect(PAGE_CSP).not.toMatch(/'unsafe-eval'|https?:/);
    const embed = await t.http().get('/timeline/embed');
    expect({ status: embed.status, csp: embed.headers['content-security-policy'], frame: embed.headers['x-frame-options'] }).toEqual({
      status: 200,
      csp: EMBED_CSP,
      frame: undefined,
    });
    expect(EMBED_CSP).toMatch(/frame-ancestors \*$/);
  });

  it('gives no cross-origin access by default', async () => {
    const preflight = await browser()
      .options('/graphql')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'authorization,content-type');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const res = await browser().post('/graphql').set('origin', 'https://evil.example').send({ query: ME });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS allow-list (CORS_ORIGINS)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ security: { corsOrigins: ['https://research.example.org'] } });
  });
  afterAll(() => t.close());

  const preflight = (origin: string) =>
    request(t.app.getHttpServer())
      .options('/graphql')
      .set('origin', origin)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'authorization,content-type');

  it('lets a listed origin call the API with a token, and no other', async () => {
    const allowed = await preflight('https://research.example.org');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://research.example.org');
    expect(allowed.headers['access-control-allow-headers']).toMatch(/authorization/);
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();

    const other = await preflight('https://research.example.org.evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    const res = await request(t.app.getHttpServer()).post('/graphql').set('origin', 'https://research.example.org').send({ query: ME });
    expect(res.headers['access-control-allow-origin']).toBe('https://research.example.org');
  });
});

describe('GraphiQL turned off (GRAPHIQL=false, the production default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ security: { graphiql: false } });
  });
  afterAll(() => t.close());

  it('is not served', async () => {
    const res = await t.http().get('/graphiql');
    expect(res.status).toBe(404);
    expect(res.headers['content-security-policy']).toBe(API_CSP);
  });
});
