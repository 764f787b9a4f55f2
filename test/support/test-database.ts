import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { prepareDatabase } from '../../src/database/prepare';

/** Set by test/global-setup.ts: a superuser URL on the test PostgreSQL server. */
export function serverUrl(database = 'postgres'): string {
  const base = process.env.VIGIL_TEST_SERVER_URL;
  if (!base) throw new Error('VIGIL_TEST_SERVER_URL is not set: run the tests with `npm test`');
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

/** A migrated template database for this test run, built once (under an advisory lock, as test
 * files run in parallel workers) and then copied by every test file. */
async function ensureTemplate(demoData: boolean): Promise<string> {
  const name = `vigil_tpl_${demoData ? 'demo' : 'empty'}_${process.env.VIGIL_TEST_RUN ?? 'local'}`;
  await admin(async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount) return;
      const building = `${name}_building`;
      await client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${building}`);
      await prepareDatabase(serverUrl(building), { demoData });
      await client.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  return name;
}

async function createDatabase(template: string | null): Promise<TestDatabase> {
  const name = `vigil_t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  return {
    url: serverUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A database of its own for one test file: migrated, regions loaded, with or without demo data. */
export async function createTestDatabase(options: { demoData: boolean }): Promise<TestDatabase> {
  return createDatabase(await ensureTemplate(options.demoData));
}

/** A database with nothing in it, not even migrations. */
export function createBlankDatabase(): Promise<TestDatabase> {
  return createDatabase(null);
}
