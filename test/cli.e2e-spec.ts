import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** The administration command line as `npm run vigil -- ...` runs it (npm test builds dist/ first). */
const CLI = join(__dirname, '..', 'dist', 'src', 'cli', 'vigil.js');

describe('npm run vigil', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;

  async function vigil(...args: string[]) {
    const env = { ...process.env, DATABASE_URL: database.url, CI: 'true' };
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
});
