/**
 * Records created inside another write (issue 14, class 1): a new source in a citation, a new
 * person in an involvement, and any record a write creates besides its own, take at least the
 * level of the record whose write creates them, unless their own input sets one; a new person and
 * a new source unpublished by nature (TESTIMONY, OTHER) are never PUBLIC unless their input says
 * PUBLIC. The same holds in the import.
 *
 * The first part is generated from schema.gql: it walks every mutation's input for record inputs
 * (input types with a `confidentiality`) nested below the record the mutation writes, so that a
 * nested create added later either has a case here or fails this test.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLSchema,
  isInputObjectType,
} from 'graphql';
import { AccessLevel } from '../../src/access/access-level';
import { Role } from '../../src/access/role';
import { Viewer } from '../../src/access/viewer';
import { RECORD_CLASSES } from '../../src/editing/record-type';
import { importCsvFiles } from '../../src/imports/importer';
import { startTestApp, TestApp } from '../support/test-app';

type Input = Record<string, unknown>;

const schema: GraphQLSchema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8'));

const isRecordInput = (type: GraphQLInputObjectType) => 'confidentiality' in type.getFields();

/** A nested record input: where it is below the record the mutation writes, and its type. */
interface NestedPath {
  path: string[];
  type: GraphQLInputObjectType;
  list: boolean;
}

/** The record input a mutation writes (its input, or an update's `changes`) and the record inputs
 * nested below it, at any depth. */
function nestedRecordInputs(mutation: string): { root: GraphQLInputObjectType | null; rootPath: string[]; nested: NestedPath[] } {
  const field = schema.getMutationType()!.getFields()[mutation];
  const arg = field.args.find((a) => a.name === 'input');
  if (!arg) return { root: null, rootPath: [], nested: [] };
  const top = getNamedType(arg.type) as GraphQLInputObjectType;
  let root: GraphQLInputObjectType | null = null;
  let rootPath: string[] = [];
  if (isInputObjectType(top) && isRecordInput(top)) root = top;
  else if (isInputObjectType(top)) {
    for (const f of Object.values(top.getFields())) {
      const t = getNamedType(f.type);
      if (isInputObjectType(t) && isRecordInput(t)) {
        root = t;
        rootPath = [f.name];
      }
    }
  }
  const nested: NestedPath[] = [];
  const walk = (type: GraphQLInputObjectType, path: string[], seen: Set<string>) => {
    for (const f of Object.values(type.getFields())) {
      const t = getNamedType(f.type);
      if (!isInputObjectType(t) || seen.has(t.name)) continue;
      if (isRecordInput(t)) nested.push({ path: [...path, f.name], type: t, list: isList(f.type) });
      walk(t, [...path, f.name], new Set([...seen, t.name]));
    }
  };
  if (root) walk(root, [], new Set([root.name]));
  else if (isInputObjectType(top)) walk(top, [], new Set([top.name]));
  return { root, rootPath, nested };
}

function isList(type: GraphQLInputType): boolean {
  const inner = type instanceof GraphQLNonNull ? type.ofType : type;
  return inner instanceof GraphQLList;
}

/** A valid record of each nested record input type, with no level of its own. A nested type added
 * to the API without an entry here fails the test. */
const SAMPLES: Record<string, Input> = {
  NewCitationInput: { claim: 'victim count', excerpt: 'my brother was taken from his flat' },
  SourceInput: {
    kind: 'TESTIMONY',
    publisher: 'Witness N., brother of a victim',
    title: 'Testimony of the brother of a detained man',
    url: 'https://example.org/testimony-nested',
    published: { edtf: '2017-04' },
  },
  NewInvolvementInput: { role: 'VICTIM', description: 'Held for twelve days' },
  PersonInput: { pseudonym: 'Victim N', fullName: 'Ruslan Nestedov', gender: 'male', birthYear: 1990 },
};

/** The parent record of every mutation whose input nests records, without the nested ones. */
const PARENTS: Record<string, Input> = {
  createIncident: {
    kind: 'ABDUCTION',
    headline: 'Men detained in a secret prison',
    date: { edtf: '2017-03' },
    regionCode: 'RU-CE',
    locationPrecision: 'REGION',
    verificationStatus: 'REPORTED',
  },
  createAdvocacyResponse: {
    kind: 'PETITION',
    title: 'Petition on the detentions',
    date: { edtf: '2017-06' },
  },
};

/** `base` with every record input nested in it filled in from SAMPLES, each at `level(depth)`
 * when that gives one (depth 1: the records written directly inside the mutation's record). */
function filled(type: GraphQLInputObjectType, level: (depth: number) => AccessLevel | undefined, base: Input, depth = 0): Input {
  const out: Input = { ...base };
  const own = level(depth);
  if (own !== undefined) out.confidentiality = own;
  for (const f of Object.values(type.getFields())) {
    const t = getNamedType(f.type);
    if (!isInputObjectType(t) || !isRecordInput(t)) continue;
    const sample = SAMPLES[t.name];
    if (!sample) throw new Error(`${type.name}.${f.name}: a record created inside another write has no sample in this test (SAMPLES)`);
    const value = filled(t, level, sample, depth + 1);
    out[f.name] = isList(f.type) ? [value] : value;
  }
  return out;
}

const NESTING = Object.keys(schema.getMutationType()!.getFields())
  .map((mutation) => ({ mutation, ...nestedRecordInputs(mutation) }))
  .filter((m) => m.nested.length > 0);

describe('records created inside another write', () => {
  let t: TestApp;
  let tables: string[];
  let dir: string;

  beforeAll(async () => {
    t = await startTestApp();
    tables = Object.values(RECORD_CLASSES).map((c) => t.dataSource.getMetadata(c).tableName);
    dir = await mkdtemp(join(tmpdir(), 'vigil-nested-'));
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await t?.close();
  });

  /** Every record row of every table, by table: id -> confidentiality. */
  async function allRecords(): Promise<Map<string, Map<string, string>>> {
    const out = new Map<string, Map<string, string>>();
    for (const table of tables) {
      const rows: { id: string; confidentiality: string }[] = await t.dataSource.query(`SELECT id, confidentiality::text FROM ${table}`);
      out.set(table, new Map(rows.map((r) => [r.id, r.confidentiality])));
    }
    return out;
  }

  /** Runs `mutation` as an editor; answers the records it created: [table, id, level]. */
  async function created(mutation: string, input: Input): Promise<{ parentId: string; rows: [string, string, string][] }> {
    const before = await allRecords();
    const inputType = getNamedType(schema.getMutationType()!.getFields()[mutation].args.find((a) => a.name === 'input')!.type).name;
    const res = await t.gql(`mutation($input: ${inputType}!) { r: ${mutation}(input: $input) { id } }`, { input }, Role.EDITOR);
    expect(res.body.errors).toBeUndefined();
    const after = await allRecords();
    const rows: [string, string, string][] = [];
    for (const [table, ids] of after) for (const [id, level] of ids) if (!before.get(table)!.has(id)) rows.push([table, id, level]);
    return { parentId: res.body.data!.r.id, rows };
  }

  describe('every nested create the API offers (generated from schema.gql)', () => {
    it('finds the nested creates: records inside createIncident and createAdvocacyResponse, none inside an update', () => {
      const found = NESTING.map((m) => `${m.mutation}: ${m.nested.map((n) => n.path.join('.')).join(', ')}`);
      expect(found.sort()).toEqual([
        'createAdvocacyResponse: citations, citations.source',
        'createIncident: citations, citations.source, involvements, involvements.person',
      ]);
      for (const m of NESTING) {
        if (!PARENTS[m.mutation]) throw new Error(`${m.mutation} creates records inside its write and has no case here (PARENTS)`);
      }
    });

    for (const { mutation, root, nested } of NESTING) {
      const parentTable = mutation === 'createIncident' ? 'incident' : 'advocacy_response';
      const input = (parent: AccessLevel, inner: AccessLevel | undefined | ((depth: number) => AccessLevel | undefined)) =>
        filled(root!, (depth) => (depth === 0 ? parent : typeof inner === 'function' ? inner(depth) : inner), PARENTS[mutation]);

      for (const level of [AccessLevel.RESTRICTED, AccessLevel.CONFIDENTIAL]) {
        it(`${mutation} at ${level}: everything written inside it, left without a level, is at ${level}`, async () => {
          const { parentId, rows } = await created(mutation, input(level, undefined));
          expect(rows).toContainEqual([parentTable, parentId, level]);
          expect(rows).toHaveLength(1 + nested.length);
          for (const row of rows) expect([row[0], row[2]]).toEqual([row[0], level]);
        });
      }

      it(`${mutation} at PUBLIC: a new person and a new testimony are RESTRICTED, a citation and an involvement PUBLIC`, async () => {
        // A PUBLIC record must also cite a public source (the publication rule): one that exists already.
        const [{ id: publicSource }] = await t.dataSource.query(`SELECT id FROM source WHERE confidentiality = 'PUBLIC' AND deleted_at IS NULL ORDER BY id LIMIT 1`);
        const publicInput = input(AccessLevel.PUBLIC, undefined);
        publicInput.citations = [...(publicInput.citations as Input[]), { sourceId: publicSource, claim: 'published report' }];
        const { rows } = await created(mutation, publicInput);
        expect(rows).toHaveLength(2 + nested.length);
        const floor: Record<string, AccessLevel> = { person: AccessLevel.RESTRICTED, source: AccessLevel.RESTRICTED };
        for (const [table, , level] of rows) expect([table, level]).toEqual([table, floor[table] ?? AccessLevel.PUBLIC]);
      });

      it(`${mutation} at CONFIDENTIAL: a record inside a nested record set PUBLIC still takes the mutation's level`, async () => {
        const { rows } = await created(mutation, input(AccessLevel.CONFIDENTIAL, (depth) => (depth === 1 ? AccessLevel.PUBLIC : undefined)));
        const depthOf = new Map(nested.map((n) => [n.type.name, n.path.length]));
        const tableDepth: Record<string, number> = { citation: depthOf.get('NewCitationInput')!, involvement: depthOf.get('NewInvolvementInput')! };
        expect(rows.filter(([table]) => tableDepth[table] === 1).length).toBeGreaterThan(0);
        expect(rows.filter(([table]) => table === 'source' || table === 'person').length).toBeGreaterThan(0);
        for (const [table, , level] of rows) expect([table, level]).toEqual([table, tableDepth[table] === 1 ? AccessLevel.PUBLIC : AccessLevel.CONFIDENTIAL]);
      });

      it(`${mutation} at CONFIDENTIAL: an explicit PUBLIC in a nested record's own input is honoured`, async () => {
        const { parentId, rows } = await created(mutation, input(AccessLevel.CONFIDENTIAL, AccessLevel.PUBLIC));
        expect(rows).toHaveLength(1 + nested.length);
        for (const [table, id, level] of rows) expect([table, level]).toEqual([table, id === parentId ? AccessLevel.CONFIDENTIAL : AccessLevel.PUBLIC]);
      });
    }
  });

  describe('the case of the issue: a confidential incident with a new testimony and a new victim', () => {
    const TITLE = 'Testimony of the brother of Ruslan, held in Argun';
    const PUBLISHER = 'Witness Zelimkhan';
    const URL = 'https://example.org/testimony-zelimkhan';
    const PSEUDONYM = 'Victim Zeta';
    const FULL_NAME = 'Ruslan Zelimkhanov';
    let incidentId: string;
    let sourceId: string;
    let personId: string;

    beforeAll(async () => {
      const res = await t.gql(
        `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id confidentiality citations { sourceId } involvements { personId } } }`,
        {
          input: {
            ...PARENTS.createIncident,
            confidentiality: 'CONFIDENTIAL',
            citations: [{ source: { kind: 'TESTIMONY', publisher: PUBLISHER, title: TITLE, url: URL, published: { edtf: '2017-04' } } }],
            involvements: [{ role: 'VICTIM', person: { pseudonym: PSEUDONYM, fullName: FULL_NAME, gender: 'male', birthYear: 1991 } }],
          },
        },
        Role.EDITOR,
      );
      expect(res.body.errors).toBeUndefined();
      incidentId = res.body.data!.createIncident.id;
      sourceId = res.body.data!.createIncident.citations[0].sourceId;
      personId = res.body.data!.createIncident.involvements[0].personId;
    });

    it('stores the new source and person at the incident\'s level', async () => {
      const res = await t.gql(
        `query($s: ID!, $p: ID!) { source(id: $s) { confidentiality } person(id: $p) { confidentiality } }`,
        { s: sourceId, p: personId },
        Role.EDITOR,
      );
      expect(res.body.data).toEqual({ source: { confidentiality: 'CONFIDENTIAL' }, person: { confidentiality: 'CONFIDENTIAL' } });
      expect(incidentId).toBeDefined();
    });

    for (const role of [Role.PUBLIC, Role.RESEARCHER]) {
      it(`${role}: sources(filter: { search }), people and the records by id show nothing of them`, async () => {
        const res = await t.gql(
          `query($s: ID!, $p: ID!) {
             search: sources(filter: { search: "brother Ruslan Argun" }, first: 100) { totalCount edges { node { id title publisher url } } }
             byPublisher: sources(filter: { search: "Zelimkhan" }, first: 100) { totalCount }
             people(first: 100) { edges { node { id pseudonym gender birthYear } } }
             source(id: $s) { id }
             person(id: $p) { id pseudonym }
           }`,
          { s: sourceId, p: personId },
          role,
        );
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data!.search.totalCount).toBe(0);
        expect(res.body.data!.byPublisher.totalCount).toBe(0);
        expect(res.body.data!.source).toBeNull();
        expect(res.body.data!.person).toBeNull();
        const text = JSON.stringify(res.body);
        for (const value of [TITLE, PUBLISHER, URL, PSEUDONYM, FULL_NAME, sourceId, personId]) expect(text).not.toContain(value);
      });

      it(`${role}: /exports/sources.csv and /exports/citations.csv show nothing of them`, async () => {
        for (const path of ['/exports/sources.csv', '/exports/citations.csv']) {
          const req = t.http().get(path);
          if (role !== Role.PUBLIC) req.set('Authorization', `Bearer ${await t.tokenFor(role as Exclude<Role, Role.PUBLIC>)}`);
          const res = await req;
          expect(res.status).toBe(200);
          for (const value of [TITLE, PUBLISHER, URL, sourceId]) expect(res.text).not.toContain(value);
        }
      });
    }

    it('RESEARCHER: cannot read the full name of a person known only from the confidential incident', async () => {
      const res = await t.gql(
        `query($p: ID!) { person(id: $p) { fullName } people(first: 100) { edges { node { id fullName } } } }`,
        { p: personId },
        Role.RESEARCHER,
      );
      expect(res.body.data!.person).toBeNull();
      expect(JSON.stringify(res.body)).not.toContain(FULL_NAME);
    });
  });

  describe('a confidential response with a new testimony', () => {
    const TITLE = 'Testimony of an organiser, never published';
    let sourceId: string;

    beforeAll(async () => {
      const res = await t.gql(
        `mutation($input: CreateAdvocacyResponseInput!) { createAdvocacyResponse(input: $input) { id citations { sourceId } } }`,
        {
          input: {
            ...PARENTS.createAdvocacyResponse,
            confidentiality: 'CONFIDENTIAL',
            citations: [{ source: { kind: 'TESTIMONY', publisher: 'Organiser K.', title: TITLE, published: { edtf: '2017-06' } } }],
          },
        },
        Role.EDITOR,
      );
      expect(res.body.errors).toBeUndefined();
      sourceId = res.body.data!.createAdvocacyResponse.citations[0].sourceId;
    });

    for (const role of [Role.PUBLIC, Role.RESEARCHER]) {
      it(`${role}: the source shows neither in sources(filter: { search }) nor in sources.csv`, async () => {
        const res = await t.gql(`{ sources(filter: { search: "organiser never published" }, first: 100) { totalCount } }`, {}, role);
        expect(res.body.data!.sources.totalCount).toBe(0);
        const req = t.http().get('/exports/sources.csv');
        if (role !== Role.PUBLIC) req.set('Authorization', `Bearer ${await t.tokenFor(role as Exclude<Role, Role.PUBLIC>)}`);
        const csv = await req;
        expect(csv.text).not.toContain(TITLE);
        expect(csv.text).not.toContain(sourceId);
      });
    }
  });

  describe('a new person or unpublished source written on its own', () => {
    const create = async (mutation: string, inputType: string, input: Input) => {
      const res = await t.gql(`mutation($input: ${inputType}!) { r: ${mutation}(input: $input) { id confidentiality } }`, { input }, Role.EDITOR);
      expect(res.body.errors).toBeUndefined();
      return res.body.data!.r as { id: string; confidentiality: string };
    };
    const source = (kind: string, extra: Input = {}) => ({ ...SAMPLES.SourceInput, kind, title: `A ${kind} on its own`, ...extra });

    it('is RESTRICTED when its input leaves the level out, and hidden from the public', async () => {
      const person = await create('createPerson', 'CreatePersonInput', { pseudonym: 'Victim Solo', fullName: 'Solo Person' });
      const testimony = await create('createSource', 'CreateSourceInput', source('TESTIMONY'));
      const other = await create('createSource', 'CreateSourceInput', source('OTHER'));
      for (const r of [person, testimony, other]) expect(r.confidentiality).toBe('RESTRICTED');
      const res = await t.gql(
        `query($p: ID!, $t: ID!, $o: ID!) { person(id: $p) { id } t: source(id: $t) { id } o: source(id: $o) { id } }`,
        { p: person.id, t: testimony.id, o: other.id },
      );
      expect(res.body.data).toEqual({ person: null, t: null, o: null });
    });

    it('is PUBLIC when an editor says PUBLIC; a published kind stays PUBLIC by default', async () => {
      const person = await create('createPerson', 'CreatePersonInput', { pseudonym: 'Victim Known', confidentiality: 'PUBLIC' });
      const testimony = await create('createSource', 'CreateSourceInput', source('TESTIMONY', { confidentiality: 'PUBLIC' }));
      const news = await create('createSource', 'CreateSourceInput', source('NEWS_REPORT'));
      for (const r of [person, testimony, news]) expect(r.confidentiality).toBe('PUBLIC');
    });

    it('refuses null for the level: the default is asked for by leaving the field out', async () => {
      const res = await t.gql(
        `mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`,
        { input: { pseudonym: 'Victim Null', confidentiality: null } },
        Role.EDITOR,
      );
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(res.body.errors)).toContain('confidentiality');
    });
  });

  describe('the import', () => {
    it('creates a testimony left without a level RESTRICTED, hidden from the public, and honours an explicit PUBLIC', async () => {
      const ids = {
        testimony: 'a0000000-0000-4000-8000-000000000001',
        published: 'a0000000-0000-4000-8000-000000000002',
        news: 'a0000000-0000-4000-8000-000000000003',
      };
      const path = join(dir, 'sources.csv');
      await writeFile(
        path,
        [
          'id,kind,publisher,title,published_start,published_precision,confidentiality',
          `${ids.testimony},TESTIMONY,Witness Imported,Imported testimony of a neighbour,2017-04,MONTH,`,
          `${ids.published},TESTIMONY,Witness Public,Imported testimony published by its author,2017-04,MONTH,PUBLIC`,
          `${ids.news},NEWS_REPORT,Imported Gazette,Imported news of the detentions,2017-04,MONTH,`,
        ].join('\r\n') + '\r\n',
      );
      await importCsvFiles(t.dataSource, [path], { viewer: new Viewer(Role.ADMIN, null, 'nested-creation test') });
      const levels: { id: string; confidentiality: string }[] = await t.dataSource.query(
        'SELECT id, confidentiality::text FROM source WHERE id = ANY($1::uuid[]) ORDER BY id',
        [Object.values(ids)],
      );
      expect(levels).toEqual([
        { id: ids.testimony, confidentiality: 'RESTRICTED' },
        { id: ids.published, confidentiality: 'PUBLIC' },
        { id: ids.news, confidentiality: 'PUBLIC' },
      ]);
      const csv = await t.http().get('/exports/sources.csv');
      expect(csv.text).not.toContain('Imported testimony of a neighbour');
      expect(csv.text).toContain('Imported testimony published by its author');
      expect(csv.text).toContain('Imported news of the detentions');
      const res = await t.gql(`{ sources(filter: { search: "neighbour" }, first: 10) { totalCount } }`);
      expect(res.body.data!.sources.totalCount).toBe(0);
    });
  });
});
