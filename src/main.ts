import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';
import { RunningPostgres, startEmbeddedPostgres } from './database/embedded-postgres';
import { ensureDatabase, prepareDatabase } from './database/prepare';

const DATABASE_NAME = 'vigil';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('Vigil');
  let embedded: RunningPostgres | null = null;
  let url = config.DATABASE_URL;
  if (!url) {
    logger.log(`No DATABASE_URL: starting embedded PostgreSQL in ${config.EMBEDDED_PG_DIR} on port ${config.EMBEDDED_PG_PORT}`);
    embedded = await startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT, persistent: true });
    await ensureDatabase(embedded.url(), DATABASE_NAME);
    url = embedded.url(DATABASE_NAME);
  }

  const prepared = await prepareDatabase(url, { demoData: config.DEMO_DATA });
  logger.log(
    `Database ready: ${prepared.migrationsRun.length} migration(s) run, ${prepared.regions} regions` +
      (prepared.demoLoaded ? ', demo data loaded' : ''),
  );

  const app = await createApp({ databaseUrl: url, logLevel: config.LOG_LEVEL });
  await app.listen(config.PORT, config.HOST);
  logger.log(`Vigil GraphQL listening on http://localhost:${config.PORT}/graphql (health: /health)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    await app.close();
    if (embedded) {
      await embedded.stop();
      logger.log('Embedded PostgreSQL stopped');
    }
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
