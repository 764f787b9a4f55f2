import { GraphQLSchemaHost } from '@nestjs/graphql';
import { getNamedType, isObjectType } from 'graphql';
import { Role } from '../../src/access/role';
import { EXPORT_ROUTES } from '../../src/exports/routes';
import { download } from '../exports/support';
import { AccessFixture, buildAccessFixture, SECRET } from '../support/access-fixture';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 14, class 5: every response that carries protected information, in any form, is audited
 * with what kind of information it was; the public path writes nothing. */
describe('the audit log hears of every kind of protected information', () => {
  let t: TestApp;
  let f: AccessFixture;
  let researcherId: string;
  beforeAll(async () => {
    t = await startTestApp();
    f = await buildAccessFixture(t.dataSource);
    researcherId = await t.accountIdFor(Role.RESEARCHER);
    for (const role of [Role.EDITOR, Role.ADMIN] as const) await t.tokenFor(role); // accounts made now, not mid-test
  });
  afterAll(() => t.close());

  const lastId = async () => Number((await t.dataSource.query('SELECT coalesce(max(id), 0) AS id FROM audit_event'))[0].id);
  const eventsSince = async (id: number): Promise<any[]> => t.dataSource.query('SELECT * FROM audit_event WHERE id > $1 ORDER BY id', [id]);
  /** Runs `fn` with the row `id` of `table` at `level`, then puts it back to PUBLIC. */
  const atLevel = async <T>(table: string, id: string, level: string, fn: () => Promise<T>): Promise<T> => {
    await t.dataSource.query(`UPDATE ${table} SET confidentiality = $2 WHERE id = $1`, [id, level]);
    try {
      return await fn();
    } finally {
      await t.dataSource.query(`UPDATE ${table} SET confidentiality = 'PUBLIC' WHERE id = $1`, [id]);
    }
  };

  describe('cursors of protected sorts', () => {
    const byName = `query($after: String) { people(orderBy: FULL_NAME, first: 2, after: $after, filter: { pseudonym: "Victim A" }) {
      edges { cursor node { id fullName } } pageInfo { endCursor } } }`;

    it('are opaque: a FULL_NAME cursor decodes to nothing that holds the name', async () => {
      const { body } = await t.gql<any>(byName, {}, Role.RESEARCHER);
      expect(body.errors).toBeUndefined();
      const edge = body.data.people.edges.find((e: any) => e.node.id === f.personId);
      expect(edge.node.fullName).toBe(SECRET.fullName);
      for (const cursor of [edge.cursor, body.data.people.pageInfo.endCursor]) {
        const bytes = Buffer.from(cursor, 'base64url');
        for (const decoded of [bytes.toString('utf8'), bytes.toString('latin1'), cursor]) {
          expect(decoded.toLowerCase()).not.toContain('zelimkhan');
          expect(decoded.toLowerCase()).not.toContain('secretname');
        }
      }
    });

    it('refuse an altered, forged or foreign cursor with BAD_USER_INPUT naming the argument', async () => {
      const { body } = await t.gql<any>(byName, {}, Role.RESEARCHER);
      const cursor: string = body.data.people.pageInfo.endCursor;
      const bytes = Buffer.from(cursor, 'base64url');
      let forged: string;
      try {
        // A cursor that is readable JSON is forged by changing the sort value it holds.
        const values = JSON.parse(bytes.toString('utf8')) as unknown[];
        forged = Buffer.from(JSON.stringify(values.map((v) => (v === SECRET.fullName.toLowerCase() ? 'a' : v))), 'utf8').toString('base64url');
      } catch {
        bytes[bytes.length - 1] ^= 1;
        forged = bytes.toString('base64url');
      }
      const recent = await t.gql<any>('{ people(first: 1) { pageInfo { endCursor } } }', {}, Role.RESEARCHER);
      const foreign = recent.body.data.people.pageInfo.endCursor;
      for (const after of [forged, foreign, 'not-a-cursor']) {
        const refused = await t.gql<any>(byName, { after }, Role.RESEARCHER);
        expect(refused.status).toBe(200);
        expect(refused.body.data).toBeNull();
        expect(refused.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [expect.objectContaining({ path: 'after' })] });
      }
      // The real cursor still works.
      expect((await t.gql<any>(byName, { after: cursor }, Role.RESEARCHER)).body.errors).toBeUndefined();
    });

    it('are audited as a protected sort', async () => {
      const since = await lastId();
      await t.gql('{ people(orderBy: FULL_NAME, first: 3) { edges { node { pseudonym } } } }', {}, Role.RESEARCHER);
      const [event, ...more] = await eventsSince(since);
      expect(more).toEqual([]);
      expect(event).toMatchObject({
        action: 'READ',
        account_id: researcherId,
        operation: 'Query.people',
        kinds: ['PROTECTED_SORT'],
        fields: ['PersonOrder.FULL_NAME'],
        level: 'RESTRICTED',
        probes: [{ coordinate: 'PersonOrder.FULL_NAME', asked: { value: 'FULL_NAME' } }],
      });
    });
  });

  it('audits a name filter: what it matched and how long the guess was, never the guess', async () => {
    const since = await lastId();
    const { body } = await t.gql<any>('{ people(filter: { name: "Zelimkhan Secr" }) { totalCount } }', {}, Role.RESEARCHER);
    expect(body.data.people.totalCount).toBe(1);
    const events = await eventsSince(since);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'READ',
        kinds: ['PROTECTED_FILTER'],
        fields: ['PersonFilter.name'],
        level: 'RESTRICTED',
        probes: [{ coordinate: 'PersonFilter.name', asked: { length: 14 }, matches: 1 }],
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('Zelimkhan');
  });

  it('makes a search for a position by ever smaller boxes visible to admins', async () => {
    const since = await lastId();
    const { latitude: lat, longitude: lon } = SECRET;
    const boxes = [1, 0.01, 0.0001, 0.000001].map((half) => ({ south: lat - half, north: lat + half, west: lon - half, east: lon + half }));
    for (const within of boxes) {
      const { body } = await t.gql<any>('query($within: BoundingBox) { incidents(filter: { within: $within }, first: 1) { edges { node { id } } } }', { within }, Role.RESEARCHER);
      expect(body.data.incidents.edges.map((e: any) => e.node.id)).toContain(f.incidentId);
    }
    // What docs/access.md shows an admin.
    const query = `query($accountId: ID!) { auditEvents(filter: { accountId: $accountId, field: "IncidentFilter.within" }, first: 10) {
      edges { node { occurredAt operation kinds probes { coordinate asked matches } } } } }`;
    const { body } = await t.gql<any>(query, { accountId: researcherId }, Role.ADMIN);
    expect(body.errors).toBeUndefined();
    const probes = body.data.auditEvents.edges.map((e: any) => e.node.probes[0]).reverse();
    expect(probes).toHaveLength(4);
    const widths = probes.map((p: any) => p.asked.widthDegrees);
    expect(widths).toEqual([2, 0.02, 0.0002, 0.000002]);
    for (const p of probes) expect(p).toMatchObject({ coordinate: 'IncidentFilter.within', matches: expect.any(Number) });
    expect(probes.at(-1).matches).toBeGreaterThanOrEqual(1);
    // The box is not kept: only its size.
    const stored = JSON.stringify(await eventsSince(since));
    expect(stored).not.toContain(String(lat).slice(0, 6));
    expect(stored).not.toContain(String(lon).slice(0, 6));
  });

  describe('content of records above PUBLIC', () => {
    /** Every query that finds a record by id, from the schema: a new one needs an id here. */
    const byIdFields = () => {
      const schema = t.app.get(GraphQLSchemaHost).schema;
      return Object.values(schema.getQueryType()!.getFields()).filter((field) => {
        const type = getNamedType(field.type);
        return field.args.some((a) => a.name === 'id') && isObjectType(type) && 'confidentiality' in type.getFields();
      });
    };

    it('is audited when read by id, whatever the record type (generated from the schema)', async () => {
      const [{ source_id: sourceId }] = await t.dataSource.query('SELECT source_id FROM citation WHERE id = $1', [f.citationId]);
      const [{ id: organizationId }] = await t.dataSource.query(`SELECT id FROM organization WHERE confidentiality = 'PUBLIC' ORDER BY id LIMIT 1`);
      const ids: Record<string, string> = {
        Incident: f.incidentId,
        Person: f.personId,
        Citation: f.citationId,
        AdvocacyResponse: f.responseId,
        Situation: f.situationId,
        Source: sourceId,
        Organization: organizationId,
      };
      const fields = byIdFields();
      expect(fields.length).toBeGreaterThanOrEqual(7);
      for (const field of fields) {
        const type = getNamedType(field.type).name;
        const id = ids[type];
        expect([type, id]).toEqual([type, expect.any(String)]);
        const table = t.dataSource.getMetadata(type).tableName;
        for (const level of ['RESTRICTED', 'CONFIDENTIAL'] as const) {
          const reader = level === 'RESTRICTED' ? Role.RESEARCHER : Role.EDITOR;
          const since = await lastId();
          const { body } = await atLevel(table, id, level, () => t.gql<any>(`query($id: ID!) { ${field.name}(id: $id) { id } }`, { id }, reader));
          expect([field.name, body.data[field.name]]).toEqual([field.name, { id }]);
          const events = await eventsSince(since);
          expect([field.name, level, events]).toEqual([
            field.name,
            level,
            [expect.objectContaining({ action: 'READ', kinds: ['RECORD_ABOVE_PUBLIC'], level, subjects: [`${type}:${id}`], subject_count: 1 })],
          ]);
        }
      }
    });

    it('is audited at any depth, on the timeline, and for a link to a record above PUBLIC', async () => {
      // An incident's headline reached through a person's involvements (which, linking it, are
      // above PUBLIC too).
      let since = await lastId();
      await atLevel('incident', f.incidentId, 'RESTRICTED', () =>
        t.gql('query($id: ID!) { person(id: $id) { involvements { incident { headline } } } }', { id: f.personId }, Role.RESEARCHER),
      );
      expect(await eventsSince(since)).toEqual([
        expect.objectContaining({ kinds: ['RECORD_ABOVE_PUBLIC'], subjects: [`Incident:${f.incidentId}`, `Involvement:${f.involvementId}`].sort() }),
      ]);

      // The timeline's headline of a restricted incident.
      const [first] = await t.dataSource.query(`SELECT id FROM incident WHERE deleted_at IS NULL ORDER BY date_start, id LIMIT 1`);
      since = await lastId();
      const timeline = await atLevel('incident', first.id, 'RESTRICTED', () =>
        t.gql<any>('{ timeline(entryKinds: [INCIDENT], first: 1) { edges { node { id headline } } } }', {}, Role.RESEARCHER),
      );
      expect(timeline.body.data.timeline.edges[0].node.id).toBe(first.id);
      expect(await eventsSince(since)).toEqual([expect.objectContaining({ kinds: ['RECORD_ABOVE_PUBLIC'], subjects: [`Incident:${first.id}`] })]);

      // A PUBLIC citation of a RESTRICTED source: its excerpt is for cleared readers only.
      const [{ source_id: sourceId }] = await t.dataSource.query('SELECT source_id FROM citation WHERE id = $1', [f.citationId]);
      since = await lastId();
      await atLevel('source', sourceId, 'RESTRICTED', () => t.gql('query($id: ID!) { citation(id: $id) { excerpt } }', { id: f.citationId }, Role.RESEARCHER));
      expect(await eventsSince(since)).toEqual([
        expect.objectContaining({ kinds: ['RECORD_ABOVE_PUBLIC'], level: 'RESTRICTED', subjects: [`Citation:${f.citationId}`] }),
      ]);
    });

    it('in every export is audited as rows above PUBLIC (generated from the export routes)', async () => {
      const [{ source_id: sourceId }] = await t.dataSource.query('SELECT source_id FROM citation WHERE id = $1', [f.citationId]);
      const routes = Object.values(EXPORT_ROUTES);
      const [{ id: organizationId }] = await t.dataSource.query('SELECT id FROM organization WHERE deleted_at IS NULL ORDER BY id LIMIT 1');
      // A record above PUBLIC in every file: situations.csv and organizations.csv too.
      await atLevel('situation', f.situationId, 'RESTRICTED', () => atLevel('organization', organizationId, 'RESTRICTED', () => atLevel('incident', f.incidentId, 'RESTRICTED', () =>
        atLevel('advocacy_response', f.responseId, 'RESTRICTED', () =>
          atLevel('source', sourceId, 'RESTRICTED', async () => {
            for (const route of routes) {
              const since = await lastId();
              const d = await download(t, `/exports/${route.file}`, Role.RESEARCHER);
              expect([route.file, d.status]).toEqual([route.file, 200]);
              const [event, ...more] = await eventsSince(since);
              expect([route.file, more]).toEqual([route.file, []]);
              expect([route.file, event]).toEqual([
                route.file,
                expect.objectContaining({ action: 'EXPORT', kinds: expect.arrayContaining(['RECORD_ABOVE_PUBLIC']), level: 'RESTRICTED' }),
              ]);
              expect(event.operation).toMatch(new RegExp(`^GET /exports/${route.file.replace('.', '\\.')} \\(\\d+ rows\\)$`));
            }
            // The rows only cleared roles get are named.
            const since = await lastId();
            await download(t, '/exports/citations.csv', Role.RESEARCHER);
            const [citations] = await eventsSince(since);
            expect(citations.subjects).toContain(`Citation:${f.citationId}`);
            // The public gets none of those rows, and its exports write nothing.
            const publicSince = await lastId();
            for (const route of routes) expect((await download(t, `/exports/${route.file}`)).status).toBe(200);
            expect(await eventsSince(publicSince)).toEqual([]);
          }),
        ),
      )));
    });

    it('in an export filtered by a protected filter is audited with what it matched', async () => {
      const { latitude: lat, longitude: lon } = SECRET;
      const since = await lastId();
      const d = await download(t, `/exports/incidents.csv?within.south=${lat - 0.001}&within.north=${lat + 0.001}&within.west=${lon - 0.001}&within.east=${lon + 0.001}`, Role.RESEARCHER);
      expect(d.status).toBe(200);
      const [event] = await eventsSince(since);
      expect(event).toMatchObject({
        action: 'EXPORT',
        kinds: expect.arrayContaining(['PROTECTED_FILTER']),
        fields: expect.arrayContaining(['IncidentFilter.within']),
        probes: [{ coordinate: 'IncidentFilter.within', asked: { widthDegrees: 0.002, heightDegrees: 0.002 }, matches: 1 }],
      });
    });
  });

  it('writes nothing for the public, whatever it reads', async () => {
    const since = await lastId();
    for (const query of [
      '{ incidents(first: 50) { totalCount edges { cursor node { headline citations { excerpt source { title } } involvements { person { pseudonym } } } } } }',
      '{ people(first: 50) { edges { node { pseudonym } } } sources(first: 50) { edges { node { title } } } }',
      '{ timeline(first: 50) { edges { node { headline } } } advocacyResponses(first: 50) { edges { node { title } } } }',
    ]) {
      expect((await t.gql(query)).body.errors).toBeUndefined();
    }
    expect(await eventsSince(since)).toEqual([]);
  });

  it('withholds record content and protected probes when the audit log cannot be written', async () => {
    await t.dataSource.query(`UPDATE incident SET confidentiality = 'RESTRICTED' WHERE id = $1`, [f.incidentId]);
    await t.dataSource.query('ALTER TABLE audit_event RENAME TO audit_event_away');
    try {
      for (const [query, variables] of [
        ['query($id: ID!) { incident(id: $id) { headline } }', { id: f.incidentId }],
        ['{ people(filter: { name: "Zelimkhan" }) { totalCount } }', {}],
      ] as const) {
        const read = await t.gql(query, variables, Role.RESEARCHER);
        expect(read.status).toBe(503);
        expect(read.body).toEqual({ data: null, errors: [expect.objectContaining({ extensions: { code: 'SERVICE_UNAVAILABLE' } })] });
      }
      // An export of rows above PUBLIC is withheld too.
      expect((await download(t, '/exports/incidents.csv', Role.RESEARCHER)).status).toBe(503);
    } finally {
      await t.dataSource.query('ALTER TABLE audit_event_away RENAME TO audit_event');
      await t.dataSource.query(`UPDATE incident SET confidentiality = 'PUBLIC' WHERE id = $1`, [f.incidentId]);
    }
  });
});
