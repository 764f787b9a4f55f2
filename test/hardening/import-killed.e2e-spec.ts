/** An import killed half-way leaves no partial data: `npm run vigil -- import` loads every file in
 * one transaction, so a process killed outright (SIGKILL: no handler runs, nothing is rolled back
 * by the program) leaves the database exactly as it was, holds no connection once PostgreSQL has
 * noticed, and the same import run again from the start succeeds.
 *
 * The files are the CSV exports of a generated data set, taken through HTTP as an admin with the
 * deleted records; the import runs as its own process (dist/src/cli/vigil.js, built by `npm test`)
 * against an empty migrated database, and is killed while it is writing its last file, with the
 * first three written but not committed. */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { Role } from '../../src/access/role';
import { dataSourceOptions } from '../../src/database/data-source';
import { generateData } from '../../src/generate/generator';
import { download } from '../exports/support';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { copyTable } from '../support/copy-table';

const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'vigil.js');
/** Some 2,000 rows in four files. The import validates and writes row by row (5 to 10 ms each on
 * two cores): a load of 10 to 20 s, killed some 60% of the way. */
const INCIDENTS = 600;
const SEED = 5;
const EXPORTS = ['sources', 'incidents', 'responses', 'citations'] as const;
/** The records the four files hold. (Links of responses to situations are not in responses.csv,
 * docs/import.md; the fingerprint covers every table anyway.) */
const IMPORTED = ['source', 'incident', 'advocacy_response', 'response_incident', 'response_organizer', 'citation'] as const;
/** The test's own connections, told apart from the command line's (which are 'vigil'). */
/** Tables the import has written to by the time it loads citations, its last file. */
const WRITTEN = ['source', 'incident', 'advocacy_response', 'citation', 'revision', 'audit_event'];
const OBSERVER = 'vigil-test-observer';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A DataSource on `url` whose connections are named OBSERVER in pg_stat_activity. */
function observer(url: string): DataSource {
  const options = dataSourceOptions(url);
  return new DataSource({ ...options, extra: { ...(options as { extra: object }).extra, application_name: OBSERVER, max: 2 } } as typeof options);
}

/** Row counts of the imported tables. */
async function counts(db: DataSource): Promise<Record<string, number>> {
  const [row] = await db.query(`SELECT ${IMPORTED.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`);
  return row;
}

/** A fingerprint of every table of the database (count and checksum of its rows): equal
 * fingerprints, nothing written anywhere. */
async function fingerprint(db: DataSource): Promise<Record<string, string>> {
  const tables: { name: string }[] = await db.query(`SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await db.query(`SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS f FROM ${name} t`);
    out[name] = row.f;
  }
  return out;
}

describe('an import killed half-way', () => {
  let source: TestApp;
  let target: TestDatabase;
  let db: DataSource;
  let database: string;
  let dir: string;
  let files: string[];
  let expected: Record<string, number>;
  let env: NodeJS.ProcessEnv;

  /** The client backends on the target database that are not the test's own. */
  const others = (): Promise<{ pid: number; application_name: string; state: string | null; xact: boolean; query: string }[]> =>
    db.query(
      `SELECT pid, application_name, state, xact_start IS NOT NULL AS xact, left(query, 80) AS query FROM pg_stat_activity
        WHERE datname = $1 AND backend_type = 'client backend' AND application_name <> $2`,
      [database, OBSERVER],
    );

  /** Bytes of each table on disk, uncommitted rows included. */
  const sizes = async (): Promise<Record<string, number>> => {
    const [row] = await db.query(`SELECT ${IMPORTED.map((t) => `pg_relation_size('${t}')::int AS ${t}`).join(', ')}`);
    return row;
  };

  /** Backends of the command line holding a write lock on `table`: it has written to it, in a
   * transaction still open. */
  const writing = async (table: string): Promise<number[]> =>
    (
      await db.query(
        `SELECT DISTINCT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
          WHERE a.datname = $1 AND a.application_name = 'vigil' AND a.xact_start IS NOT NULL
            AND l.locktype = 'relation' AND l.relation = $2::regclass AND l.mode = 'RowExclusiveLock' AND l.granted`,
        [database, table],
      )
    ).map((r: { pid: number }) => r.pid);

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm test\`, which builds first (or \`npx tsc -p tsconfig.json\`)`);
    source = await startTestApp({ demo: false });
    await generateData(source.dataSource, { incidents: INCIDENTS, seed: SEED });
    // The generator deletes records independently of each other; the API refuses a citation of a
    // deleted record, and so does the import, which validates every row by the API's rules.
    await source.dataSource.query(
      `DELETE FROM citation c WHERE EXISTS (SELECT 1 FROM source s WHERE s.id = c.source_id AND s.deleted_at IS NOT NULL)
          OR EXISTS (SELECT 1 FROM incident i WHERE i.id = c.incident_id AND i.deleted_at IS NOT NULL)
          OR EXISTS (SELECT 1 FROM advocacy_response r WHERE r.id = c.response_id AND r.deleted_at IS NOT NULL)`,
    );
    const admin = { token: await source.tokenFor(Role.ADMIN) };
    dir = await mkdtemp(join(tmpdir(), 'vigil-import-killed-'));
    files = [];
    for (const name of EXPORTS) {
      const d = await download(source, `/exports/${name}.csv?includeDeleted=true`, admin);
      if (d.status !== 200) throw new Error(`${name}.csv: ${d.status} ${d.text}`);
      const path = join(dir, `${name}.csv`);
      await writeFile(path, d.bytes);
      files.push(path);
    }
    [expected] = await source.dataSource.query(`SELECT ${IMPORTED.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`);

    target = await createTestDatabase({ demoData: false });
    database = new URL(target.url).pathname.slice(1);
    db = observer(target.url);
    await db.initialize();
    for (const table of ['organization', 'situation']) await copyTable(source.dataSource, db, table);
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    env = { ...inherited, DATABASE_URL: target.url, NODE_ENV: 'development', CI: 'true' };
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await target?.drop();
    await source?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('leaves the database exactly as it was, and no connection behind', async () => {
    const before = await fingerprint(db);
    expect(await counts(db)).toEqual(Object.fromEntries(IMPORTED.map((t) => [t, 0])));
    expect(await others()).toEqual([]);

    let output = '';
    const cli: ChildProcess = spawn(process.execPath, [CLI, 'import', ...files], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    cli.stdout!.on('data', (d) => (output += d));
    cli.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => cli.once('exit', (code, signal) => resolve({ code, signal })));

    // Half-way: writing citations, the last file (their table has grown by a few pages).
    const started = Date.now();
    let pid: number | undefined;
    for (;;) {
      if (cli.exitCode !== null) throw new Error(`the import finished before it could be killed (make the files larger):\n${output}`);
      if (Date.now() - started > 45_000) throw new Error(`the import never reached its last file:\n${output}`);
      [pid] = await writing('citation');
      if (pid !== undefined && (await sizes()).citation >= 4 * 8192) break;
      await sleep(25);
    }
    // What it has done so far, seen from outside: taken just before the kill.
    const tables = await Promise.all(WRITTEN.map(async (table) => ({ table, locked: (await writing(table)).includes(pid!) })));
    const [inside] = await db.query(`SELECT backend_xid IS NOT NULL AS wrote, xact_start IS NOT NULL AS open FROM pg_stat_activity WHERE pid = $1`, [pid]);
    const written = await sizes();
    const committed = await counts(db);
    expect(cli.exitCode).toBeNull();
    cli.kill('SIGKILL');
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(output).not.toMatch(/Imported/);

    // PostgreSQL notices the closed socket, rolls back and ends the backend: within seconds.
    const killedAt = Date.now();
    while ((await others()).length && Date.now() - killedAt < 10_000) await sleep(100);
    expect(await others()).toEqual([]);

    // Nothing of it is left: not a source, incident, response, link, citation, revision or audit
    // entry, nor any other row anywhere.
    expect(await counts(db)).toEqual(Object.fromEntries(IMPORTED.map((t) => [t, 0])));
    expect(await fingerprint(db)).toEqual(before);

    // And it was killed in the middle of its one transaction: open, with a transaction id (it had
    // written), holding the write locks of every table it had loaded (a lock is held until the
    // transaction ends); rows of every file were in the tables, none of them visible.
    expect(inside).toEqual({ wrote: true, open: true });
    expect(tables).toEqual(WRITTEN.map((table) => ({ table, locked: true })));
    for (const table of ['source', 'incident', 'advocacy_response', 'citation']) expect({ table, bytes: written[table] > 0 }).toEqual({ table, bytes: true });
    expect(committed).toEqual(Object.fromEntries(IMPORTED.map((t) => [t, 0])));
  }, 60_000);

  it('imports everything when run again from the start', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'import', ...files], { env });
    expect(stdout).toMatch(/^Imported \d+ rows/m);
    expect(await counts(db)).toEqual(expected);
    expect(expected.incident).toBe(INCIDENTS);
    expect(expected.citation).toBeGreaterThan(INCIDENTS);
    expect(expected.response_incident).toBeGreaterThan(0);
    // Each record through the editing service: revisions for every one.
    const [{ revised }] = await db.query(`SELECT count(DISTINCT subject_id)::int AS revised FROM revision WHERE subject_type = 'INCIDENT'`);
    expect(revised).toBe(INCIDENTS);
    const killedAt = Date.now();
    while ((await others()).length && Date.now() - killedAt < 5_000) await sleep(100);
    expect(await others()).toEqual([]);
  }, 60_000);
});
