import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { RunningPostgres, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { freePort } from '../src/database/free-port';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** The administration command line as `npm run vigil -- ...` runs it (npm test builds dist/ first). */
const CLI = join(__dirname, '..', 'dist', 'src', 'cli', 'vigil.js');
// Each call is a process that loads the service's modules: seconds each on a busy machine.
jest.setTimeout(240_000);

describe('npm run vigil', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;

  async function vigil(...args: string[]) {
    return vigilWith({ DATABASE_URL: database.url }, ...args);
  }
  async function vigilWith(settings: Record<string, string>, ...args: string[]) {
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const env = { ...inherited, CI: 'true', ...settings };
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }
  const me = (token: string) => request(app.getHttpServer()).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query: '{ me { email role } }' });

  beforeAll(async () => {
    database = await createTestDatabase({ demoData: false });
    app = await createApp({ databaseUrl: database.url, logLevel: 'silent', queryCache: false });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('creates an account and a token that the API then accepts; the token is the last line', async () => {
    const created = await vigil('account', 'create', '--email', 'Ana@Example.org', '--role', 'researcher', '--name', 'Ana');
    expect(created).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Created RESEARCHER account ana@example.org \(id [0-9a-f-]{36}\)\n$/) });
    const token = await vigil('token', 'create', '--email', 'ana@example.org', '--name', 'laptop', '--expires-in-days', '30');
    expect(token.code).toBe(0);
    const last = token.stdout.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^vigil_[A-Za-z0-9_-]{43}$/);
    const res = await me(last);
    expect(res.body).toEqual({ data: { me: { email: 'ana@example.org', role: 'RESEARCHER' } } });

    const list = await vigil('token', 'list', '--email', 'ana@example.org');
    expect(list.stdout).toContain('laptop\tactive');
    expect(list.stdout).not.toContain(last);
    const id = list.stdout.split('\t')[0];
    expect((await vigil('token', 'revoke', '--id', id)).code).toBe(0);
    expect((await me(last)).status).toBe(401);
  });

  it('changes a role and disables an account', async () => {
    await vigil('account', 'create', '--email', 'bo@example.org', '--role', 'EDITOR');
    const token = (await vigil('token', 'create', '--email', 'bo@example.org')).stdout.trim().split('\n').at(-1)!;
    expect((await vigil('account', 'update', '--email', 'bo@example.org', '--role', 'ADMIN')).stdout).toBe('bo@example.org: ADMIN\n');
    expect((await me(token)).body.data.me.role).toBe('ADMIN');
    expect((await vigil('account', 'update', '--email', 'bo@example.org', '--disable')).code).toBe(0);
    expect((await me(token)).status).toBe(401);
    expect((await vigil('account', 'list')).stdout).toMatch(/bo@example.org\tADMIN\tdisabled/);
  });

  it('says what is wrong, naming the option, with exit code 2', async () => {
    const badRole = await vigil('account', 'create', '--email', 'x@example.org', '--role', 'boss');
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain("option '--role <role>' argument 'boss' is invalid. must be one of RESEARCHER, EDITOR, ADMIN");
    const badEmail = await vigil('account', 'create', '--email', 'not-an-email', '--role', 'EDITOR');
    expect(badEmail).toMatchObject({ code: 2, stderr: 'error: input.email: must be an email address\n' });
    const missing = await vigil('token', 'create', '--email', 'nobody@example.org');
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('error: --email: no account with this email') });
    const duplicate = await vigil('account', 'create', '--email', 'ana@example.org', '--role', 'EDITOR');
    expect(duplicate).toMatchObject({ code: 2, stderr: 'error: input.email: an account with this email already exists\n' });
  });

  it('records what it did in the audit log, as the command line', async () => {
    const rows = await app.get<DataSource>(getDataSourceToken()).query(
      `SELECT actor, role, action, operation FROM audit_event WHERE operation LIKE 'cli %' ORDER BY id LIMIT 2`,
    );
    expect(rows).toEqual([
      { actor: expect.stringMatching(/^command line \(.+\)$/), role: 'ADMIN', action: 'CREATE', operation: 'cli account create' },
      { actor: expect.stringMatching(/^command line/), role: 'ADMIN', action: 'CREATE', operation: 'cli token create' },
    ]);
  });

  it('says when an account has no tokens, and when a token was already revoked (exit 0: it stays revoked)', async () => {
    await vigil('account', 'create', '--email', 'cy@example.org', '--role', 'RESEARCHER');
    expect(await vigil('token', 'list', '--email', 'cy@example.org')).toMatchObject({
      code: 0,
      stdout: 'cy@example.org has no tokens (make one with "token create")\n',
    });
    await vigil('token', 'create', '--email', 'cy@example.org', '--name', 'old');
    const id = (await vigil('token', 'list', '--email', 'cy@example.org')).stdout.split('\t')[0];
    expect(await vigil('token', 'revoke', '--id', id)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Revoked token /) });
    const again = await vigil('token', 'revoke', '--id', id);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^Token ${id} \\(vigil_.{4,}…\\) was already revoked, at \\d{4}-.+; nothing changed\\n$`)) });
    const audited = await app.get<DataSource>(getDataSourceToken()).query(`SELECT count(*)::int AS n FROM audit_event WHERE subject_id = $1 AND operation = 'cli token revoke'`, [id]);
    expect(audited).toEqual([{ n: 1 }]);
  });

  describe('without DATABASE_URL, next to an embedded PostgreSQL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
    const dataDir = join(dir, 'pgdata');
    let pg: RunningPostgres;
    let pgPort: number;
    beforeAll(async () => {
      chmodSync(dir, 0o755); // as root, PostgreSQL runs as the `postgres` user, who must reach it
      pgPort = await freePort();
      pg = await startEmbeddedPostgres({ dataDir, port: pgPort, persistent: true });
    }, 120000);
    afterAll(async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('finds the server running on its data folder, whatever EMBEDDED_PG_PORT says', async () => {
      const otherPort = String(await freePort());
      const listed = await vigilWith({ EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: otherPort }, 'account', 'list');
      expect(listed.code).toBe(0);
      expect(listed.stderr).toContain(`Using the embedded PostgreSQL already running in ${dataDir} on port ${pgPort} (not EMBEDDED_PG_PORT=${otherPort}`);
    }, 120000);

    it('says exactly what is wrong when it cannot start one', async () => {
      const taken = createServer();
      const port = await freePort();
      await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
      const empty = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
      chmodSync(empty, 0o755);
      try {
        const failed = await vigilWith({ EMBEDDED_PG_DIR: join(empty, 'pgdata'), EMBEDDED_PG_PORT: String(port) }, 'account', 'list');
        expect(failed.code).toBe(1);
        expect(failed.stderr).toMatch(new RegExp(`^error: PostgreSQL did not start: .*Port ${port} is taken: set EMBEDDED_PG_PORT to a free port`, 'm'));
        expect(failed.stderr).not.toContain('undefined');
      } finally {
        taken.close();
        rmSync(empty, { recursive: true, force: true });
      }
    }, 120000);
  });
});
