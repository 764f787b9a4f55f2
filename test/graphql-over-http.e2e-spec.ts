/** The GraphQL-over-HTTP specification's own audit suite (graphql-http's auditServer), run
 * against the real service over HTTP: no error, no warning, and only the notices below, each for
 * a reason. A new warning or notice fails this test. */
import { auditServer } from 'graphql-http';
import { startTestApp, TestApp } from './support/test-app';

/** MAY-level audits Vigil answers otherwise, by design. */
const EXPECTED_NOTICES: Record<string, string> = {
  // A GET without a preflight header is refused (CSRF: a link or an image could send it;
  // src/security/http-security.ts), so these GETs answer 400 with CSRF_REFUSED.
  '5A70': 'MAY accept application/x-www-form-urlencoded formatted GET requests',
  D6D5: 'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
  '6A70': 'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
  // Fastify's request schema coerces a `variables` of 0 or false to null (no variables), so those
  // requests run, answering 200.
  '4761': 'MAY use 400 status code on number {variables} parameter',
  '4762': 'MAY use 400 status code on boolean {variables} parameter',
};

describe('GraphQL over HTTP (the specification audit)', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await startTestApp({ demo: false });
    await t.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}/graphql`;
  });
  afterAll(() => t.close());

  it('reports no error and no warning, and only the notices Vigil answers otherwise by design', async () => {
    const results = (await auditServer({ url })).map((r) => ({ id: r.id, status: r.status, name: r.name, reason: 'reason' in r ? r.reason : '' }));
    expect(results.filter((r) => r.status === 'error')).toEqual([]);
    expect(results.filter((r) => r.status === 'warn')).toEqual([]);
    const notices = Object.fromEntries(results.filter((r) => r.status === 'notice').map((r) => [r.id, r.name]));
    expect(notices).toEqual(EXPECTED_NOTICES);
  });
});
