import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Longest wait for a connection, new or from the pool: when PostgreSQL is down or every
 * connection is busy, a request fails after this rather than hanging. */
export const CONNECT_TIMEOUT_MS = 5_000;

export interface ConnectionLimits {
  /** Longest a single statement may run (PostgreSQL's statement_timeout); 0 or unset: no limit.
   * Set for the service; not for migrations, the demo loader or the generator, whose statements
   * may rightly run long. */
  statementTimeoutMs?: number;
  /** Read replicas of `url` (DATABASE_REPLICA_URLS). */
  replicaUrls?: string[];
}

/** The one place Vigil's TypeORM connection is described; `synchronize` is never on: the schema
 * changes only through migrations/. */
export function dataSourceOptions(url: string, limits: ConnectionLimits = {}): DataSourceOptions {
  const statementTimeout = limits.statementTimeoutMs ? { statement_timeout: limits.statementTimeoutMs } : {};
  // With replicas, everything still goes to the primary unless a reader asks for a replica
  // (defaultMode): token checks, the audit log and every write must never read a lagging copy.
  // The exports ask (src/exports/exports.service.ts).
  const servers = limits.replicaUrls?.length
    ? { replication: { master: { url }, slaves: limits.replicaUrls.map((replica) => ({ url: replica })), defaultMode: 'master' as const } }
    : { url };
  return {
    type: 'postgres',
    ...servers,
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
    extra: {
      max: 20,
      application_name: 'vigil',
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // A server that vanished without closing the socket (host down, network cut) is noticed by
      // TCP keepalive instead of a query waiting forever.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      ...statementTimeout,
    },
  };
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
