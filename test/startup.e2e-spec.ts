import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/database/free-port';
import { createBlankDatabase } from './support/test-database';

/** `npm start` as a newcomer runs it: the built service (npm test builds dist/ first). */
const MAIN = join(__dirname, '..', 'dist', 'src', 'main.js');

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [MAIN], { env: { ...inherited, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(r: Run, pattern: RegExp, ms = 60000): Promise<void> {
  const start = Date.now();
  while (!pattern.test(r.output())) {
    if (Date.now() - start > ms || r.child.exitCode !== null) throw new Error(`did not see ${pattern}:\n${r.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function incidentCount(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ incidents { totalCount } }' }),
  });
  return ((await res.json()) as { data: { incidents: { totalCount: number } } }).data.incidents.totalCount;
}

describe('starting the service', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm test\`, which builds first`);
  });

  it('without DATABASE_URL: starts embedded PostgreSQL, loads the demo data, keeps it across a restart, stops cleanly on Ctrl-C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-start-'));
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as the `postgres` user, who must reach the data directory
    const env = { EMBEDDED_PG_DIR: join(dir, 'pgdata'), EMBEDDED_PG_PORT: String(await freePort()), PORT: String(await freePort()) };
    try {
      const first = run(env);
      await waitFor(first, /listening on http:\/\/localhost:\d+\/graphql/);
      expect(first.output()).toMatch(/demo data loaded/);
      expect(await incidentCount(Number(env.PORT))).toBe(3);
      first.child.kill('SIGINT');
      expect(await first.exited).toBe(0);
      expect(first.output()).toMatch(/Embedded PostgreSQL stopped/);
      expect(existsSync(join(env.EMBEDDED_PG_DIR, 'postmaster.pid'))).toBe(false);

      const second = run(env);
      await waitFor(second, /listening on/);
      expect(second.output()).toMatch(/0 migration\(s\) run/);
      expect(second.output()).not.toMatch(/demo data loaded/);
      expect(await incidentCount(Number(env.PORT))).toBe(3);
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120000);

  it('with DATABASE_URL: uses that server and starts none', async () => {
    const db = await createBlankDatabase();
    const port = await freePort();
    try {
      const r = run({ DATABASE_URL: db.url, PORT: String(port), DEMO_DATA: 'false', EMBEDDED_PG_DIR: '/nonexistent/never-used' });
      await waitFor(r, /listening on/);
      expect(r.output()).not.toMatch(/embedded PostgreSQL/);
      expect(await incidentCount(port)).toBe(0);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      r.child.kill('SIGTERM');
      expect(await r.exited).toBe(0);
    } finally {
      await db.drop();
    }
  }, 60000);

  it.each([
    [{ PORT: 'eighty' }, /PORT="eighty": PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://root@localhost/vigil' }, /DATABASE_URL: DATABASE_URL must be a postgres/],
  ])('stops on bad configuration %p with a message naming it', async (env, message) => {
    const r = run(env);
    expect(await r.exited).toBe(1);
    expect(r.output()).toMatch(message);
  });
});
