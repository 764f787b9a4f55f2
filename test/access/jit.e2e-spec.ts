/** Field and operation access on the production execution path: Mercurius's query cache with
 * graphql-jit (`jit: 1` in src/app.module.ts), so a query runs interpreted the first time and
 * compiled from the second. jest cannot take that path in-process (the app is built there with
 * queryCache: false, which also turns JIT off), so the BUILT service (dist/src/main.js, built by
 * `npm test`) runs as its own process, on a database of its own on the shared test server.
 *
 * The service runs with a probe preloaded (`node -r probe.js dist/src/main.js`) that only counts
 * graphql-jit compilations and compiled runs, by operation name, into a file: the test then knows,
 * request by request, which answers came from compiled code, and fails if JIT stops being used.
 *
 * Every answer of every repetition is checked against the schema: each @sensitive field the query
 * reaches (at depth, aliased, in inline and named fragments) holds the stored value when the role
 * may read it, or null with a FORBIDDEN error naming it at its path when it may not; a denied
 * value appears nowhere in the body; and the repetitions answer the same, interpreted or compiled. */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  buildSchema,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLField,
  GraphQLObjectType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  parse,
  SelectionSetNode,
  StringValueNode,
} from 'graphql';
import { Client } from 'pg';
import { freePort } from '../../src/database/free-port';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { stopService, waitForHealth } from '../support/service-process';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'src');
/** The first answer is interpreted, the next four compiled. */
const REPEATS = 5;

type Role = 'PUBLIC' | 'RESEARCHER' | 'EDITOR';
type Level = 'RESTRICTED' | 'CONFIDENTIAL';
const ROLES: Role[] = ['PUBLIC', 'RESEARCHER', 'EDITOR'];
const MAY_READ: Record<Role, Level[]> = { PUBLIC: [], RESEARCHER: ['RESTRICTED'], EDITOR: ['RESTRICTED', 'CONFIDENTIAL'] };
const mayRead = (role: Role, level: Level) => MAY_READ[role].includes(level);
const pad = (n: number) => String(n).padStart(3, '0');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The published schema, for the @sensitive declarations and to walk answers by type. */
const schema = buildSchema(readFileSync(join(ROOT, 'schema.gql'), 'utf8'));

function sensitivity(field: GraphQLField<unknown, unknown>): Level | null {
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'sensitive');
  const arg = directive?.arguments?.find((a) => a.name.value === 'level');
  return arg ? ((arg.value as StringValueNode).value as Level) : null;
}

/** The types whose protected values the test stores and queries, with their @sensitive fields. */
const TYPES = ['Incident', 'Involvement', 'Person'] as const;
const SENSITIVE: { type: string; field: string; coordinate: string; level: Level; column: string }[] = TYPES.flatMap((type) =>
  Object.values((schema.getType(type) as GraphQLObjectType).getFields()).flatMap((f) => {
    const level = sensitivity(f);
    return level ? [{ type, field: f.name, coordinate: `${type}.${f.name}`, level, column: f.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) }] : [];
  }),
);
const ALL_COORDINATES = SENSITIVE.map((s) => s.coordinate).sort();

interface Leaf {
  coordinate: string;
  level: Level;
  path: (string | number)[];
  value: unknown;
  parentId: unknown;
}

/** Every @sensitive field in an answer, found by walking the data along the query's selections
 * (aliases, inline fragments and named fragments included). */
function sensitiveLeaves(document: DocumentNode, data: unknown): Leaf[] {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const leaves: Leaf[] = [];

  const visitObject = (obj: Record<string, unknown>, type: GraphQLObjectType, set: SelectionSetNode, path: (string | number)[]) => {
    const byKey = new Map<string, FieldNode[]>();
    const collect = (s: SelectionSetNode) => {
      for (const sel of s.selections) {
        if (sel.kind === Kind.FIELD) {
          const key = (sel.alias ?? sel.name).value;
          byKey.set(key, [...(byKey.get(key) ?? []), sel]);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          if (!sel.typeCondition || sel.typeCondition.name.value === type.name) collect(sel.selectionSet);
        } else {
          const fragment = fragments.get(sel.name.value)!;
          if (fragment.typeCondition.name.value === type.name) collect(fragment.selectionSet);
        }
      }
    };
    collect(set);
    for (const [key, nodes] of byKey) {
      const name = nodes[0].name.value;
      if (name === '__typename') continue;
      const field = type.getFields()[name];
      if (!field) throw new Error(`${type.name}.${name} is not in schema.gql`);
      const value = obj[key];
      const here = [...path, key];
      const level = sensitivity(field);
      if (level) {
        leaves.push({ coordinate: `${type.name}.${name}`, level, path: here, value, parentId: obj.id });
        continue;
      }
      const named = getNamedType(field.type);
      if (isObjectType(named) && value !== null && value !== undefined) {
        const merged: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: nodes.flatMap((n) => n.selectionSet?.selections ?? []) };
        visitValue(value, named, merged, here);
      }
    }
  };
  const visitValue = (value: unknown, type: GraphQLObjectType, set: SelectionSetNode, path: (string | number)[]): void => {
    if (Array.isArray(value)) value.forEach((v, i) => v !== null && visitValue(v, type, set, [...path, i]));
    else visitObject(value as Record<string, unknown>, type, set, path);
  };
  if (data) visitObject(data as Record<string, unknown>, schema.getQueryType()!, operation.selectionSet, []);
  return leaves;
}

/** The deep query: every protected field of Incident, Involvement and Person, reached through
 * lists and relations, plain, aliased, in inline and named fragments, and merged from both. */
const deepQuery = (name: string, literal?: { first: number; personId: string }) => `
query ${name}${literal ? '' : '($first: Int!, $personId: ID!)'} {
  incidents(first: ${literal ? literal.first : '$first'}) {
    totalCount
    edges {
      node {
        id
        headline
        latitude
        lng: longitude
        internalNotes
        ...IncidentSecrets
        involvements {
          id
          role
          description
          person {
            id
            pseudonym
            fullName
            contact
            ...PersonSecrets
          }
        }
      }
    }
  }
  people(first: ${literal ? literal.first : '$first'}, orderBy: PSEUDONYM) {
    totalCount
    edges {
      node {
        id
        pseudonym
        name: fullName
        ... on Person { contact occupation }
        involvements {
          id
          what: description
          incident { id headline latitude longitude notes: internalNotes }
        }
      }
    }
  }
  person(id: ${literal ? JSON.stringify(literal.personId) : '$personId'}) {
    id
    pseudonym
    fullName
    contact
    notes
    otherNames
    ...PersonSecrets
  }
}
fragment IncidentSecrets on Incident { notesAgain: internalNotes longitude }
fragment PersonSecrets on Person { who: fullName reach: contact occupation otherNames notes }
`;

/** What must not change between the interpreted and the compiled run: the status, the data to
 * the byte (field order included), and the errors, in any order. graphql-js and graphql-jit
 * report errors in the order their fields settle, which differs (and GraphQL gives the list no
 * meaning), and put `errors` and `data` in a different order in the body. */
function comparable(answer: Answer) {
  const errors = (answer.body.errors ?? []).map((e) => JSON.stringify(e)).sort();
  return { status: answer.status, data: JSON.stringify(answer.body.data), errors, keys: Object.keys(answer.body).sort() };
}

interface Answer {
  status: number;
  text: string;
  body: { data?: any; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

describe('access control on the compiled (graphql-jit) execution path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-jit-'));
  const probeLog = join(dir, 'jit-probe.log');
  let db: TestDatabase;
  let sql: Client;
  let service: ChildProcess;
  let output = '';
  let base: string;
  const tokens: Partial<Record<Role, string>> = {};
  /** coordinate -> record id -> stored value (every row of the three tables, markers all). */
  const stored = new Map<string, Map<string, unknown>>();
  const personIds: string[] = [];
  const emails = { RESEARCHER: 'jit-researcher@test.vigil', EDITOR: 'jit-editor@test.vigil' };

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'main.js'))) throw new Error(`${DIST}/main.js is missing: run \`npm test\` (or \`npx tsc -p tsconfig.json\`), which builds first`);
    db = await createTestDatabase({ demoData: true });
    sql = new Client({ connectionString: db.url });
    await sql.connect();

    // The demo data has incidents but no people, and no coordinates or notes: give every protected
    // field a unique marker, on every row, so that any leak shows.
    const { rows: incidents } = await sql.query<{ id: string }>('SELECT id FROM incident ORDER BY created_at, id');
    expect(incidents.length).toBeGreaterThanOrEqual(2);
    for (const [i, { id }] of incidents.entries()) {
      await sql.query(`UPDATE incident SET latitude = $2, longitude = $3, internal_notes = $4, location_precision = 'EXACT' WHERE id = $1`, [
        id,
        `43.77${pad(i + 1)}31`,
        `45.66${pad(i + 1)}17`,
        `SECRET-NOTE-I${pad(i + 1)}`,
      ]);
    }
    // Three public people: two in the first incident, one in the second.
    for (const [i, incidentIndex] of [0, 0, 1].entries()) {
      const n = pad(i + 1);
      const { rows } = await sql.query<{ id: string }>(
        `INSERT INTO person (pseudonym, full_name, other_names, occupation, contact, notes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() - ($7 || ' minutes')::interval) RETURNING id`,
        [`Victim ${String.fromCharCode(65 + i)}`, `SECRET-NAME-P${n}`, `SECRET-OTHER-P${n}`, `SECRET-JOB-P${n}`, `SECRET-CONTACT-P${n}`, `SECRET-PNOTES-P${n}`, String(10 - i)],
      );
      personIds.push(rows[0].id);
      await sql.query(`INSERT INTO involvement (incident_id, person_id, role, description) VALUES ($1, $2, $3, $4)`, [
        incidents[incidentIndex].id,
        rows[0].id,
        i === 1 ? 'WITNESS' : 'VICTIM',
        `SECRET-DESC-V${n}`,
      ]);
    }
    for (const type of TYPES) {
      const fields = SENSITIVE.filter((s) => s.type === type);
      const table = type.toLowerCase();
      const { rows } = await sql.query(`SELECT id, ${fields.map((f) => f.column).join(', ')} FROM ${table}`);
      for (const f of fields) {
        const values = new Map<string, unknown>(rows.map((r) => [r.id as string, r[f.column]]));
        expect([...values.values()].every((v) => v !== null)).toBe(true); // every row carries a marker
        stored.set(f.coordinate, values);
      }
    }

    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const env = {
      ...inherited,
      NODE_ENV: 'development',
      DATABASE_URL: db.url,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      // One client, many requests: the rate limits are tested elsewhere.
      RATE_LIMIT_PER_ADDRESS: '0',
      RATE_LIMIT_PER_TOKEN: '0',
    };
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, [join(DIST, 'cli', 'vigil.js'), ...args], { env });
    for (const role of ['RESEARCHER', 'EDITOR'] as const) {
      await cli('account', 'create', '--email', emails[role], '--role', role);
      tokens[role] = (await cli('token', 'create', '--email', emails[role], '--name', 'jit')).stdout.trim().split('\n').at(-1)!;
      expect(tokens[role]).toMatch(/^vigil_/);
    }

    // The probe: counts graphql-jit's compilations and compiled runs by operation name. It wraps
    // the module's exports before mercurius destructures them; the compiled code is untouched.
    const probe = join(dir, 'jit-probe.js');
    writeFileSync(
      probe,
      `const { appendFileSync } = require('node:fs');
const path = require('node:path');
const log = ${JSON.stringify(probeLog)};
const mercurius = require.resolve('mercurius', { paths: [${JSON.stringify(ROOT)}] });
const id = require.resolve('graphql-jit', { paths: [path.dirname(mercurius)] });
const jit = require(id);
const nameOf = (document, operationName) =>
  operationName || (document.definitions.find((d) => d.kind === 'OperationDefinition')?.name?.value ?? '(anonymous)');
const probed = { ...jit };
probed.compileQuery = function (schema, document, operationName, options) {
  const compiled = jit.compileQuery(schema, document, operationName, options);
  const name = nameOf(document, operationName);
  appendFileSync(log, 'compile ' + name + (jit.isCompiledQuery(compiled) ? '' : ' FAILED') + '\\n');
  if (jit.isCompiledQuery(compiled)) {
    const query = compiled.query;
    compiled.query = function (...args) {
      appendFileSync(log, 'run ' + name + '\\n');
      return query.apply(this, args);
    };
  }
  return compiled;
};
require.cache[id].exports = probed;
appendFileSync(log, 'probe installed\\n');
`,
    );
    writeFileSync(probeLog, '');

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = spawn(process.execPath, ['-r', probe, join(DIST, 'main.js')], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    service.stdout!.on('data', (d) => (output += d));
    service.stderr!.on('data', (d) => (output += d));
    await waitForHealth(base, service, () => output);
    expect(probeEvents()).toContain('probe installed');
  }, 120_000);

  afterAll(async () => {
    await stopService(service);
    await sql?.end();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  function probeEvents(): string[] {
    return readFileSync(probeLog, 'utf8').split('\n').filter(Boolean);
  }
  const compiledRuns = (name: string) => probeEvents().filter((e) => e === `run ${name}`).length;
  const compilations = (name: string) => probeEvents().filter((e) => e.startsWith(`compile ${name}`));

  async function send(role: Role, query: string, variables?: Record<string, unknown>): Promise<Answer> {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(role === 'PUBLIC' ? {} : { authorization: `Bearer ${tokens[role]}` }) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) };
  }

  /** Sends the same query REPEATS times and checks, request by request, that the first ran
   * interpreted and every later one compiled. */
  async function repeat(role: Role, name: string, query: string, variables?: Record<string, unknown>): Promise<Answer[]> {
    const answers: Answer[] = [];
    for (let i = 0; i < REPEATS; i++) {
      answers.push(await send(role, query, variables));
      expect({ request: i + 1, compiledRuns: compiledRuns(name) }).toEqual({ request: i + 1, compiledRuns: i });
    }
    expect(compilations(name)).toEqual([`compile ${name}`]);
    return answers;
  }

  /** Everything wrong with one answer to the deep query, as readable lines. */
  function problems(role: Role, query: string, answer: Answer): string[] {
    const found: string[] = [];
    if (answer.status !== 200) found.push(`status ${answer.status}`);
    const { data, errors = [] } = answer.body;
    if (!data?.incidents?.edges?.length || !data?.people?.edges?.length || !data?.person) found.push(`missing data: ${answer.text.slice(0, 300)}`);
    const leaves = sensitiveLeaves(parse(query), data);
    const covered = [...new Set(leaves.map((l) => l.coordinate))].sort();
    if (JSON.stringify(covered) !== JSON.stringify(ALL_COORDINATES)) found.push(`reached ${covered.join(', ')}; expected ${ALL_COORDINATES.join(', ')}`);
    const denied: string[] = [];
    for (const leaf of leaves) {
      const where = `${leaf.path.join('.')} (${leaf.coordinate})`;
      if (typeof leaf.parentId !== 'string') {
        found.push(`${where}: no id beside it`);
        continue;
      }
      if (mayRead(role, leaf.level)) {
        const expected = stored.get(leaf.coordinate)?.get(leaf.parentId);
        if (expected === undefined || expected === null) found.push(`${where}: nothing stored for ${leaf.parentId}`);
        else if (leaf.value !== expected) found.push(`${where}: ${JSON.stringify(leaf.value)}, stored ${JSON.stringify(expected)}`);
      } else {
        if (leaf.value !== null) found.push(`${where}: denied but answered ${JSON.stringify(leaf.value)}`);
        denied.push(JSON.stringify({ path: leaf.path, code: 'FORBIDDEN', field: leaf.coordinate, message: `Not allowed to read ${leaf.coordinate}` }));
      }
    }
    const got = errors.map((e) => JSON.stringify({ path: e.path, code: e.extensions?.code, field: e.extensions?.field, message: e.message }));
    const missing = denied.filter((d) => !got.includes(d));
    const extra = got.filter((g) => !denied.includes(g));
    if (missing.length) found.push(`missing FORBIDDEN errors: ${missing.join(' ')}`);
    if (extra.length) found.push(`unexpected errors: ${extra.join(' ')}`);
    if (got.length !== denied.length) found.push(`${got.length} errors for ${denied.length} denied fields`);
    // No value of a field the role may not read, from any row, anywhere in the body.
    for (const s of SENSITIVE) {
      if (mayRead(role, s.level)) continue;
      for (const value of stored.get(s.coordinate)!.values()) {
        if (answer.text.includes(String(value))) found.push(`leaked ${s.coordinate} value ${String(value)}`);
      }
    }
    return found;
  }

  /** Every answer correct, and all the same as the first (the interpreted one). */
  function expectCorrectAndStable(role: Role, query: string, answers: Answer[]) {
    answers.forEach((answer, i) => {
      expect({ role, request: i + 1, compiled: i > 0, problems: problems(role, query, answer) }).toEqual({ role, request: i + 1, compiled: i > 0, problems: [] });
    });
    for (let i = 1; i < answers.length; i++) expect({ role, request: i + 1, ...comparable(answers[i]) }).toEqual({ role, request: i + 1, ...comparable(answers[0]) });
  }

  const readEvents = async () =>
    (
      await sql.query<{ role: string; fields: string[]; level: string; subjects: string[]; subject_count: number; operation: string }>(
        `SELECT role, fields, level, subjects, subject_count, operation FROM audit_event WHERE action = 'READ' ORDER BY id`,
      )
    ).rows;

  const perRole = new Map<Role, Answer[]>();

  describe.each(ROLES)('%s', (role) => {
    it(`answers the deep query ${REPEATS} times, interpreted then compiled: protected fields exactly per clearance, and the same each time`, async () => {
      const name = `Deep_${role}`;
      const query = deepQuery(name);
      const before = (await readEvents()).length;
      const answers = await repeat(role, name, query, { first: 10, personId: personIds[0] });
      expectCorrectAndStable(role, query, answers);
      perRole.set(role, answers);

      // The audit log saw each request the same way, interpreted or compiled.
      const events = (await readEvents()).slice(before);
      const readable = SENSITIVE.filter((s) => mayRead(role, s.level)).map((s) => s.coordinate).sort();
      if (!readable.length) {
        expect(events).toEqual([]);
      } else {
        expect(events).toHaveLength(REPEATS);
        // Every record whose protected value went out, whatever order the fields settled in.
        const subjects = [
          ...new Set(
            sensitiveLeaves(parse(query), answers[0].body.data)
              .filter((l) => mayRead(role, l.level) && l.value !== null)
              .map((l) => `${l.coordinate.split('.')[0]}:${String(l.parentId)}`),
          ),
        ].sort();
        for (const event of events) {
          expect({ ...event, subjects: [...event.subjects].sort() }).toEqual({ ...events[0], subjects });
          expect(event.subject_count).toBe(subjects.length);
          expect([...event.fields].sort()).toEqual(readable);
          expect(event.role).toBe(role);
          expect(event.level).toBe(role === 'EDITOR' ? 'CONFIDENTIAL' : 'RESTRICTED');
          expect(event.subject_count).toBeGreaterThan(0);
        }
      }
    });
  });

  it('serves one compiled query to every role in turn, each within its own clearance', async () => {
    // Literal arguments, no variables; compiled during the second request (PUBLIC's) and then
    // served to the editor and the researcher: nothing of the compiling viewer may stick.
    const name = 'DeepShared';
    const query = deepQuery(name, { first: 10, personId: personIds[0] });
    const order: Role[] = ['EDITOR', 'PUBLIC', 'RESEARCHER'];
    const answers = new Map<Role, Answer[]>(order.map((r) => [r, []]));
    let sent = 0;
    for (let round = 0; round < REPEATS; round++) {
      for (const role of order) {
        answers.get(role)!.push(await send(role, query));
        sent++;
        expect({ request: sent, role, compiledRuns: compiledRuns(name) }).toEqual({ request: sent, role, compiledRuns: sent - 1 });
      }
    }
    expect(compilations(name)).toEqual([`compile ${name}`]);
    for (const role of order) {
      const mine = answers.get(role)!;
      expectCorrectAndStable(role, query, mine);
      // The same data and errors as the query sent by this role alone, with variables (run by the
      // tests above, unless a -t filter skipped them).
      const alone = perRole.get(role);
      if (alone) expect({ role, ...comparable(mine[0]) }).toEqual({ role, ...comparable(alone[0]) });
    }
  });

  it.each([
    ['RESEARCHER', 'Audit_RESEARCHER'],
    ['EDITOR', 'Audit_EDITOR'],
  ] as const)('refuses auditEvents to a %s every time, interpreted or compiled', async (role, name) => {
    const query = `query ${name} { auditEvents(first: 20) { totalCount edges { node { id actor operation fields changes } } } }`;
    const answers = await repeat(role, name, query);
    for (const [i, answer] of answers.entries()) {
      expect({ request: i + 1, status: answer.status, body: answer.body }).toEqual({
        request: i + 1,
        status: 200,
        body: {
          data: null,
          errors: [
            {
              message: 'Query.auditEvents requires the ADMIN role',
              locations: expect.any(Array),
              path: ['auditEvents'],
              extensions: { code: 'FORBIDDEN', operation: 'Query.auditEvents', requiredRole: 'ADMIN' },
            },
          ],
        },
      });
      // The log holds the accounts' creation, with their emails: none of it comes out.
      expect(answer.text).not.toContain('@test.vigil');
      expect(answer.text).not.toContain('command line');
      expect(comparable(answer)).toEqual(comparable(answers[0]));
    }
  });

  it('refuses a protected filter and sort to the public every time, and applies them for a researcher', async () => {
    const query = (name: string) => `query ${name}($name: String!) {
      byName: people(filter: { name: $name }) { totalCount edges { node { pseudonym } } }
      byFullName: people(first: 10, orderBy: FULL_NAME) { edges { node { pseudonym } } }
    }`;
    const variables = { name: 'SECRET-NAME-P002' };

    const refused = await repeat('PUBLIC', 'Oracle_PUBLIC', query('Oracle_PUBLIC'), variables);
    for (const [i, answer] of refused.entries()) {
      expect({ request: i + 1, status: answer.status, data: answer.body.data }).toEqual({ request: i + 1, status: 200, data: null });
      const errors = answer.body.errors ?? [];
      expect(errors.length).toBeGreaterThanOrEqual(1);
      for (const e of errors) {
        expect([
          { code: 'FORBIDDEN', field: 'PersonFilter.name', argument: 'filter.name' },
          { code: 'FORBIDDEN', field: 'PersonOrder.FULL_NAME', argument: 'orderBy' },
        ]).toContainEqual(e.extensions);
      }
      expect(answer.text).not.toContain('Victim');
      expect(comparable(answer)).toEqual(comparable(refused[0]));
    }

    const applied = await repeat('RESEARCHER', 'Oracle_RESEARCHER', query('Oracle_RESEARCHER'), variables);
    for (const [i, answer] of applied.entries()) {
      expect({ request: i + 1, status: answer.status, body: answer.body }).toEqual({
        request: i + 1,
        status: 200,
        body: {
          data: {
            byName: { totalCount: 1, edges: [{ node: { pseudonym: 'Victim B' } }] },
            byFullName: { edges: [{ node: { pseudonym: 'Victim A' } }, { node: { pseudonym: 'Victim B' } }, { node: { pseudonym: 'Victim C' } }] },
          },
        },
      });
      expect(comparable(answer)).toEqual(comparable(applied[0]));
    }
  });

  it('logged nothing unexpected', () => {
    expect(output).not.toMatch(/Unexpected|INTERNAL_SERVER_ERROR/);
    expect(probeEvents().filter((e) => e.includes('FAILED'))).toEqual([]);
  });
});
