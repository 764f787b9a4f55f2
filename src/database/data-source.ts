import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** The one place Vigil's TypeORM connection is described; `synchronize` is never on: the schema
 * changes only through migrations/. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install (managed servers
    // often forbid CREATE EXTENSION).
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    extra: { max: 20, application_name: 'vigil' },
  };
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
