import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadDemoData } from '../demo/demo-data';
import { Incident } from '../incidents/incident.entity';
import { RegionsService } from '../regions/regions.service';
import { syncWordFamilies } from '../common/word-families';
import { createDataSource } from './data-source';

export interface PreparedDatabase {
  migrationsRun: string[];
  regions: number;
  demoLoaded: boolean;
}

/** Creates `database` on the server at `serverUrl` when it is missing (embedded PostgreSQL). */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Runs pending migrations, syncs regions from ISO 3166 and, when asked and the database holds
 * no incidents, loads the demo data. */
export async function prepareDatabase(url: string, options: { demoData: boolean; regions?: boolean }): Promise<PreparedDatabase> {
  const dataSource: DataSource = createDataSource(url);
  await dataSource.initialize();
  try {
    return await prepareDataSource(dataSource, options);
  } finally {
    await dataSource.destroy();
  }
}

/** prepareDatabase on a data source already open (the command line's: one connection, not two). */
export async function prepareDataSource(dataSource: DataSource, options: { demoData: boolean; regions?: boolean }): Promise<PreparedDatabase> {
  const migrations = await dataSource.runMigrations({ transaction: 'each' });
  const regions = options.regions === false ? 0 : await RegionsService.sync(dataSource);
  // Search's word families live in code (src/common/word-families.ts), read by the database's stemmers.
  await syncWordFamilies(dataSource);
  let demoLoaded = false;
  if (options.demoData && (await dataSource.getRepository(Incident).count({ withDeleted: true })) === 0) {
    await loadDemoData(dataSource);
    demoLoaded = true;
  }
  return { migrationsRun: migrations.map((m) => m.name), regions, demoLoaded };
}
