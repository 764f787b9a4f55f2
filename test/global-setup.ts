import chromium from '@sparticuz/chromium';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { freePort } from '../src/database/free-port';

/** Starts one real PostgreSQL for the run (embedded, throwaway directory, free port) unless
 * DATABASE_URL names a server. It imports nothing decorated: Nest's GraphQL metadata lives in a
 * process global, and jest may run test files in this same process. Template databases are built
 * by the first test file that needs them (test/support/test-database.ts). */
export default async function globalSetup(): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-test-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false }).catch((error: unknown) => {
      // Its message says what to do; jest would bury it under a stack trace.
      if (!(error instanceof EmbeddedPostgresError)) throw error;
      process.stderr.write(`\nThe tests could not start their PostgreSQL: ${error.message}\n`);
      process.exit(1);
    });
    (globalThis as { vigilTestPostgres?: { stop: () => Promise<void> } }).vigilTestPostgres = pg;
    url = pg.url();
  }
  // The browser tests' Chromium (test/browser) is unpacked from its npm package into the temporary
  // folder on first use; done here, once, so that two test files never unpack it at once.
  chromium.setGraphicsMode = false;
  await chromium.executablePath();
  process.env.VIGIL_TEST_SERVER_URL = url;
  process.env.VIGIL_TEST_RUN = `${Date.now().toString(36)}${process.pid}`;
}
