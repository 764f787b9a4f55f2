import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type pino from 'pino';
import { createApp } from './app.factory';
import { ConfigError, loadConfig, replicaUrls } from './config/config';
import { EmbeddedPostgresError } from './database/embedded-postgres';
import { openDatabase } from './database/open-database';
import { prepareDatabase } from './database/prepare';
import { createRootLogger, PinoNestLogger } from './logging/logging';
import { securityOptionsFromConfig } from './security/from-config';

/** The root logger once the configuration is read; until then, failures are logged as JSON. */
let root: pino.Logger | undefined;

async function main(): Promise<void> {
  const config = loadConfig();
  root = createRootLogger(config.LOG_LEVEL, undefined, config.LOG_FORMAT);
  // Every Nest logger, from the first line on, writes through pino (JSON lines unless LOG_FORMAT=pretty).
  Logger.overrideLogger(new PinoNestLogger(root));
  const logger = new Logger('Vigil');
  const database = await openDatabase(config, { reuseRunning: false, log: (m) => logger.log(m) });
  const url = database.url;

  const prepared = await prepareDatabase(url, { demoData: config.DEMO_DATA });
  logger.log(
    `Database ready: ${prepared.migrationsRun.length} migration(s) run, ${prepared.regions} regions` +
      (prepared.demoLoaded ? ', demo data loaded' : ''),
  );

  const app = await createApp({
    databaseUrl: url,
    logLevel: config.LOG_LEVEL,
    logger: root,
    security: securityOptionsFromConfig(config),
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000,
    replicaUrls: replicaUrls(config),
  });
  await app.listen(config.PORT, config.HOST);
  logger.log(`Vigil GraphQL listening on http://localhost:${config.PORT}/graphql (health: /health)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // A configuration that did not load still says how it wants its logs, when it says so correctly.
  const logger = root ?? createRootLogger('info', undefined, process.env.LOG_FORMAT === 'pretty' ? 'pretty' : 'json');
  // A bad setting or a PostgreSQL that will not start is the operator's to fix: its message says
  // how, and a stack trace would only bury it.
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) logger.fatal(`Vigil could not start: ${error.message}`);
  else logger.fatal({ err: error }, `Vigil could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
