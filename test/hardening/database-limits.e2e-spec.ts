/** The service's connections cannot wait forever: a statement stops at statement_timeout, and
 * getting a connection gives up after CONNECT_TIMEOUT_MS (the outage itself is in
 * database-outage.e2e-spec.ts). */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { CONNECT_TIMEOUT_MS } from '../../src/database/data-source';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';

describe('database connection limits', () => {
  it('default to a 30 s statement timeout and a 5 s connection timeout', async () => {
    const t = await startTestApp({ demo: false });
    try {
      expect(await t.dataSource.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '30s' }]);
      expect(CONNECT_TIMEOUT_MS).toBe(5000);
      expect(t.dataSource.options.extra).toMatchObject({ connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
    } finally {
      await t.close();
    }
  });

  describe('with a short statement timeout', () => {
    let db: TestDatabase;
    let app: NestFastifyApplication;
    beforeAll(async () => {
      db = await createTestDatabase({ demoData: false });
      app = await createApp({ databaseUrl: db.url, logLevel: 'silent', queryCache: false, statementTimeoutMs: 200 });
    });
    afterAll(async () => {
      await app.close();
      await db.drop();
    });

    it('cancels a statement that runs longer', async () => {
      const dataSource = app.get<DataSource>(getDataSourceToken());
      const started = Date.now();
      await expect(dataSource.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });
});
