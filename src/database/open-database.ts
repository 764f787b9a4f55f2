import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { VigilConfig } from '../config/config';
import { EmbeddedPostgresError, embeddedUrl, RunningPostgres, startEmbeddedPostgres } from './embedded-postgres';
import { ensureDatabase } from './prepare';

export const DATABASE_NAME = 'vigil';

export interface OpenedDatabase {
  url: string;
  /** Stops the embedded server if this process started it. */
  close(): Promise<void>;
}

/** Why the embedded server at `url` does not take connections; null when it does. */
async function refusal(url: string): Promise<string | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface RunningServer {
  pid: number;
  port: number;
}

/** The PostgreSQL running on `dataDir`, from the postmaster.pid it keeps there (line 1 its pid,
 * line 4 its port); null when none runs (no file, or one left by a server that died). */
export function runningServer(dataDir: string): RunningServer | null {
  const file = join(resolve(dataDir), 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user (the `postgres` user when Vigil runs as root).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return { pid, port };
}

/** The database to use: DATABASE_URL when set; otherwise the embedded PostgreSQL in
 * EMBEDDED_PG_DIR, started here, or (with `reuseRunning`, for the command line next to a running
 * `npm start`) the one already running on that folder, found by its postmaster.pid (whatever
 * EMBEDDED_PG_PORT says). */
export async function openDatabase(
  config: VigilConfig,
  options: { reuseRunning: boolean; log: (message: string) => void },
): Promise<OpenedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, close: async () => undefined };
  const port = config.EMBEDDED_PG_PORT;
  const running = runningServer(config.EMBEDDED_PG_DIR);
  if (running) {
    if (!options.reuseRunning) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL in ${config.EMBEDDED_PG_DIR} is already running (pid ${running.pid}, port ${running.port}): ` +
          `another \`npm start\`? Stop it first, or set EMBEDDED_PG_DIR to another folder.`,
      );
    }
    const why = await refusal(embeddedUrl(running.port));
    if (why) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL in ${config.EMBEDDED_PG_DIR} runs (pid ${running.pid}, port ${running.port}) but refuses a connection: ${why}. ` +
          `If it is still starting, try again in a moment.`,
      );
    }
    const other = running.port !== port ? ` (not EMBEDDED_PG_PORT=${port}: the server's own port, from its data folder)` : '';
    options.log(`Using the embedded PostgreSQL already running in ${config.EMBEDDED_PG_DIR} on port ${running.port}${other}`);
    await ensureDatabase(embeddedUrl(running.port), DATABASE_NAME);
    return { url: embeddedUrl(running.port, DATABASE_NAME), close: async () => undefined };
  }
  options.log(`No DATABASE_URL: starting embedded PostgreSQL in ${config.EMBEDDED_PG_DIR} on port ${port}`);
  const embedded: RunningPostgres = await startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, port, persistent: true, onNotice: options.log });
  await ensureDatabase(embedded.url(), DATABASE_NAME);
  return {
    url: embedded.url(DATABASE_NAME),
    close: async () => {
      await embedded.stop();
      options.log('Embedded PostgreSQL stopped');
    },
  };
}
