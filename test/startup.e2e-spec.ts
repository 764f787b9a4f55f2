import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_HOME } from '../src/database/embedded-postgres';
import { freePort } from '../src/database/free-port';
import { createBlankDatabase } from './support/test-database';

/** `npm start` as a newcomer runs it: the built service (npm test builds dist/ first). */
const REPO = join(__dirname, '..');
const MAIN = join(REPO, 'dist', 'src', 'main.js');

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>, how: { cwd?: string; args?: string[] } = {}): Run {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, how.args ?? [MAIN], {
    cwd: how.cwd,
    env: { ...inherited, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(r: Run, pattern: RegExp, ms = 180_000): Promise<void> {
  const start = Date.now();
  while (!pattern.test(r.output())) {
    if (Date.now() - start > ms || r.child.exitCode !== null) throw new Error(`did not see ${pattern}:\n${r.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every line the service wrote, each parsed as JSON (the README's promise: logs are JSON lines). */
function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .trim()
    .split('\n')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
}

async function incidentCount(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ incidents { totalCount } }' }),
  });
  return ((await res.json()) as { data: { incidents: { totalCount: number } } }).data.incidents.totalCount;
}

// Each test starts the service as a process, most with a PostgreSQL: minutes on a busy machine.
jest.setTimeout(300_000);

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
      // Every line, from the first (the database starting) to the last, is one JSON object.
      const lines = jsonLines(first.output());
      expect(lines.length).toBeGreaterThan(5);
      expect(lines[0]).toMatchObject({ level: 30, msg: expect.stringMatching(/^No DATABASE_URL: starting embedded PostgreSQL/) });
      expect(lines.at(-1)).toMatchObject({ msg: 'Embedded PostgreSQL stopped' });
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
  });

  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  (asRoot ? it : it.skip)('as root in a folder only root may enter (a clone in /root): starts, restarts, keeps its data where PostgreSQL can reach it', async () => {
    // A clone in root's home: the folder is mode 700, and the PostgreSQL binaries are inside it.
    const clone = mkdtempSync(join(tmpdir(), 'vigil-private-'));
    expect(statSync(clone).mode & 0o777).toBe(0o700);
    symlinkSync(join(REPO, 'dist'), join(clone, 'dist'));
    symlinkSync(join(REPO, 'node_modules'), join(clone, 'node_modules'));
    // --preserve-symlinks: modules, and the binaries found from them, keep their paths inside the
    // private folder, as they have in a real clone there.
    const how = { cwd: clone, args: ['--preserve-symlinks', '--preserve-symlinks-main', join(clone, 'dist', 'src', 'main.js')] };
    const env = { EMBEDDED_PG_PORT: String(await freePort()), PORT: String(await freePort()) };
    let data: string | undefined;
    try {
      for (const attempt of [1, 2]) {
        const r = run(env, how);
        await waitFor(r, /listening on http:\/\/localhost:\d+\/graphql/);
        expect(r.output()).toMatch(attempt === 1 ? /demo data loaded/ : /0 migration\(s\) run/);
        expect(await incidentCount(Number(env.PORT))).toBe(3);
        r.child.kill('SIGINT');
        expect(await r.exited).toBe(0);
      }
      // The default data folder, .vigil/pgdata, leads to where the `postgres` user keeps it.
      data = realpathSync(join(clone, '.vigil', 'pgdata'));
      expect(data.startsWith(`${ROOT_HOME}/`)).toBe(true);
      expect(existsSync(join(data, 'PG_VERSION'))).toBe(true);
    } finally {
      const link = join(clone, '.vigil', 'pgdata');
      data ??= existsSync(link) ? realpathSync(link) : undefined;
      rmSync(clone, { recursive: true, force: true });
      if (data?.startsWith(`${ROOT_HOME}/`)) rmSync(data, { recursive: true, force: true });
    }
  });

  it('when PostgreSQL cannot start: one line that says what to do, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-start-'));
    const taken = createServer();
    const pgPort = await freePort();
    await new Promise<void>((resolve) => taken.listen(pgPort, '127.0.0.1', resolve));
    try {
      const r = run({ EMBEDDED_PG_DIR: join(dir, 'pgdata'), EMBEDDED_PG_PORT: String(pgPort), PORT: String(await freePort()) });
      expect(await r.exited).toBe(1);
      const fatal = jsonLines(r.output()).filter((line) => line.level === 60);
      expect(fatal).toHaveLength(1);
      expect(fatal[0].msg).toContain(`Port ${pgPort} is taken: set EMBEDDED_PG_PORT to a free port, or stop what listens there`);
      expect(r.output()).not.toMatch(/\n\s+at |\\n\s+at /);
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

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
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT="eighty": PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://root@localhost/vigil' }, /DATABASE_URL: DATABASE_URL must be a postgres/],
  ])('stops on bad configuration %p with a message naming it', async (env, message) => {
    const r = run(env);
    expect(await r.exited).toBe(1);
    expect(jsonLines(r.output())).toEqual([expect.objectContaining({ level: 60, msg: expect.stringMatching(message) })]);
  });

  it('writes readable text instead when LOG_FORMAT=pretty', async () => {
    const r = run({ LOG_FORMAT: 'pretty', PORT: 'eighty' });
    expect(await r.exited).toBe(1);
    expect(r.output()).toMatch(/FATAL.*Vigil could not start: Invalid configuration:/);
    expect(r.output()).toMatch(/PORT="eighty": PORT must be a whole number/);
  });
});
