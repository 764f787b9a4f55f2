import { createDataSource } from '../src/database/data-source';
import { createBlankDatabase, TestDatabase } from './support/test-database';

/** Like Immich's CI: the migrations must build exactly the schema the entities describe, and
 * undo cleanly. */
describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createBlankDatabase();
  });
  afterAll(() => db.drop());

  it('build the schema the entities describe, with nothing left to generate', async () => {
    const ds = createDataSource(db.url);
    await ds.initialize();
    try {
      // As the service runs them (src/database/prepare.ts): one transaction each, unless a migration
      // says otherwise (CREATE INDEX CONCURRENTLY cannot run in one).
      const ran = await ds.runMigrations({ transaction: 'each' });
      expect(ran.length).toBeGreaterThan(0);
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      expect(ds.options.synchronize).toBe(false);
    } finally {
      await ds.destroy();
    }
  });

  it('undo every step, leaving no table behind, and apply again', async () => {
    const ds = createDataSource(db.url);
    await ds.initialize();
    try {
      for (let i = 0; i < ds.migrations.length; i++) await ds.undoLastMigration();
      const tables = await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'typeorm_metadata')`);
      expect(tables).toEqual([]);
      const types = await ds.query(`SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'`);
      expect(types).toEqual([]);
      await ds.runMigrations({ transaction: 'each' });
      expect(await ds.driver.createSchemaBuilder().log()).toMatchObject({ upQueries: [] });
    } finally {
      await ds.destroy();
    }
  });

  it('compute the span a date covers in the database as the code does', async () => {
    const ds = createDataSource(db.url);
    await ds.initialize();
    try {
      await ds.query(`INSERT INTO situation (name, date_start, date_end, date_precision, date_open_end) VALUES
        ('day', '2017-06-02', NULL, 'DAY', false), ('month', '2016-02-01', NULL, 'MONTH', false),
        ('year', '2019-01-01', NULL, 'YEAR', false), ('months', '2017-04-01', '2017-06-01', 'MONTH', false),
        ('open', '2017-04-01', NULL, 'MONTH', true)`);
      const rows: { name: string; latest: string }[] = await ds.query(`SELECT name, date_latest::text AS latest FROM situation ORDER BY name`);
      expect(Object.fromEntries(rows.map((r) => [r.name, r.latest]))).toEqual({
        day: '2017-06-02', month: '2016-02-29', year: '2019-12-31', months: '2017-06-30', open: 'infinity',
      });
    } finally {
      await ds.destroy();
    }
  });
});
