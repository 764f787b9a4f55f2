/* A page of incidents reads the relations its query asks for (citations with their sources,
 * responses) inside the page's own statement (IncidentsService.list, Loaders.manyInside). That is
 * another way rows are read, so it must answer exactly what the general path answers, one
 * statement per relation: the same bytes for the same query, for every role, with hidden, deleted
 * and restricted records around the page and a restricted field asked for; and the same audit. */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { AccessLevel } from '../../src/access/access-level';
import { createApp } from '../../src/app.factory';
import { Incident } from '../../src/incidents/incident.entity';
import { AdvocacyResponse } from '../../src/responses/advocacy-response.entity';
import { ResponseIncident } from '../../src/responses/response-links.entity';
import { Citation } from '../../src/sources/citation.entity';
import { Source } from '../../src/sources/source.entity';
import { Role, ROLES, startTestApp, TestApp } from '../support/test-app';

let t: TestApp;
/** The same service over the same database, without reading ahead. */
let general: NestFastifyApplication;
let ds: DataSource;

async function copyOf<T extends ObjectLiteral>(entity: EntityTarget<T>, id: string, changes: Record<string, unknown>): Promise<string> {
  const repo = ds.getRepository(entity);
  const { id: _id, createdAt: _c, updatedAt: _u, version: _v, ...rest } = (await repo.findOneByOrFail({ id } as never)) as Record<string, unknown>;
  return ((await repo.save(repo.create({ ...rest, ...changes } as never))) as unknown as { id: string }).id;
}

beforeAll(async () => {
  t = await startTestApp();
  ds = t.dataSource;
  general = await createApp({
    databaseUrl: (ds.options as { url: string }).url,
    logLevel: 'silent',
    queryCache: false,
    readAhead: false,
    security: { rateLimitPerAddress: 0, rateLimitPerToken: 0, authFailureLimit: 0 },
  });

  // Around the first page's incidents: citations and responses at every level, deleted ones, a
  // public citation of a restricted source, a restricted incident, and exact coordinates.
  const page: { id: string }[] = await ds.query('SELECT id FROM incident WHERE deleted_at IS NULL AND confidentiality = $1 ORDER BY date_start DESC, id DESC LIMIT 6', [AccessLevel.PUBLIC]);
  const [a, b, c] = page.map((r) => r.id);
  expect(c).toBeDefined();
  const citation = (await ds.query('SELECT id, source_id FROM citation WHERE incident_id IS NOT NULL AND deleted_at IS NULL LIMIT 1'))[0];
  const response = (await ds.query('SELECT id FROM advocacy_response WHERE deleted_at IS NULL LIMIT 1'))[0].id;
  await ds.query('UPDATE incident SET latitude = 55.75, longitude = 37.62 WHERE id = ANY($1)', [[a, c]]);
  for (const level of [AccessLevel.PUBLIC, AccessLevel.RESTRICTED, AccessLevel.CONFIDENTIAL]) {
    await copyOf(Citation, citation.id, { incidentId: a, excerpt: `${level} citation`, confidentiality: level });
    const source = await copyOf(Source, citation.source_id, { title: `${level} source`, confidentiality: level });
    await copyOf(Citation, citation.id, { incidentId: b, sourceId: source, excerpt: `public citation of a ${level} source` });
    const answer = await copyOf(AdvocacyResponse, response, { title: `${level} response`, confidentiality: level });
    await ds.getRepository(ResponseIncident).save({ responseId: answer, incidentId: a });
    await ds.getRepository(ResponseIncident).save({ responseId: answer, incidentId: c, confidentiality: level });
  }
  const deleted = await copyOf(Citation, citation.id, { incidentId: c, excerpt: 'deleted citation' });
  await ds.query('UPDATE citation SET deleted_at = now() WHERE id = $1', [deleted]);
  const goneSource = await copyOf(Source, citation.source_id, { title: 'deleted source' });
  await copyOf(Citation, citation.id, { incidentId: c, sourceId: goneSource, excerpt: 'citation of a deleted source' });
  await ds.query('UPDATE source SET deleted_at = now() WHERE id = $1', [goneSource]);
  const hidden = await copyOf(Incident, a, { headline: 'restricted incident', confidentiality: AccessLevel.RESTRICTED });
  await copyOf(Citation, citation.id, { incidentId: hidden, excerpt: 'citation of a restricted incident' });
  // Edits after creation: the change stamps differ from the records' own versions.
  await ds.query("UPDATE incident SET version = version + 2, updated_at = now() + interval '1 hour' WHERE id = ANY($1)", [[a, b]]);
});

afterAll(async () => {
  await general?.close();
  await t?.close();
});

const PAGE = `query Page($first: Int, $after: String) {
  incidents(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage }
    edges { node {
      id headline confidentiality version updatedAt latitude
      citations { id excerpt confidentiality version updatedAt sourceId source { id title publisher confidentiality version updatedAt } }
      independentSourceCount
      responses { id title kind confidentiality version updatedAt }
      ...More
    } }
  }
}
fragment More on Incident { alsoCited: citations { excerpt source { title } } }`;

async function ask(app: NestFastifyApplication, role: Role, variables: Record<string, unknown>): Promise<string> {
  const req = request(app.getHttpServer()).post('/graphql');
  if (role !== Role.PUBLIC) req.set('Authorization', `Bearer ${await t.tokenFor(role)}`);
  const res = await req.send({ query: PAGE, variables });
  expect(res.status).toBe(200);
  return res.text;
}

const lastAudit = async () => Number((await ds.query('SELECT coalesce(max(id), 0) AS id FROM audit_event'))[0].id);
const auditSince = async (id: number) =>
  (await ds.query('SELECT action, operation, fields, kinds, level, subjects, subject_count FROM audit_event WHERE id > $1 ORDER BY id', [id])) as unknown[];

describe('a page of incidents read with its relations in one statement', () => {
  it.each(ROLES)('answers %s byte for byte as the general path does, and audits the same', async (role) => {
    if (role !== Role.PUBLIC) await t.tokenFor(role); // its account's creation is audited too
    for (const variables of [{ first: 10 }, { first: 3 }, { first: 50 }]) {
      const before = await lastAudit();
      const ahead = await ask(t.app, role, variables);
      const between = await lastAudit();
      const plain = await ask(general, role, variables);
      expect(ahead).toBe(plain);
      const [aheadAudit, plainAudit] = [(await auditSince(before)).slice(0, between - before), await auditSince(between)];
      expect(aheadAudit).toEqual(plainAudit);
      expect(aheadAudit.length).toBe(role === Role.PUBLIC ? 0 : 1);

      const body = JSON.parse(ahead);
      const nodes = body.data.incidents.edges.map((e: { node: unknown }) => e.node);
      expect(nodes.some((n: { citations: unknown[] }) => n.citations.length > 0)).toBe(true);
      const latitude = body.errors?.filter((e: { extensions: { field?: string } }) => e.extensions.field === 'Incident.latitude') ?? [];
      if (role === Role.PUBLIC) {
        expect(latitude.length).toBe(nodes.length);
        expect(ahead).not.toContain('55.75');
      } else {
        expect(latitude).toEqual([]);
        if (variables.first >= 10) expect(ahead).toContain('55.75');
      }
      const texts = (level: AccessLevel) => [`${level} citation`, `${level} response`, `public citation of a ${level} source`];
      for (const level of [AccessLevel.RESTRICTED, AccessLevel.CONFIDENTIAL]) {
        const readable = role === Role.EDITOR || role === Role.ADMIN || (role === Role.RESEARCHER && level === AccessLevel.RESTRICTED);
        if (variables.first >= 10) for (const text of texts(level)) expect([text, ahead.includes(text)]).toEqual([text, readable]);
      }
      for (const gone of ['deleted citation', 'citation of a deleted source']) expect(ahead).not.toContain(gone);
    }
  });

  it('sends one statement for the page and its relations', async () => {
    // Every statement the service sends goes through a query runner's query().
    const count = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    try {
      await ask(t.app, Role.PUBLIC, { first: 10 });
      const ahead = count.mock.calls.length;
      count.mockClear();
      await ask(general, Role.PUBLIC, { first: 10 });
      // The general path: the page, then citations with their sources, then responses.
      expect([ahead, count.mock.calls.length]).toEqual([2, 4]); // and a COUNT for totalCount
    } finally {
      count.mockRestore();
    }
  });
});
