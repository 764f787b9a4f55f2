import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig, replicaUrls } from './config/config';
import { openDatabase } from './database/open-database';
import { prepareDatabase } from './database/prepare';
import { securityOptionsFromConfig } from './security/from-config';

async function main(): Promise<void> {
  const config = loadConfig();
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
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Vigil could not start:', error instanceof Error ? error.stack : error);
  }
  process.exit(1);
});
