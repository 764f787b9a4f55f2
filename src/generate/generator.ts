import { REBUILD_STATS_ROLLUP_SQL, STATS_ROLLUP_TRIGGERS } from '../incidents/stats-rollup';
import { REBUILD_SEARCH_DOCUMENTS_SQL, SEARCH_DOCUMENT_TABLES, SEARCH_DOCUMENT_TRIGGERS } from '../incidents/search-document';
import { restrictUnsourcedSql } from '../sources/publication-rule';
import { PoolClient } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import { UserInputError } from '../common/errors';
import { RegionsService } from '../regions/regions.service';
import { copyRows } from './copy';
import { SyntheticVigil } from './synthetic-vigil';
import { RegionRow, World } from './world';

/* `npm run vigil -- generate`: fills an empty database with synthetic data shaped like the real
 * thing, for load tests and query plans. Every SQL statement of the generator is in this file. */

export interface GenerateOptions {
  /** Number of incidents; every other table is sized from it (see planFor). */
  incidents: number;
  /** Same seed, same regions: the same rows, ids included. */
  seed: number;
  /** Progress lines (one per table). */
  log?: (line: string) => void;
}

export interface Summary {
  seed: number;
  /** Rows written, by table, in load order. */
  rows: Record<string, number>;
  totalRows: number;
  seconds: number;
}

/** The database already holds incidents: the generator only fills an empty one. */
export class DatabaseNotEmptyError extends UserInputError {
  constructor(incidents: number) {
    super([
      {
        path: 'database',
        message:
          `already holds ${incidents} incident${incidents === 1 ? '' : 's'}; "generate" only fills a database without any ` +
          '(point DATABASE_URL or EMBEDDED_PG_DIR at a new one)',
      },
    ]);
  }
}

interface Deferred {
  indexes: { name: string; definition: string }[];
  foreignKeys: { table: string; name: string; definition: string }[];
}

/** Indexes and foreign keys make a bulk load many times slower when they are maintained row by
 * row. Inside the load's transaction, drop them (all but primary keys and other constraints'
 * indexes) as PostgreSQL itself describes them, and build them again from those descriptions once
 * the rows are in: a rollback brings the originals back, a commit leaves the same names and
 * definitions as the migrations made. The tables stay locked until the commit. */
async function dropSecondaryStructures(runner: QueryRunner, tables: string[]): Promise<Deferred> {
  const foreignKeys: Deferred['foreignKeys'] = await runner.query(
    `SELECT c.conrelid::regclass::text AS "table", quote_ident(c.conname) AS name, pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY($1::regclass[]) ORDER BY 1, 2`,
    [tables],
  );
  const indexes: Deferred['indexes'] = await runner.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
     ORDER BY 1`,
    [tables],
  );
  for (const fk of foreignKeys) await runner.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
  for (const index of indexes) await runner.query(`DROP INDEX ${index.name}`);
  return { indexes, foreignKeys };
}

async function restoreSecondaryStructures(runner: QueryRunner, deferred: Deferred, log: (line: string) => void): Promise<void> {
  await runner.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  let started = process.hrtime.bigint();
  for (const index of deferred.indexes) await runner.query(index.definition);
  log(`indexes: ${deferred.indexes.length} built in ${seconds(started).toFixed(1)} s`);
  started = process.hrtime.bigint();
  for (const fk of deferred.foreignKeys) await runner.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.definition}`);
  log(`foreign keys: ${deferred.foreignKeys.length} checked in ${seconds(started).toFixed(1)} s`);
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** Loads the synthetic data set in one transaction (all or nothing), with COPY, then ANALYZE. The
 * regions are loaded first if the region table is empty (outside the transaction: they are
 * reference data, synced at every start anyway). */
export async function generateData(dataSource: DataSource, options: GenerateOptions): Promise<Summary> {
  const { incidents, seed } = options;
  const log = options.log ?? (() => undefined);
  if (!Number.isSafeInteger(incidents) || incidents < 1) throw UserInputError.of('--incidents', 'must be a whole number, at least 1');
  if (incidents > 100_000_000) throw UserInputError.of('--incidents', 'must be at most 100000000');
  if (!Number.isSafeInteger(seed) || seed < 0) throw UserInputError.of('--seed', 'must be a whole number, 0 or more');
  const started = process.hrtime.bigint();

  const [{ present }]: { present: boolean }[] = await dataSource.query('SELECT EXISTS (SELECT 1 FROM region) AS present');
  if (!present) log(`region: ${await RegionsService.sync(dataSource)} rows (ISO 3166, were missing)`);
  const regions: RegionRow[] = await dataSource.query('SELECT code, name, kind, country_code FROM region ORDER BY code COLLATE "C"');
  const data = new SyntheticVigil(new World(regions, seed), seed, incidents);

  const runner = dataSource.createQueryRunner();
  // The query runner's own pg connection: COPY streams through it, inside its transaction.
  const client = (await runner.connect()) as PoolClient;
  const rows: Record<string, number> = {};
  try {
    await runner.startTransaction();
    // Nobody adds incidents between the check and the load. The load then locks every table it
    // fills, readers included, until the commit (its indexes are rebuilt).
    await runner.query('LOCK TABLE incident IN EXCLUSIVE MODE');
    const [{ count }]: { count: number }[] = await runner.query('SELECT count(*)::int AS count FROM incident');
    if (count > 0) throw new DatabaseNotEmptyError(count);
    const loads = data.tables();
    const deferred = await dropSecondaryStructures(runner, loads.map((l) => l.table));
    // The stats rollup is filled once at the end, not statement by statement (its triggers would
    // hold every loaded row in their transition tables).
    for (const t of STATS_ROLLUP_TRIGGERS) await runner.query(`ALTER TABLE ${t.table} DISABLE TRIGGER ${t.name}`);
    // The search documents likewise, built once with their indexes after.
    for (const t of SEARCH_DOCUMENT_TRIGGERS) await runner.query(`ALTER TABLE ${t.table} DISABLE TRIGGER ${t.name}`);
    for (const load of loads) {
      const tableStarted = process.hrtime.bigint();
      rows[load.table] = await copyRows(client, load.table, load.columns, load.rows());
      log(`${load.table}: ${rows[load.table]} rows in ${seconds(tableStarted).toFixed(1)} s`);
    }
    // Every record says where it came from: the few generated without a public source stay RESTRICTED.
    for (const sql of restrictUnsourcedSql()) await runner.query(sql);
    await restoreSecondaryStructures(runner, deferred, log);
    const rollingUp = process.hrtime.bigint();
    await runner.query(REBUILD_STATS_ROLLUP_SQL);
    for (const t of STATS_ROLLUP_TRIGGERS) await runner.query(`ALTER TABLE ${t.table} ENABLE TRIGGER ${t.name}`);
    log(`stats rollup: built in ${seconds(rollingUp).toFixed(1)} s`);
    const documenting = process.hrtime.bigint();
    const documentIndexes = await dropSecondaryStructures(runner, [...SEARCH_DOCUMENT_TABLES]);
    await runner.query(REBUILD_SEARCH_DOCUMENTS_SQL);
    await restoreSecondaryStructures(runner, documentIndexes, log);
    for (const t of SEARCH_DOCUMENT_TRIGGERS) await runner.query(`ALTER TABLE ${t.table} ENABLE TRIGGER ${t.name}`);
    log(`search documents: built in ${seconds(documenting).toFixed(1)} s`);
    const committing = process.hrtime.bigint();
    await runner.commitTransaction();
    log(`commit: ${seconds(committing).toFixed(1)} s`);
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }

  const analyzing = process.hrtime.bigint();
  await dataSource.query(`ANALYZE ${[...Object.keys(rows), 'incident_stats_rollup', 'incident_response_stats', ...SEARCH_DOCUMENT_TABLES].join(', ')}`);
  log(`analyze: ${seconds(analyzing).toFixed(1)} s`);
  const totalRows = Object.values(rows).reduce((a, b) => a + b, 0);
  return { seed, rows, totalRows, seconds: seconds(started) };
}
