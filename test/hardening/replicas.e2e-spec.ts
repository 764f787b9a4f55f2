/** Read replicas (DATABASE_REPLICA_URLS): the exports read from a replica, while tokens, the audit
 * log, GraphQL and every write stay on the primary. The "replica" here is a second database that
 * differs from the primary in one headline, so the test can tell which one answered. */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AccountRole } from '../../src/access/role';
import { AccountsService } from '../../src/accounts/accounts.service';
import { createApp } from '../../src/app.factory';
import { createDataSource } from '../../src/database/data-source';
import { TEST_OPERATOR } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const ON_REPLICA = 'Headline as the replica has it';

describe('read replicas', () => {
  let primary: TestDatabase;
  let replica: TestDatabase;
  let primaryDb: DataSource;
  let replicaDb: DataSource;
  let app: NestFastifyApplication;
  let token: string;
  let incidentId: string;
  let primaryHeadline: string;

  const csv = async (path: string, bearer?: string) => {
    const req = request(app.getHttpServer()).get(path);
    const res = await (bearer ? req.set('Authorization', `Bearer ${bearer}`) : req);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return parse(res.text, { columns: true }) as Record<string, string>[];
  };
  const auditedExports = async (db: DataSource) => Number((await db.query(`SELECT count(*) AS n FROM audit_event WHERE action = 'EXPORT'`))[0].n);

  beforeAll(async () => {
    [primary, replica] = [await createTestDatabase({ demoData: true }), await createTestDatabase({ demoData: true })];
    [primaryDb, replicaDb] = [createDataSource(primary.url), createDataSource(replica.url)];
    await primaryDb.initialize();
    await replicaDb.initialize();
    [{ id: incidentId, headline: primaryHeadline }] = await primaryDb.query(`SELECT id, headline FROM incident WHERE confidentiality = 'PUBLIC' ORDER BY id LIMIT 1`);
    await replicaDb.query(`UPDATE incident SET headline = $2 WHERE id = $1`, [incidentId, ON_REPLICA]);
    // Exact coordinates on both: a researcher's export of them is audited.
    for (const db of [primaryDb, replicaDb]) await db.query(`UPDATE incident SET latitude = 43.3, longitude = 45.7, location_precision = 'EXACT' WHERE id = $1`, [incidentId]);
    app = await createApp({
      databaseUrl: primary.url,
      replicaUrls: [replica.url],
      logLevel: 'silent',
      queryCache: false,
      security: { rateLimitPerAddress: 0, rateLimitPerToken: 0, authFailureLimit: 0 },
    });
    // The account and token exist on the primary only: a token checked on the replica would fail.
    const accounts = app.get(AccountsService);
    const account = await accounts.createAccount(TEST_OPERATOR, { email: 'researcher@replica.test', role: AccountRole.RESEARCHER }, 'test setup');
    ({ token } = await accounts.createToken(TEST_OPERATOR, { accountId: account.id, name: 'test' }, 'test setup'));
  });

  afterAll(async () => {
    await app?.close();
    await primaryDb?.destroy();
    await replicaDb?.destroy();
    await primary?.drop();
    await replica?.drop();
  });

  it('serves exports from the replica', async () => {
    const rows = await csv('/exports/incidents.csv');
    expect(rows.find((r) => r.id === incidentId)?.headline).toBe(ON_REPLICA);
    const events = JSON.parse((await request(app.getHttpServer()).get('/exports/timeline.json')).text) as { events: { text: { headline: string } }[] };
    expect(events.events.map((e) => e.text.headline)).toContain(ON_REPLICA);
  });

  it('checks tokens and writes the export audit entry on the primary', async () => {
    const [before, replicaBefore] = [await auditedExports(primaryDb), await auditedExports(replicaDb)];
    // A researcher's export carries coordinates: it is audited.
    const rows = await csv('/exports/incidents.csv', token);
    expect(rows.find((r) => r.id === incidentId)?.latitude).toBe('43.3');
    expect(await auditedExports(primaryDb)).toBe(before + 1);
    expect(await auditedExports(replicaDb)).toBe(replicaBefore);
  });

  it('answers GraphQL and takes writes on the primary', async () => {
    const { body } = await request(app.getHttpServer())
      .post('/graphql')
      .send({ query: 'query($id: ID!) { incident(id: $id) { headline } }', variables: { id: incidentId } });
    expect(body.data.incident.headline).toBe(primaryHeadline);
    const editor = await app.get(AccountsService).createAccount(TEST_OPERATOR, { email: 'editor@replica.test', role: AccountRole.EDITOR }, 'test setup');
    const { token: editorToken } = await app.get(AccountsService).createToken(TEST_OPERATOR, { accountId: editor.id, name: 'test' }, 'test setup');
    const created = await request(app.getHttpServer())
      .post('/graphql')
      .set('Authorization', `Bearer ${editorToken}`)
      .send({ query: 'mutation { createOrganization(input: { name: "Written to the primary", kind: NGO }) { id } }' });
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data.createOrganization.id;
    expect(await primaryDb.query(`SELECT name FROM organization WHERE id = $1`, [id])).toEqual([{ name: 'Written to the primary' }]);
    expect(await replicaDb.query(`SELECT name FROM organization WHERE id = $1`, [id])).toEqual([]);
  });
});
