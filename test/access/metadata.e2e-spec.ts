/**
 * What a role can infer from metadata (docs/access.md, "What each role can infer").
 *
 * Change stamps: generated from the declarations. For every @Sensitive field of every record type,
 * an edit of that field alone changes nothing a role below the field's level can observe (version
 * and updatedAt by id and nested, updatedSince, the UPDATED_DESC order and its cursors, the
 * exports' updated_at and updatedSince, the timeline, removedSince), while every role that may read
 * the field sees the change. A protected field on a record type this file has no setup for fails
 * the coverage test.
 *
 * The removal feed: a removal is named only to a viewer who could see the record when it left,
 * by the levels of that moment (its own and those of the records it depended on).
 */
import { rank } from '../../src/access/access-level';
import { CLEARANCE } from '../../src/access/role';
import { SENSITIVE_FIELDS } from '../../src/access/sensitive.decorator';
import { RECORD_CLASSES } from '../../src/editing/record-type';
import { csv, download } from '../exports/support';
import { Role, ROLES, startTestApp, TestApp } from '../support/test-app';

type Ids = Record<string, string>;

const RECORD_ENTITIES: Function[] = Object.values(RECORD_CLASSES);
const PROTECTED = SENSITIVE_FIELDS.filter((d) => RECORD_ENTITIES.includes(d.target)).map((d) => ({
  type: d.target.name,
  field: d.property,
  level: d.level,
}));

const CREATE_INCIDENT = `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id version } }`;
const CREATE_PERSON = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { id version } }`;
const CREATE_INVOLVEMENT = `mutation($input: CreateInvolvementInput!) { createInvolvement(input: $input) { id version } }`;
const CREATE_SOURCE = `mutation($input: CreateSourceInput!) { createSource(input: $input) { id version } }`;
const CREATE_CITATION = `mutation($input: CreateCitationInput!) { createCitation(input: $input) { id version } }`;
const DELETE = `mutation($input: RecordVersionInput!) { deleteRecord(input: $input) { id version } }`;
const RESTORE = `mutation($input: RecordVersionInput!) { restoreRecord(input: $input) { id version } }`;
const PURGE = `mutation($input: PurgeRecordInput!) { purgeRecord(input: $input) { removed } }`;
const FEED = `query($since: DateTime!) { removedSince(since: $since, first: 1000) { type id why } }`;

/** Protected values on creation, and the value an edit gives (numbers for coordinates). */
const INITIAL: Record<string, unknown> = { latitude: 43.25, longitude: 45.75 };
const EDITED: Record<string, unknown> = { latitude: 43.5, longitude: 45.5 };
const initialOf = (field: string) => INITIAL[field] ?? `initial ${field}`;
const editedOf = (field: string) => EDITED[field] ?? `edited ${field}`;
/** Fields the API takes only together (a place): the edit sends the other unchanged. */
const COMPANIONS: Record<string, string[]> = { 'Incident.latitude': ['longitude'], 'Incident.longitude': ['latitude'] };

/** One thing a viewer can observe about the record `ids.subject`; `since` is a time after it was made. */
interface Observer {
  name: string;
  read: (t: TestApp, role: Role, ids: Ids, since: string) => Promise<unknown>;
  /** False for what no edit moves (the removal feed): checked unchanged for every role. */
  movesForReaders?: boolean;
}

describe('what each role can infer from metadata', () => {
  let t: TestApp;

  const ok = async (query: string, variables: Record<string, unknown>, role: Role = Role.EDITOR) => {
    const { body } = await t.gql(query, variables, role);
    expect(body.errors).toBeUndefined();
    return body.data as Record<string, any>;
  };
  const made = async (mutation: string, input: Record<string, unknown>) =>
    Object.values(await ok(mutation, { input }))[0] as { id: string; version: number };
  /** Citing a public source of the demo data, as a PUBLIC incident must (the publication rule). */
  let publicSourceId: string;
  const newIncident = (extra: Record<string, unknown> = {}) =>
    made(CREATE_INCIDENT, {
      kind: 'DETENTION', headline: 'Metadata test', date: { edtf: '2017-03' }, regionCode: 'RU-CE', confidentiality: 'PUBLIC',
      citations: [{ sourceId: publicSourceId, claim: 'first report', confidentiality: 'PUBLIC' }], ...extra,
    });
  const newPerson = (extra: Record<string, unknown> = {}) => made(CREATE_PERSON, { pseudonym: 'Witness M', confidentiality: 'PUBLIC', ...extra });
  const trueVersion = async (table: string, id: string): Promise<number> =>
    (await t.dataSource.query(`SELECT version FROM ${table} WHERE id = $1`, [id]))[0].version;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

  const gqlRead = async (query: string, variables: Record<string, unknown>, role: Role) => {
    const { body } = await t.gql(query, variables, role);
    expect(body.errors).toBeUndefined();
    return body.data as Record<string, any>;
  };
  const removals = async (role: Role, since: string, ids: string[]) =>
    ((await gqlRead(FEED, { since }, role)).removedSince as { type: string; id: string; why: string }[])
      .filter((r) => ids.includes(r.id))
      .map((r) => `${r.why} ${r.type} ${r.id}`)
      .sort();
  const csvRow = async (path: string, role: Role, id: string) => (await csv(t, path, role)).rows.find((r) => r.id === id) ?? null;

  const feedObserver: Observer = { name: 'removedSince', movesForReaders: false, read: (_t, role, ids, since) => removals(role, since, [ids.subject]) };

  /** Everything a viewer can observe about a change of a record of each type. */
  const OBSERVERS: Record<string, Observer[]> = {
    Incident: [
      { name: 'incident(id) { version updatedAt }', read: async (_t, role, ids) => (await gqlRead(`query($id: ID!) { incident(id: $id) { version updatedAt } }`, { id: ids.subject }, role)).incident },
      {
        name: 'person.involvements.incident { version updatedAt } (nested)',
        read: async (_t, role, ids) =>
          (await gqlRead(`query($id: ID!) { person(id: $id) { involvements { incident { version updatedAt } } } }`, { id: ids.person }, role)).person.involvements[0].incident,
      },
      {
        name: 'incidents(filter: { updatedSince })',
        read: async (_t, role, ids, since) =>
          (await gqlRead(`query($since: DateTime) { incidents(first: 100, filter: { updatedSince: $since }) { totalCount edges { node { id } } } }`, { since }, role)).incidents,
      },
      {
        name: 'incidents(orderBy: UPDATED_DESC): order and cursor',
        read: async (_t, role, ids) => {
          const edges = (await gqlRead(`{ incidents(first: 100, orderBy: UPDATED_DESC) { edges { cursor node { id updatedAt } } } }`, {}, role)).incidents
            .edges as { cursor: string; node: { id: string; updatedAt: string } }[];
          const index = edges.findIndex((e) => e.node.id === ids.subject);
          // A cursor is sealed (a new ciphertext each time): what can be observed is where it leads,
          // and the stamp the list ordered by.
          const cursor = edges[index]?.cursor;
          const after = cursor
            ? ((await gqlRead(`query($after: String) { incidents(first: 100, orderBy: UPDATED_DESC, after: $after) { edges { node { id } } } }`, { after: cursor }, role)).incidents.edges as { node: { id: string } }[]).map((e) => e.node.id)
            : null;
          return { index, after, stamp: edges[index]?.node.updatedAt, order: edges.map((e) => e.node.id) };
        },
      },
      {
        name: 'timeline(filter: { updatedSince }) incident { version updatedAt }',
        read: async (_t, role, ids, since) =>
          (await gqlRead(`query($since: DateTime) { timeline(first: 100, entryKinds: [INCIDENT], filter: { updatedSince: $since }) { edges { node { id incident { version updatedAt } } } } }`, { since }, role))
            .timeline.edges.filter((e: { node: { id: string } }) => e.node.id === ids.subject),
      },
      { name: 'incidents.csv updated_at', read: async (_t, role, ids) => (await csvRow(`/exports/incidents.csv?regions=RU-CE`, role, ids.subject))?.updated_at },
      { name: 'incidents.csv?updatedSince', read: async (_t, role, ids, since) => Boolean(await csvRow(`/exports/incidents.csv?updatedSince=${encodeURIComponent(since)}`, role, ids.subject)) },
      {
        name: 'incidents.geojson updated_at and updatedSince',
        read: async (_t, role, ids, since) => {
          const all = JSON.parse((await download(t, `/exports/incidents.geojson?regions=RU-CE`, role)).text);
          const recent = JSON.parse((await download(t, `/exports/incidents.geojson?updatedSince=${encodeURIComponent(since)}`, role)).text);
          const of = (c: { features: { properties: Record<string, unknown> }[] }) => c.features.find((f) => f.properties.id === ids.subject)?.properties.updated_at ?? null;
          return { all: of(all), recent: of(recent) };
        },
      },
      {
        name: 'timeline.json?updatedSince',
        read: async (_t, role, ids, since) => (await download(t, `/exports/timeline.json?entryKinds=INCIDENT&updatedSince=${encodeURIComponent(since)}`, role)).text.includes(ids.subject),
      },
      feedObserver,
    ],
    Person: [
      { name: 'person(id) { version updatedAt }', read: async (_t, role, ids) => (await gqlRead(`query($id: ID!) { person(id: $id) { version updatedAt } }`, { id: ids.subject }, role)).person },
      {
        name: 'incident.involvements.person { version updatedAt } (nested)',
        read: async (_t, role, ids) =>
          (await gqlRead(`query($id: ID!) { incident(id: $id) { involvements { person { id version updatedAt } } } }`, { id: ids.incident }, role)).incident.involvements.map(
            (i: { person: unknown }) => i.person,
          ),
      },
      feedObserver,
    ],
    Involvement: [
      {
        name: 'incident.involvements { version updatedAt }',
        read: async (_t, role, ids) =>
          (await gqlRead(`query($id: ID!) { incident(id: $id) { involvements { id version updatedAt } } }`, { id: ids.incident }, role)).incident.involvements,
      },
      {
        name: 'person.involvements { version updatedAt }',
        read: async (_t, role, ids) => (await gqlRead(`query($id: ID!) { person(id: $id) { involvements { id version updatedAt } } }`, { id: ids.person }, role)).person.involvements,
      },
      feedObserver,
    ],
  };

  /** A PUBLIC record of each type with every protected field set, linked so every observer reaches it. */
  const SETUP: Record<string, () => Promise<Ids>> = {
    Incident: async () => {
      const fields = Object.fromEntries(PROTECTED.filter((p) => p.type === 'Incident').map((p) => [p.field, initialOf(p.field)]));
      const incident = await newIncident({ ...fields, locationPrecision: 'EXACT' });
      const person = await newPerson();
      await made(CREATE_INVOLVEMENT, { incidentId: incident.id, personId: person.id, role: 'VICTIM', confidentiality: 'PUBLIC' });
      return { subject: incident.id, person: person.id };
    },
    Person: async () => {
      const fields = Object.fromEntries(PROTECTED.filter((p) => p.type === 'Person').map((p) => [p.field, initialOf(p.field)]));
      const person = await newPerson(fields);
      const incident = await newIncident();
      await made(CREATE_INVOLVEMENT, { incidentId: incident.id, personId: person.id, role: 'VICTIM', confidentiality: 'PUBLIC' });
      return { subject: person.id, incident: incident.id };
    },
    Involvement: async () => {
      const fields = Object.fromEntries(PROTECTED.filter((p) => p.type === 'Involvement').map((p) => [p.field, initialOf(p.field)]));
      const incident = await newIncident();
      const person = await newPerson();
      const involvement = await made(CREATE_INVOLVEMENT, { incidentId: incident.id, personId: person.id, role: 'WITNESS', confidentiality: 'PUBLIC', ...fields });
      return { subject: involvement.id, incident: incident.id, person: person.id };
    },
  };

  const TABLE: Record<string, string> = { Incident: 'incident', Person: 'person', Involvement: 'involvement' };

  const observeAll = async (type: string, ids: Ids, since: string) => {
    const seen: Record<string, Record<string, unknown>> = {};
    for (const role of ROLES) {
      seen[role] = {};
      for (const o of OBSERVERS[type]) seen[role][o.name] = await o.read(t, role, ids, since);
    }
    return seen;
  };

  /** Edits `changes` of the record as an editor, from its true version. */
  const edit = async (type: string, id: string, changes: Record<string, unknown>) =>
    ok(`mutation($input: Update${type}Input!) { update${type}(input: $input) { id } }`, {
      input: { id, version: await trueVersion(TABLE[type], id), changes },
    });

  beforeAll(async () => {
    t = await startTestApp();
    [{ id: publicSourceId }] = await t.dataSource.query(`SELECT id FROM source WHERE confidentiality = 'PUBLIC' AND deleted_at IS NULL ORDER BY id LIMIT 1`);
  });
  afterAll(() => t.close());

  it('covers every protected field of every record type', () => {
    expect(PROTECTED.length).toBeGreaterThan(0);
    for (const p of PROTECTED) {
      expect({ type: p.type, setup: Boolean(SETUP[p.type]), observers: Boolean(OBSERVERS[p.type]) }).toEqual({ type: p.type, setup: true, observers: true });
    }
  });

  describe.each(PROTECTED.map((p) => [`${p.type}.${p.field} (${p.level})`, p] as const))('an edit of %s alone', (_name, { type, field, level }) => {
    it('changes nothing a lower role observes, and changes what every role that may read it observes', async () => {
      const ids = await SETUP[type]();
      await pause();
      const since = new Date().toISOString();
      await pause();
      const before = await observeAll(type, ids, since);
      const companions = Object.fromEntries((COMPANIONS[`${type}.${field}`] ?? []).map((c) => [c, initialOf(c)]));
      await edit(type, ids.subject, { [field]: editedOf(field), ...companions });
      const after = await observeAll(type, ids, since);
      // Every path and role checked, so a failure lists every path that leaks.
      const problems: string[] = [];
      for (const role of ROLES) {
        const reads = rank(CLEARANCE[role]) >= rank(level);
        for (const o of OBSERVERS[type]) {
          const moved = JSON.stringify(after[role][o.name]) !== JSON.stringify(before[role][o.name]);
          const shouldMove = reads && o.movesForReaders !== false;
          if (moved !== shouldMove) {
            problems.push(`${role}, ${o.name}: ${shouldMove ? 'did not see the change' : `saw ${JSON.stringify(before[role][o.name])} become ${JSON.stringify(after[role][o.name])}`}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  });

  describe('change stamps around protected edits', () => {
    it('move for everyone on an edit of a public field, and keep the true version for editors\' optimistic locking', async () => {
      const { id } = await newIncident({ internalNotes: 'n1' });
      await edit('Incident', id, { internalNotes: 'n2' });
      const read = async (role: Role) => (await gqlRead(`query($id: ID!) { incident(id: $id) { version updatedAt } }`, { id }, role)).incident;
      expect((await read(Role.PUBLIC)).version).toBe(1);
      expect((await read(Role.EDITOR)).version).toBe(2);
      // A write based on the public version is stale: editors lock on the true one.
      const { body } = await t.gql(`mutation($input: UpdateIncidentInput!) { updateIncident(input: $input) { version } }`, { input: { id, version: 1, changes: { headline: 'x' } } }, Role.EDITOR);
      expect(body.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
      await edit('Incident', id, { headline: 'A public change' });
      const [pub, researcher, editor] = [await read(Role.PUBLIC), await read(Role.RESEARCHER), await read(Role.EDITOR)];
      // The notes are CONFIDENTIAL: researchers did not see that change either.
      expect([pub.version, researcher.version, editor.version]).toEqual([2, 2, 3]);
      expect(pub.updatedAt).toBe(editor.updatedAt);
    });

    it('bring a record that becomes visible (lowered, or restored) into updatedSince, and not one that stays hidden', async () => {
      const secret = await newIncident({ confidentiality: 'CONFIDENTIAL' });
      const gone = await newIncident();
      await made(DELETE, { type: 'INCIDENT', id: gone.id, version: gone.version });
      await pause();
      const since = new Date().toISOString();
      await edit('Incident', secret.id, { headline: 'Edited while confidential' });
      await edit('Incident', gone.id, { headline: 'Edited while deleted' });
      const listed = async (role: Role) =>
        (await gqlRead(`query($since: DateTime) { incidents(first: 100, filter: { updatedSince: $since }) { edges { node { id } } } }`, { since }, role)).incidents.edges
          .map((e: { node: { id: string } }) => e.node.id)
          .filter((i: string) => [secret.id, gone.id].includes(i))
          .sort();
      expect(await listed(Role.PUBLIC)).toEqual([]);
      await edit('Incident', secret.id, { confidentiality: 'PUBLIC' });
      await made(RESTORE, { type: 'INCIDENT', id: gone.id, version: await trueVersion('incident', gone.id) });
      expect(await listed(Role.PUBLIC)).toEqual([secret.id, gone.id].sort());
      // The edits made while hidden are not counted in what the public is told.
      const { incident } = await gqlRead(`query($id: ID!) { incident(id: $id) { version } }`, { id: secret.id }, Role.PUBLIC);
      expect(incident.version).toBeLessThan(await trueVersion('incident', secret.id));
    });
  });

  describe('change stamps of the records that depend on another', () => {
    it('move when they come into view with it (the citations of an incident made PUBLIC), and their true version does not', async () => {
      const incident = await newIncident({ confidentiality: 'CONFIDENTIAL' });
      const source = await made(CREATE_SOURCE, { kind: 'NEWS_REPORT', publisher: 'A newspaper', title: 'Cited', published: { edtf: '2017-05' }, confidentiality: 'PUBLIC' });
      const citation = await made(CREATE_CITATION, { sourceId: source.id, incidentId: incident.id, excerpt: 'quoted', confidentiality: 'PUBLIC' });
      await pause();
      const since = new Date().toISOString();
      const listed = async () => (await csv(t, `/exports/citations.csv?updatedSince=${encodeURIComponent(since)}`, Role.PUBLIC)).rows.map((r) => r.id);
      expect(await listed()).not.toContain(citation.id);
      await edit('Incident', incident.id, { confidentiality: 'PUBLIC' });
      expect(await listed()).toContain(citation.id);
      // It came into view when the incident did.
      const seen = (await gqlRead(`query($id: ID!) { incident(id: $id) { updatedAt citations { id updatedAt } } }`, { id: incident.id }, Role.PUBLIC)).incident;
      expect(seen.citations.find((c: { id: string }) => c.id === citation.id).updatedAt).toBe(seen.updatedAt);
      expect(await trueVersion('citation', citation.id)).toBe(1);
    });
  });

  describe('the removal feed names only what the viewer could see when it left', () => {
    /** An incident with a citation (of a public source) and an involvement (of a public person), all PUBLIC but the incident. */
    const withDependents = async (confidentiality: string) => {
      const incident = await newIncident({ confidentiality });
      const source = await made(CREATE_SOURCE, { kind: 'NEWS_REPORT', publisher: 'A newspaper', title: 'A report', published: { edtf: '2017-05' }, confidentiality: 'PUBLIC' });
      const citation = await made(CREATE_CITATION, { sourceId: source.id, incidentId: incident.id, excerpt: 'quoted', confidentiality: 'PUBLIC' });
      const person = await newPerson();
      const involvement = await made(CREATE_INVOLVEMENT, { incidentId: incident.id, personId: person.id, role: 'VICTIM', confidentiality: 'PUBLIC' });
      return { incident, citation, involvement };
    };
    /** Deletes the citation, raises the involvement, then makes the incident PUBLIC. */
    const removeThenLower = async (r: Awaited<ReturnType<typeof withDependents>>) => {
      await made(DELETE, { type: 'CITATION', id: r.citation.id, version: r.citation.version });
      await edit('Involvement', r.involvement.id, { confidentiality: 'CONFIDENTIAL' });
      await edit('Incident', r.incident.id, { confidentiality: 'PUBLIC' });
    };

    it('a citation deleted and an involvement raised while their incident was CONFIDENTIAL stay unnamed after it is made PUBLIC', async () => {
      const since = new Date().toISOString();
      const hidden = await withDependents('CONFIDENTIAL');
      const open = await withDependents('PUBLIC'); // the same, seen by everyone: named to everyone
      await removeThenLower(hidden);
      await removeThenLower(open);
      const ids = [hidden, open].flatMap((r) => [r.citation.id, r.involvement.id]);
      const openRemovals = [`DELETED CITATION ${open.citation.id}`, `HIDDEN INVOLVEMENT ${open.involvement.id}`].sort();
      expect(await removals(Role.PUBLIC, since, ids)).toEqual(openRemovals);
      expect(await removals(Role.RESEARCHER, since, ids)).toEqual(openRemovals);
      // Editors saw both deleted citations; the raised involvements never left their view.
      expect(await removals(Role.EDITOR, since, ids)).toEqual([`DELETED CITATION ${open.citation.id}`, `DELETED CITATION ${hidden.citation.id}`].sort());
    });

    it('an incident deleted while CONFIDENTIAL and lowered afterwards is never named to those below, deleted or purged', async () => {
      const since = new Date().toISOString();
      const secret = await newIncident({ confidentiality: 'CONFIDENTIAL' });
      const open = await newIncident();
      for (const r of [secret, open]) await made(DELETE, { type: 'INCIDENT', id: r.id, version: r.version });
      await edit('Incident', secret.id, { confidentiality: 'PUBLIC' });
      const ids = [secret.id, open.id];
      expect(await removals(Role.PUBLIC, since, ids)).toEqual([`DELETED INCIDENT ${open.id}`]);
      expect(await removals(Role.RESEARCHER, since, ids)).toEqual([`DELETED INCIDENT ${open.id}`]);
      expect(await removals(Role.EDITOR, since, ids)).toEqual([`DELETED INCIDENT ${open.id}`, `DELETED INCIDENT ${secret.id}`].sort());
      for (const id of ids) {
        const { body } = await t.gql(PURGE, { input: { type: 'INCIDENT', id, reason: 'test' } }, Role.ADMIN);
        expect(body.errors).toBeUndefined();
      }
      expect(await removals(Role.PUBLIC, since, ids)).toEqual([`PURGED INCIDENT ${open.id}`]);
      expect(await removals(Role.EDITOR, since, ids)).toEqual([`PURGED INCIDENT ${open.id}`, `PURGED INCIDENT ${secret.id}`].sort());
    });
  });
});
