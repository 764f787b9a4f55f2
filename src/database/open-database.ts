import { Client } from 'pg';
import { VigilConfig } from '../config/config';
import { embeddedUrl, RunningPostgres, startEmbeddedPostgres } from './embedded-postgres';
import { ensureDatabase } from './prepare';

export const DATABASE_NAME = 'vigil';

export interface OpenedDatabase {
  url: string;
  /** Stops the embedded server if this process started it. */
  close(): Promise<void>;
}

async function accepts(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The database to use: DATABASE_URL when set; otherwise the embedded PostgreSQL in
 * EMBEDDED_PG_DIR, started here, or (with `reuseRunning`, for the command line next to a running
 * `npm start`) the one already running on EMBEDDED_PG_PORT. */
export async function openDatabase(
  config: VigilConfig,
  options: { reuseRunning: boolean; log: (message: string) => void },
): Promise<OpenedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, close: async () => undefined };
  const port = config.EMBEDDED_PG_PORT;
  if (options.reuseRunning && (await accepts(embeddedUrl(port)))) {
    options.log(`Using the embedded PostgreSQL already running on port ${port}`);
    await ensureDatabase(embeddedUrl(port), DATABASE_NAME);
    return { url: embeddedUrl(port, DATABASE_NAME), close: async () => undefined };
  }
  options.log(`No DATABASE_URL: starting embedded PostgreSQL in ${config.EMBEDDED_PG_DIR} on port ${port}`);
  const embedded: RunningPostgres = await startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, port, persistent: true });
  await ensureDatabase(embedded.url(), DATABASE_NAME);
  return {
    url: embedded.url(DATABASE_NAME),
    close: async () => {
      await embedded.stop();
      options.log('Embedded PostgreSQL stopped');
    },
  };
}
