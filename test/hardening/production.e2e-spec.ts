/** NODE_ENV=production, as docker-compose.yml runs the built service: it refuses a default or
 * missing database secret and the demo data, naming the variable; with a real secret it starts
 * with strangers kept from mapping the API. */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/database/free-port';
import { createBlankDatabase, serverUrl, TestDatabase } from '../support/test-database';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  const { DATABASE_URL: _url, DEMO_DATA: _demo, ...inherited } = process.env;
  const child = spawn(process.execPath, [MAIN], { env: { ...inherited, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('production mode', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm test\`, which builds first`);
  });

  it.each([
    [{}, /Refusing to start in production:\n {2}DATABASE_URL: must be set in production/],
    [{ DATABASE_URL: 'postgresql://vigil:postgres@127.0.0.1:1/vigil' }, /DATABASE_URL: its password is a well-known default/],
    [{ DATABASE_URL: 'postgresql://vigil@127.0.0.1:1/vigil' }, /DATABASE_URL: has no password/],
    [{ DATABASE_URL: 'postgresql://vigil:uP4-not-default-9c@127.0.0.1:1/vigil', DEMO_DATA: 'true' }, /DEMO_DATA: must be false in production/],
  ])('refuses to start with %p, naming the variable, before touching any database', async (env, message) => {
    const r = run(env);
    expect(await r.exited).toBe(1);
    // One JSON log line (LOG_FORMAT=json, the default), its message the refusal.
    const lines = r.output().trim().split('\n').map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines).toEqual([expect.objectContaining({ level: 60, msg: expect.stringMatching(message) })]);
    expect(r.output()).not.toMatch(/starting embedded PostgreSQL|uP4-not-default-9c/);
  });

  describe('with a database password of its own', () => {
    const role = `vigil_prod_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(18).toString('base64url');
    let db: TestDatabase;
    let service: Run;
    let base: string;

    beforeAll(async () => {
      db = await createBlankDatabase();
      const admin = new Client({ connectionString: serverUrl() });
      await admin.connect();
      try {
        await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
        await admin.query(`ALTER DATABASE ${new URL(db.url).pathname.slice(1)} OWNER TO ${role}`);
      } finally {
        await admin.end();
      }
      const url = new URL(db.url);
      url.username = role;
      url.password = password;
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      service = run({ DATABASE_URL: url.toString(), PORT: String(port) });
      const started = Date.now();
      while (!/listening on/.test(service.output())) {
        if (Date.now() - started > 60_000 || service.child.exitCode !== null) throw new Error(`did not start:\n${service.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, 90_000);

    afterAll(async () => {
      service?.child.kill('SIGTERM');
      await service?.exited;
      await db?.drop();
      const admin = new Client({ connectionString: serverUrl() });
      await admin.connect();
      await admin.query(`DROP ROLE IF EXISTS ${role}`).finally(() => admin.end());
    });

    const post = (query: string) =>
      fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });

    it('starts without demo data, and never logs the password', async () => {
      expect(service.output()).not.toMatch(/demo data loaded/);
      expect(service.output()).not.toContain(password);
      const res = await post('{ incidents { totalCount } }');
      expect(await res.json()).toEqual({ data: { incidents: { totalCount: 0 } } });
      expect((await fetch(`${base}/health`)).status).toBe(200);
    });

    it('keeps introspection, suggestions and GraphiQL from anonymous callers', async () => {
      const introspection = await post('{ __schema { types { name } } }');
      expect(introspection.status).toBe(400);
      expect(((await introspection.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('INTROSPECTION_DISABLED');
      const typo = (await (await post('{ incidents { totalCont } }')).json()) as { errors: { message: string }[] };
      expect(typo.errors[0].message).toBe('Cannot query field "totalCont" on type "IncidentConnection".');
      expect((await fetch(`${base}/graphiql`)).status).toBe(404);
    });
  });
});
