/**
 * The rules that keep an edited record whole: no lost updates between concurrent editors, a
 * history of every change that can be read and restored, soft deletes that editors can see and
 * undo, purges only by admins, and an audit entry for every write.
 */
import { Role } from '../../src/access/role';
import { startTestApp, TestApp } from '../support/test-app';

const CREATE = `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id version } }`;
const UPDATE = `mutation($input: UpdateIncidentInput!) { updateIncident(input: $input) { id version headline } }`;
const DELETE = `mutation($input: RecordVersionInput!) { deleteRecord(input: $input) { type id version deletedAt } }`;
const RESTORE = `mutation($input: RecordVersionInput!) { restoreRecord(input: $input) { type id version deletedAt } }`;
const REVERT = `mutation($input: RevertRecordInput!) { revertRecord(input: $input) { id version } }`;
const PURGE = `mutation($input: PurgeRecordInput!) { purgeRecord(input: $input) { type id removed } }`;
const REVISIONS = `query($type: RecordType!, $id: ID!) { revisions(type: $type, id: $id) { version action actor accountId reason revertedTo changedFields changes state occurredAt } }`;

describe('editing: conflicts, history, deletes and purges', () => {
  let t: TestApp;
  let sourceId: string;

  const newIncident = async (headline: string, extra: Record<string, unknown> = {}) => {
    const { body } = await t.gql(CREATE, {
      // Citing a public source: a PUBLIC incident must (src/sources/publication-rule.ts).
      input: { kind: 'DETENTION', headline, date: { edtf: '2017-03' }, regionCode: 'RU-CE', reason: 'first report', citations: [{ sourceId, claim: 'first report' }], ...extra },
    }, Role.EDITOR);
    expect(body.errors).toBeUndefined();
    return body.data!.createIncident as { id: string; version: number };
  };
  const headlineOf = async (id: string) =>
    (await t.dataSource.query(`SELECT headline, version FROM incident WHERE id = $1`, [id]))[0] as { headline: string; version: number };
  const auditOf = (id: string) =>
    t.dataSource.query(`SELECT action, operation, fields, reason, account_id FROM audit_event WHERE subject_id = $1 ORDER BY id`, [id]);

  beforeAll(async () => {
    t = await startTestApp();
    [{ id: sourceId }] = await t.dataSource.query(`SELECT id FROM source WHERE confidentiality = 'PUBLIC' AND deleted_at IS NULL ORDER BY id LIMIT 1`);
  });
  afterAll(() => t.close());

  describe('no lost updates', () => {
    it('refuses the second of two concurrent editors working from the same version, and keeps the first one\'s change', async () => {
      const { id } = await newIncident('Detentions in Argun');
      for (let round = 0; round < 5; round++) {
        const { version } = await headlineOf(id);
        const [a, b] = await Promise.all([
          t.gql(UPDATE, { input: { id, version, changes: { headline: `editor A, round ${round}` } } }, Role.EDITOR),
          t.gql(UPDATE, { input: { id, version, changes: { headline: `editor B, round ${round}` } } }, Role.ADMIN),
        ]);
        const winners = [a, b].filter((r) => r.body.data?.updateIncident);
        const losers = [a, b].filter((r) => r.body.errors);
        expect({ round, winners: winners.length, losers: losers.length }).toEqual({ round, winners: 1, losers: 1 });
        expect(losers[0].body.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: version + 1, givenVersion: version });
        const stored = await headlineOf(id);
        expect(stored).toEqual({ headline: winners[0].body.data!.updateIncident.headline, version: version + 1 });
      }
      const { body } = await t.gql(REVISIONS, { type: 'INCIDENT', id }, Role.EDITOR);
      expect(body.data!.revisions.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('refuses a stale version on delete, restore and revert too, writing nothing', async () => {
      const { id } = await newIncident('Stale versions');
      await t.gql(UPDATE, { input: { id, version: 1, changes: { headline: 'Second' } } }, Role.EDITOR);
      for (const [query, input] of [
        [DELETE, { type: 'INCIDENT', id, version: 1 }],
        [RESTORE, { type: 'INCIDENT', id, version: 1 }],
        [REVERT, { type: 'INCIDENT', id, version: 1, toVersion: 1 }],
      ] as const) {
        const { body } = await t.gql(query, { input }, Role.EDITOR);
        expect(body.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
      }
      expect(await headlineOf(id)).toEqual({ headline: 'Second', version: 2 });
    });

    it('answers NOT_FOUND for a record that does not exist', async () => {
      const { body } = await t.gql(UPDATE, { input: { id: '00000000-0000-4000-8000-000000000000', version: 1, changes: { headline: 'x' } } }, Role.EDITOR);
      expect(body.errors![0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('history', () => {
    it('keeps every state with who, when, why and what changed, and restores one as a new revision', async () => {
      const { id } = await newIncident('Men detained', { victims: { atLeast: 100, asReported: 'over 100 men' } });
      await t.gql(UPDATE, { input: { id, version: 1, changes: { date: { edtf: '2017-04' } }, reason: 'second source confirms the date' } }, Role.EDITOR);
      await t.gql(UPDATE, { input: { id, version: 2, changes: { headline: 'Over 100 men detained', internalNotes: 'call back the witness' } } }, Role.ADMIN);

      const { body } = await t.gql(REVISIONS, { type: 'INCIDENT', id }, Role.EDITOR);
      const revisions = body.data!.revisions;
      expect(revisions.map((r: { version: number; action: string }) => [r.version, r.action])).toEqual([[1, 'CREATE'], [2, 'UPDATE'], [3, 'UPDATE']]);
      expect(revisions[1]).toMatchObject({
        actor: 'editor@test.vigil',
        accountId: await t.accountIdFor(Role.EDITOR),
        reason: 'second source confirms the date',
        changedFields: ['date.start'],
        changes: { 'date.start': { before: '2017-03-01', after: '2017-04-01' } },
      });
      expect(revisions[2]).toMatchObject({ actor: 'admin@test.vigil', reason: null });
      expect(revisions[2].changedFields.sort()).toEqual(['headline', 'internalNotes']);
      expect(revisions[0].state).toMatchObject({ headline: 'Men detained', 'date.start': '2017-03-01', 'victims.atLeast': 100, deletedAt: null });

      const reverted = await t.gql(REVERT, { input: { type: 'INCIDENT', id, version: 3, toVersion: 1, reason: 'the April date was a mistake' } }, Role.EDITOR);
      expect(reverted.body.data!.revertRecord).toEqual({ id, version: 4 });
      const [row] = await t.dataSource.query(`SELECT headline, date_start::text, internal_notes, victims_at_least FROM incident WHERE id = $1`, [id]);
      expect(row).toEqual({ headline: 'Men detained', date_start: '2017-03-01', internal_notes: null, victims_at_least: 100 });
      const after = (await t.gql(REVISIONS, { type: 'INCIDENT', id }, Role.EDITOR)).body.data!.revisions;
      expect(after.at(-1)).toMatchObject({ version: 4, action: 'REVERT', revertedTo: 1, reason: 'the April date was a mistake' });
      expect(after.at(-1).state).toEqual(revisions[0].state);
    });

    it('keeps the state of a record loaded in bulk before its first edit (BASELINE), so that edit can be undone too', async () => {
      const [demo] = await t.dataSource.query(`SELECT id, version, headline FROM incident WHERE NOT EXISTS (SELECT 1 FROM revision r WHERE r.subject_id = incident.id) ORDER BY id LIMIT 1`);
      await t.gql(UPDATE, { input: { id: demo.id, version: demo.version, changes: { headline: 'Edited' } } }, Role.EDITOR);
      const revisions = (await t.gql(REVISIONS, { type: 'INCIDENT', id: demo.id }, Role.EDITOR)).body.data!.revisions;
      expect(revisions.map((r: { action: string }) => r.action)).toEqual(['BASELINE', 'UPDATE']);
      expect(revisions[0].state.headline).toBe(demo.headline);
      await t.gql(REVERT, { input: { type: 'INCIDENT', id: demo.id, version: demo.version + 1, toVersion: demo.version } }, Role.EDITOR);
      expect((await headlineOf(demo.id)).headline).toBe(demo.headline);
    });

    it('refuses a revision that does not exist, and an update that changes nothing adds no revision', async () => {
      const { id } = await newIncident('Unchanged');
      const { body } = await t.gql(REVERT, { input: { type: 'INCIDENT', id, version: 1, toVersion: 7 } }, Role.EDITOR);
      expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ path: 'input.toVersion' }] });
      const same = await t.gql(UPDATE, { input: { id, version: 1, changes: { headline: 'Unchanged' } } }, Role.EDITOR);
      expect(same.body.data!.updateIncident.version).toBe(1);
      expect((await t.gql(REVISIONS, { type: 'INCIDENT', id }, Role.EDITOR)).body.data!.revisions).toHaveLength(1);
    });

    it('is for editors: researchers and the public are refused the history', async () => {
      const { id } = await newIncident('History is for editors');
      for (const role of [Role.PUBLIC, Role.RESEARCHER]) {
        const { body } = await t.gql(REVISIONS, { type: 'INCIDENT', id }, role);
        expect(body.data).toBeNull();
        expect(body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRole: 'EDITOR' });
      }
    });
  });

  describe('soft deletes', () => {
    const LIST = `query($filter: IncidentFilter) { incidents(filter: $filter, first: 100) { totalCount edges { node { id deletedAt } } } }`;
    const ids = (body: any) => body.data.incidents.edges.map((e: { node: { id: string } }) => e.node.id);

    it('hides a deleted record everywhere, shows it to editors who ask, and restores it', async () => {
      const { id } = await newIncident('Deleted then restored', { citations: [{ sourceId, excerpt: 'cited' }] });
      const deleted = await t.gql(DELETE, { input: { type: 'INCIDENT', id, version: 1, reason: 'duplicate of another report' } }, Role.EDITOR);
      expect(deleted.body.data!.deleteRecord).toMatchObject({ type: 'INCIDENT', id, version: 2, deletedAt: expect.any(String) });

      for (const role of [Role.PUBLIC, Role.RESEARCHER, Role.EDITOR]) {
        expect((await t.gql(`query($id: ID!) { incident(id: $id) { id } }`, { id }, role)).body.data!.incident).toBeNull();
        expect(ids((await t.gql(LIST, { filter: { regions: ['RU-CE'] } }, role)).body)).not.toContain(id);
        // Its citation is hidden with it, from the source's side too.
        const cites = (await t.gql(`query($id: ID!) { source(id: $id) { citations { incidentId } } }`, { id: sourceId }, role)).body.data!.source;
        expect(cites.citations.map((c: { incidentId: string }) => c.incidentId)).not.toContain(id);
      }
      const withDeleted = await t.gql(LIST, { filter: { regions: ['RU-CE'], includeDeleted: true } }, Role.EDITOR);
      expect(withDeleted.body.data!.incidents.edges.find((e: any) => e.node.id === id).node.deletedAt).toEqual(expect.any(String));
      for (const role of [Role.PUBLIC, Role.RESEARCHER]) {
        const { body } = await t.gql(LIST, { filter: { includeDeleted: true } }, role);
        expect(body.data).toBeNull();
        expect(body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', argument: 'filter.includeDeleted' });
      }

      const restored = await t.gql(RESTORE, { input: { type: 'INCIDENT', id, version: 2, reason: 'not a duplicate after all' } }, Role.EDITOR);
      expect(restored.body.data!.restoreRecord).toEqual({ type: 'INCIDENT', id, version: 3, deletedAt: null });
      expect((await t.gql(`query($id: ID!) { incident(id: $id) { id citations { sourceId } } }`, { id }, Role.PUBLIC)).body.data!.incident).toEqual({
        id, citations: [{ sourceId }],
      });
      const actions = (await t.gql(REVISIONS, { type: 'INCIDENT', id }, Role.EDITOR)).body.data!.revisions.map((r: { action: string }) => r.action);
      expect(actions).toEqual(['CREATE', 'DELETE', 'RESTORE']);
    });

    it('refuses to delete a deleted record or restore a live one', async () => {
      const { id } = await newIncident('Twice');
      expect((await t.gql(RESTORE, { input: { type: 'INCIDENT', id, version: 1 } }, Role.EDITOR)).body.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
      await t.gql(DELETE, { input: { type: 'INCIDENT', id, version: 1 } }, Role.EDITOR);
      expect((await t.gql(DELETE, { input: { type: 'INCIDENT', id, version: 2 } }, Role.EDITOR)).body.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('makes a deleted record unusable as a reference in new writes', async () => {
      const { id } = await newIncident('Deleted reference');
      await t.gql(DELETE, { input: { type: 'INCIDENT', id, version: 1 } }, Role.EDITOR);
      const { body } = await t.gql(`mutation($input: CreateCitationInput!) { createCitation(input: $input) { id } }`, {
        input: { sourceId, incidentId: id, excerpt: 'x' },
      }, Role.EDITOR);
      expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ path: 'input.incidentId' }] });
    });
  });

  describe('purge', () => {
    it('is for admins, only of deleted records, and removes the record, its history and what depends on it', async () => {
      const { id } = await newIncident('To be purged', {
        citations: [{ sourceId, excerpt: 'cited' }],
        involvements: [{ role: 'VICTIM', person: { pseudonym: 'Victim P', fullName: 'Purged Name' } }],
      });
      const input = { type: 'INCIDENT', id, reason: 'entered by mistake with a real name' };
      for (const role of [Role.RESEARCHER, Role.EDITOR]) {
        expect((await t.gql(PURGE, { input }, role)).body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRole: 'ADMIN' });
      }
      expect((await t.gql(PURGE, { input }, Role.ADMIN)).body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });

      await t.gql(DELETE, { input: { type: 'INCIDENT', id, version: 1 } }, Role.EDITOR);
      const [{ citation, involvement }] = await t.dataSource.query(
        `SELECT (SELECT id FROM citation WHERE incident_id = $1) AS citation, (SELECT id FROM involvement WHERE incident_id = $1) AS involvement`, [id]);
      const { body } = await t.gql(PURGE, { input }, Role.ADMIN);
      expect(body.data!.purgeRecord).toEqual({ type: 'INCIDENT', id, removed: 3 });

      const [left] = await t.dataSource.query(
        `SELECT (SELECT count(*) FROM incident WHERE id = $1)::int AS incidents,
                (SELECT count(*) FROM citation WHERE incident_id = $1)::int AS citations,
                (SELECT count(*) FROM involvement WHERE incident_id = $1)::int AS involvements,
                (SELECT count(*) FROM revision WHERE subject_id IN ($1, $2, $3))::int AS revisions,
                (SELECT count(*) FROM revision WHERE state::text LIKE '%To be purged%')::int AS copies`,
        [id, citation, involvement],
      );
      expect(left).toEqual({ incidents: 0, citations: 0, involvements: 0, revisions: 0, copies: 0 });
      // The person stays: people are records of their own (purge them separately).
      const purges = await t.dataSource.query(`SELECT subject_type, subject_id, reason, role FROM audit_event WHERE action = 'PURGE' AND subject_id IN ($1, $2, $3) ORDER BY id`, [id, citation, involvement]);
      expect(purges).toHaveLength(3);
      expect(purges).toEqual(expect.arrayContaining([
        expect.objectContaining({ subject_type: 'Citation', subject_id: citation, role: 'ADMIN' }),
        expect.objectContaining({ subject_type: 'Involvement', subject_id: involvement, role: 'ADMIN' }),
      ]));
      expect(purges[2]).toEqual({ subject_type: 'Incident', subject_id: id, reason: 'entered by mistake with a real name', role: 'ADMIN' });
      // The audit log names fields, never values: nothing of the purged record survives there.
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE coalesce(changes::text, '') LIKE '%Purged Name%' OR coalesce(reason, '') LIKE '%Purged Name%'`);
      expect(n).toBe(0);
    });

    it('refuses while other records still refer to the record in their own content', async () => {
      const { body } = await t.gql(`mutation($input: CreateSituationInput!) { createSituation(input: $input) { id } }`, {
        input: { name: 'Purge of 2017', date: { edtf: '2017/..' }, regionCode: 'RU-CE' },
      }, Role.EDITOR);
      const situationId = body.data!.createSituation.id;
      await newIncident('In the situation', { situationId });
      await t.gql(DELETE, { input: { type: 'SITUATION', id: situationId, version: 1 } }, Role.EDITOR);
      const purge = await t.gql(PURGE, { input: { type: 'SITUATION', id: situationId, reason: 'test' } }, Role.ADMIN);
      expect(purge.body.errors![0].extensions).toMatchObject({ code: 'CONFLICT', referencedBy: 'Incident', count: 1 });
      expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM situation WHERE id = $1`, [situationId]))[0].n).toBe(1);
    });
  });

  describe('audit', () => {
    it('records every write, with the fields changed and never their values', async () => {
      const { id } = await newIncident('Audited', { internalNotes: 'witness lives at 7c1f' });
      await t.gql(UPDATE, { input: { id, version: 1, changes: { latitude: 43.3, longitude: 45.7 }, reason: 'exact place' } }, Role.EDITOR);
      await t.gql(DELETE, { input: { type: 'INCIDENT', id, version: 2 } }, Role.EDITOR);
      await t.gql(RESTORE, { input: { type: 'INCIDENT', id, version: 3 } }, Role.EDITOR);
      await t.gql(REVERT, { input: { type: 'INCIDENT', id, version: 4, toVersion: 1 } }, Role.EDITOR);
      const entries = await auditOf(id);
      expect(entries.map((e: { action: string; operation: string }) => [e.action, e.operation])).toEqual([
        ['CREATE', 'Mutation.createIncident'],
        ['UPDATE', 'Mutation.updateIncident'],
        ['DELETE', 'Mutation.deleteRecord'],
        ['RESTORE', 'Mutation.restoreRecord'],
        ['UPDATE', 'Mutation.revertRecord'],
      ]);
      expect(entries[1]).toMatchObject({ fields: expect.arrayContaining(['Incident.latitude', 'Incident.longitude']), reason: 'exact place', account_id: await t.accountIdFor(Role.EDITOR) });
      const [{ level }] = await t.dataSource.query(`SELECT level FROM audit_event WHERE subject_id = $1 AND action = 'UPDATE' ORDER BY id LIMIT 1`, [id]);
      expect(level).toBe('RESTRICTED');
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE subject_id = $1 AND changes::text LIKE '%7c1f%'`, [id]);
      expect(n).toBe(0);
    });
  });

  describe('removedSince: keeping a local copy current', () => {
    const FEED = `query($since: DateTime!) { removedSince(since: $since) { type id why at } }`;

    it('names what a viewer could see and has since been deleted, purged or hidden from them, and nothing they never saw', async () => {
      const since = new Date().toISOString();
      const deleted = await newIncident('Will be deleted');
      const purged = await newIncident('Will be purged');
      const hidden = await newIncident('Will be made confidential');
      const secret = await newIncident('Confidential from the start', { confidentiality: 'CONFIDENTIAL' });
      await t.gql(DELETE, { input: { type: 'INCIDENT', id: deleted.id, version: 1 } }, Role.EDITOR);
      await t.gql(DELETE, { input: { type: 'INCIDENT', id: purged.id, version: 1 } }, Role.EDITOR);
      await t.gql(PURGE, { input: { type: 'INCIDENT', id: purged.id, reason: 'test' } }, Role.ADMIN);
      await t.gql(UPDATE, { input: { id: hidden.id, version: 1, changes: { confidentiality: 'RESTRICTED' } } }, Role.EDITOR);
      await t.gql(DELETE, { input: { type: 'INCIDENT', id: secret.id, version: 1 } }, Role.EDITOR);

      const feed = async (role: Role) => {
        const { body } = await t.gql(FEED, { since }, role);
        expect(body.errors).toBeUndefined();
        return body.data!.removedSince.filter((r: { type: string }) => r.type === 'INCIDENT').map((r: { id: string; why: string }) => `${r.why} ${r.id}`);
      };
      expect(await feed(Role.PUBLIC)).toEqual([`DELETED ${deleted.id}`, `PURGED ${purged.id}`, `HIDDEN ${hidden.id}`]); // oldest first
      // A researcher may still read the RESTRICTED one: not hidden from them. Editors saw the confidential one.
      expect(await feed(Role.RESEARCHER)).toEqual([`DELETED ${deleted.id}`, `PURGED ${purged.id}`]);
      expect((await feed(Role.EDITOR)).sort()).toEqual([`DELETED ${deleted.id}`, `DELETED ${secret.id}`, `PURGED ${purged.id}`].sort());

      const { body } = await t.gql(`{ removedSince(since: "2020-01-01T00:00:00Z", first: 0) { id } }`, {}, Role.PUBLIC);
      expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(body.errors![0].message).toContain('first');
    });

    /** The first record a mutation returns, failing the test on any error. */
    const made = async (mutation: string, input: Record<string, unknown>, role = Role.EDITOR) => {
      const { body } = await t.gql(mutation, { input }, role);
      expect(body.errors).toBeUndefined();
      return Object.values(body.data!)[0] as { id: string; version: number };
    };
    const versionOf = async (table: string, id: string): Promise<number> =>
      (await t.dataSource.query(`SELECT version FROM ${table} WHERE id = $1`, [id]))[0].version;
    /** The feed's entries about `ids`, as `WHY TYPE id`. */
    const removalsOf = async (since: string, role: Role, ids: string[]) => {
      const { body } = await t.gql(FEED, { since }, role);
      expect(body.errors).toBeUndefined();
      return body.data!.removedSince
        .filter((r: { id: string }) => ids.includes(r.id))
        .map((r: { type: string; id: string; why: string }) => `${r.why} ${r.type} ${r.id}`)
        .sort();
    };
    const CREATE_PERSON = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { id version } }`;
    const CREATE_INVOLVEMENT = `mutation($input: CreateInvolvementInput!) { createInvolvement(input: $input) { id version } }`;
    const CREATE_SOURCE = `mutation($input: CreateSourceInput!) { createSource(input: $input) { id version } }`;
    const CREATE_CITATION = `mutation($input: CreateCitationInput!) { createCitation(input: $input) { id version } }`;
    const newSource = (title: string, confidentiality = 'PUBLIC') =>
      made(CREATE_SOURCE, { kind: 'NEWS_REPORT', publisher: 'A newspaper', title, published: { edtf: '2017-05' }, confidentiality });

    it('never names a record purged with a hidden one: each removal is logged at the level it took to see it', async () => {
      const since = new Date().toISOString();
      const incident = await newIncident('Public incident, hidden witness');
      const secretPerson = await made(CREATE_PERSON, { pseudonym: 'Hidden witness', confidentiality: 'CONFIDENTIAL' });
      const secretPart = await made(CREATE_INVOLVEMENT, { incidentId: incident.id, personId: secretPerson.id, role: 'WITNESS' });
      // A public citation quoting a confidential source, purged itself.
      const secretSource = await newSource('Confidential testimony', 'CONFIDENTIAL');
      const quote = await made(CREATE_CITATION, { sourceId: secretSource.id, incidentId: incident.id, excerpt: 'quoted' });
      // And what the public could see, purged the same way: named to them.
      const publicPerson = await made(CREATE_PERSON, { pseudonym: 'Public witness', confidentiality: 'PUBLIC' });
      const publicPart = await made(CREATE_INVOLVEMENT, { incidentId: incident.id, personId: publicPerson.id, role: 'WITNESS' });

      for (const [type, record] of [['PERSON', secretPerson], ['CITATION', quote], ['PERSON', publicPerson]] as const) {
        await made(DELETE, { type, id: record.id, version: record.version });
        const { body } = await t.gql(PURGE, { input: { type, id: record.id, reason: 'test' } }, Role.ADMIN);
        expect(body.errors).toBeUndefined();
      }
      const ids = [secretPerson.id, secretPart.id, quote.id, publicPerson.id, publicPart.id];
      const seen = [`PURGED INVOLVEMENT ${publicPart.id}`, `PURGED PERSON ${publicPerson.id}`];
      expect(await removalsOf(since, Role.PUBLIC, ids)).toEqual(seen.sort());
      expect(await removalsOf(since, Role.RESEARCHER, ids)).toEqual(seen.sort());
      expect(await removalsOf(since, Role.EDITOR, ids)).toEqual(
        [...seen, `PURGED PERSON ${secretPerson.id}`, `PURGED INVOLVEMENT ${secretPart.id}`, `PURGED CITATION ${quote.id}`].sort(),
      );
      const levels = await t.dataSource.query(`SELECT subject_id, level::text FROM audit_event WHERE action = 'PURGE' AND subject_id = ANY($1)`, [ids]);
      expect(Object.fromEntries(levels.map((l: { subject_id: string; level: string }) => [l.subject_id, l.level]))).toEqual({
        [secretPerson.id]: 'CONFIDENTIAL',
        [secretPart.id]: 'CONFIDENTIAL',
        [quote.id]: 'CONFIDENTIAL',
        [publicPerson.id]: 'PUBLIC',
        [publicPart.id]: 'PUBLIC',
      });
    });

    it('never names a deleted or hidden link or citation that points at a record the viewer may not see', async () => {
      const since = new Date().toISOString();
      const incident = await newIncident('Public incident, hidden links');
      // A public citation whose source is made confidential afterwards: hidden with it.
      const source = await newSource('Later made confidential');
      const quote = await made(CREATE_CITATION, { sourceId: source.id, incidentId: incident.id, excerpt: 'quoted' });
      await made(`mutation($input: UpdateSourceInput!) { updateSource(input: $input) { id version } }`, {
        id: source.id, version: source.version, changes: { confidentiality: 'CONFIDENTIAL' },
      });
      expect((await t.gql(`query($id: ID!) { citation(id: $id) { id } }`, { id: quote.id }, Role.PUBLIC)).body.data!.citation).toBeNull();
      // Another citation of it, raised to RESTRICTED: hidden from the public, who never saw it.
      const raised = await made(CREATE_CITATION, { sourceId: source.id, incidentId: incident.id, excerpt: 'also quoted' });
      // A public part of a confidential person.
      const secretPerson = await made(CREATE_PERSON, { pseudonym: 'Hidden victim', confidentiality: 'CONFIDENTIAL' });
      const secretPart = await made(CREATE_INVOLVEMENT, { incidentId: incident.id, personId: secretPerson.id, role: 'VICTIM' });
      // A public response's links to a confidential incident and a confidential organizer.
      const secretIncident = await newIncident('Confidential incident', { confidentiality: 'CONFIDENTIAL' });
      const secretOrganization = await made(`mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id version } }`, {
        kind: 'NGO', name: 'Confidential partner', confidentiality: 'CONFIDENTIAL',
      });
      const response = await made(`mutation($input: CreateAdvocacyResponseInput!) { createAdvocacyResponse(input: $input) { id version } }`, {
        kind: 'STATEMENT', title: 'Statement with hidden links', date: { edtf: '2017-05' }, citations: [{ sourceId, claim: 'the statement' }],
        incidentIds: [incident.id, secretIncident.id], organizers: [{ organizationId: secretOrganization.id }],
      });
      const [{ answers, organizer }] = await t.dataSource.query(
        `SELECT (SELECT id FROM response_incident WHERE response_id = $1 AND incident_id = $2) AS answers,
                (SELECT id FROM response_organizer WHERE response_id = $1) AS organizer`,
        [response.id, secretIncident.id],
      );
      // And a public part of a public person: the public saw it, so its deletion is named to them.
      const publicPerson = await made(CREATE_PERSON, { pseudonym: 'Public victim', confidentiality: 'PUBLIC' });
      const publicPart = await made(CREATE_INVOLVEMENT, { incidentId: incident.id, personId: publicPerson.id, role: 'VICTIM' });

      await made(`mutation($input: UpdateCitationInput!) { updateCitation(input: $input) { id version } }`, {
        id: raised.id, version: raised.version, changes: { confidentiality: 'RESTRICTED' },
      });
      await made(DELETE, { type: 'CITATION', id: quote.id, version: await versionOf('citation', quote.id) });
      await made(DELETE, { type: 'INVOLVEMENT', id: secretPart.id, version: secretPart.version });
      await made(DELETE, { type: 'INVOLVEMENT', id: publicPart.id, version: publicPart.version });
      await made(`mutation($input: ResponseLinksInput!) { unlinkResponse(input: $input) { id } }`, {
        responseId: response.id, incidentIds: [secretIncident.id], organizers: [{ organizationId: secretOrganization.id }],
      });

      const ids = [quote.id, raised.id, secretPart.id, answers, organizer, publicPart.id];
      expect(await removalsOf(since, Role.PUBLIC, ids)).toEqual([`DELETED INVOLVEMENT ${publicPart.id}`]);
      expect(await removalsOf(since, Role.RESEARCHER, ids)).toEqual([`DELETED INVOLVEMENT ${publicPart.id}`]);
      expect(await removalsOf(since, Role.EDITOR, ids)).toEqual(
        [
          `DELETED CITATION ${quote.id}`,
          `DELETED INVOLVEMENT ${secretPart.id}`,
          `DELETED INVOLVEMENT ${publicPart.id}`,
          `DELETED RESPONSE_INCIDENT ${answers}`,
          `DELETED RESPONSE_ORGANIZER ${organizer}`,
        ].sort(),
      );
      // The same hiding of a citation of a public source is named to the public.
      const open = await made(CREATE_CITATION, { sourceId, incidentId: incident.id, excerpt: 'openly quoted' });
      await made(`mutation($input: UpdateCitationInput!) { updateCitation(input: $input) { id version } }`, {
        id: open.id, version: open.version, changes: { confidentiality: 'RESTRICTED' },
      });
      expect(await removalsOf(since, Role.PUBLIC, [open.id])).toEqual([`HIDDEN CITATION ${open.id}`]);
    });
  });

  describe('text that PostgreSQL cannot store', () => {
    it('refuses a NUL character as bad input naming the field, in writes and in filters', async () => {
      const write = await t.gql(CREATE, { input: { kind: 'DETENTION', headline: 'nul \u0000 here', date: { edtf: '2017' }, regionCode: 'RU' } }, Role.EDITOR);
      expect(write.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ path: 'input.headline', message: 'must not contain a NUL character' }] });
      const read = await t.gql(`query($s: String!) { incidents(filter: { search: $s }) { totalCount } }`, { s: 'a\u0000b' });
      expect(read.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ path: 'filter.search' }] });
    });
  });
});
