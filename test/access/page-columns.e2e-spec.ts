/* A page of incidents reads only the columns its query selects (src/common/record-columns.ts), for
 * the incidents, their citations with sources, and their responses. That is another way rows are
 * read, so a narrow query must answer exactly what a wide one answers for the same fields: the
 * same bytes, for every role, with hidden, deleted and restricted records around the page; a
 * restricted field is masked and audited as before; and a field whose column was not read errors
 * instead of answering as if the record had no value. */
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { AccessLevel } from '../../src/access/access-level';
import { overrideReadsForTest } from '../../src/common/record-columns';
import { Incident } from '../../src/incidents/incident.entity';
import { AdvocacyResponse } from '../../src/responses/advocacy-response.entity';
import { ResponseIncident } from '../../src/responses/response-links.entity';
import { Citation } from '../../src/sources/citation.entity';
import { Source } from '../../src/sources/source.entity';
import { Role, ROLES, startTestApp, TestApp } from '../support/test-app';

let t: TestApp;
let ds: DataSource;

async function copyOf<T extends ObjectLiteral>(entity: EntityTarget<T>, id: string, changes: Record<string, unknown>): Promise<string> {
  const repo = ds.getRepository(entity);
  const { id: _id, createdAt: _c, updatedAt: _u, version: _v, ...rest } = (await repo.findOneByOrFail({ id } as never)) as Record<string, unknown>;
  return ((await repo.save(repo.create({ ...rest, ...changes } as never))) as unknown as { id: string }).id;
}

beforeAll(async () => {
  t = await startTestApp();
  ds = t.dataSource;
  // Around the first page's incidents: citations and responses at every level, deleted ones, a
  // public citation of a restricted source, a restricted incident, exact coordinates and notes.
  const page: { id: string }[] = await ds.query('SELECT id FROM incident WHERE deleted_at IS NULL AND confidentiality = $1 ORDER BY date_start DESC, id DESC LIMIT 6', [AccessLevel.PUBLIC]);
  const [a, b, c] = page.map((r) => r.id);
  expect(c).toBeDefined();
  const citation = (await ds.query('SELECT id, source_id FROM citation WHERE incident_id IS NOT NULL AND deleted_at IS NULL LIMIT 1'))[0];
  const response = (await ds.query('SELECT id FROM advocacy_response WHERE deleted_at IS NULL LIMIT 1'))[0].id;
  await ds.query("UPDATE incident SET latitude = 55.75, longitude = 37.62, internal_notes = 'notes 9d2e' WHERE id = ANY($1)", [[a, c]]);
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

afterAll(() => t?.close());

/** The narrow pages: few fields, as clients send (the benchmark's page among them). */
const NARROW = {
  bench: `id headline kind date { start precision } regionCode victims { atLeast atMost best }
    citations { excerpt source { publisher title } }
    responses { kind title }`,
  stamps: `id version updatedAt citations { id version source { updatedAt } } responses { updatedAt }`,
  restricted: `id latitude internalNotes citations { excerpt }`,
  fragments: `...Few citations { ... on Citation { claim } sourceId alias: source { url } source { id } }`,
  inLanguage: `inLanguage(preferred: ["ru"]) { headline language } citations { inLanguage(preferred: ["fr"]) { excerpt } }`,
};
const FRAGMENT = 'fragment Few on Incident { headline responses { id kind } }';

/** The wide page: every field of the narrow ones and many more, its records read whole (wholeReads). */
const INCIDENT_FIELDS = `id headline description kind date { start end precision approximate uncertain openEnd asReported edtf earliest latest }
  regionCode locality latitude longitude internalNotes locationPrecision perpetratorDescription verificationStatus
  victims { atLeast atMost best basis asReported } deaths { atLeast atMost best }
  situationId translations { language headline } language confidentiality createdAt updatedAt version deletedAt
  inLanguage(preferred: ["ru"]) { headline language }`;
const CITATION_FIELDS = `id excerpt claim locator sourceId incidentId situationId responseId confidentiality version updatedAt createdAt language
  inLanguage(preferred: ["fr"]) { excerpt }`;
const WIDE = `${INCIDENT_FIELDS}
  citations { ${CITATION_FIELDS}
    source { id kind publisher title author url language reliability archivedUrl contentHash publisherAttribution attributionNote
      published { start precision } confidentiality version updatedAt }
    alias: source { url title } }
  responses { id kind title description url outcome venue target regionCode confidentiality version updatedAt date { start precision }
    inLanguage(preferred: ["ru"]) { title } }
  citationSources: citations { source { publisherOrganization { id } } }
  ...Few`;

/** Runs `work` with these fields' declarations taken away: a selection of them reads whole
 * records, as every read did before the columns were narrowed. */
async function wholeReads<T>(work: () => Promise<T>): Promise<T> {
  const restore = [
    overrideReadsForTest(Incident, 'inLanguage', null),
    overrideReadsForTest(Citation, 'inLanguage', null),
    overrideReadsForTest(Source, 'publisherOrganization', null),
    overrideReadsForTest(AdvocacyResponse, 'inLanguage', null),
  ];
  try {
    return await work();
  } finally {
    restore.forEach((r) => r());
  }
}

const pageQuery = (fields: string) => `query Page($first: Int, $after: String) {
  incidents(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { ${fields} } }
  }
}
${fields.includes('...Few') ? FRAGMENT : ''}`;

/** Cursors are sealed with a fresh nonce each time: the same position reads differently. */
const CURSORS = new Set(['cursor', 'endCursor', 'startCursor']);
const bytes = (data: unknown) => JSON.stringify(data, (k, v) => (CURSORS.has(k) && typeof v === 'string' ? 'cursor' : v));

/** `value` with only the fields `shape` has, in `shape`'s order (the order GraphQL answers in). */
function like(value: unknown, shape: unknown): unknown {
  if (Array.isArray(shape)) return (value as unknown[]).map((v, i) => like(v, shape[i] ?? shape[0]));
  if (shape === null || typeof shape !== 'object' || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(shape).map((k) => [k, like((value as Record<string, unknown>)[k], (shape as Record<string, unknown>)[k])]));
}

const lastAudit = async () => Number((await ds.query('SELECT coalesce(max(id), 0) AS id FROM audit_event'))[0].id);
const auditSince = async (from: number, to?: number) =>
  (await ds.query('SELECT action, operation, fields, kinds, level, subjects, subject_count FROM audit_event WHERE id > $1 AND id <= $2 ORDER BY id', [
    from,
    to ?? Number.MAX_SAFE_INTEGER,
  ])) as unknown[];

/** The statements a request sends (every one goes through a query runner's query()). */
async function statementsOf<T>(run: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query');
  try {
    const result = await run();
    return { result, sql: spy.mock.calls.map((call) => String(call[0])) };
  } finally {
    spy.mockRestore();
  }
}

describe('a page reads only the columns its query selects', () => {
  it('reads fewer columns for a narrow page (what the comparisons below exercise)', async () => {
    const { sql } = await statementsOf(() => t.gql(pageQuery(NARROW.bench), { first: 10 }));
    const page = sql.find((s) => s.includes('"i"."headline"'))!;
    const citations = sql.find((s) => s.includes('FROM "citation"'))!;
    const responses = sql.find((s) => s.includes('"response_incident"'))!;
    expect(page).not.toContain('"i"."description"');
    expect(page).not.toContain('"i"."internal_notes"');
    expect(citations).toContain('"r"."excerpt"');
    expect(citations).not.toContain('"r"."locator"');
    expect(citations).not.toContain('"w"."url"');
    expect(responses).not.toContain('"t"."description"');
    // The wide page reads whole records (a column no field serves is in its statements; a citation has none such).
    const { sql: whole } = await statementsOf(() => wholeReads(() => t.gql(pageQuery(WIDE), { first: 10 })));
    for (const [table, column] of [['i', 'date_latest'], ['w', 'published_latest'], ['t', 'date_latest']]) {
      expect([table, column, whole.some((s) => s.includes(`"${table}"."${column}"`))]).toEqual([table, column, true]);
    }
  });

  it.each(ROLES)('answers %s byte for byte as a wide page does for the same fields', async (role) => {
    if (role !== Role.PUBLIC) await t.tokenFor(role); // its account's creation is audited too
    for (const [name, fields] of Object.entries(NARROW)) {
      for (const first of [3, 10, 50]) {
        let after: string | undefined;
        for (let n = 0; n < 2; n++) {
          const variables = { first, after };
          const narrow = await t.gql(pageQuery(fields), variables, role);
          expect([name, narrow.body.errors?.find((e) => !e.extensions?.field)]).toEqual([name, undefined]);
          const wide = await wholeReads(() => t.gql(pageQuery(WIDE), variables, role));
          expect(narrow.status).toBe(200);
          // Where an error points in the query text differs; what it says and where in the answer may not.
          const errorsOf = (body: typeof narrow.body) => ((body.errors ?? []) as { locations?: unknown }[]).map(({ locations: _l, ...e }) => e) as { path: unknown[]; extensions: { field?: string } }[];
          const [narrowErrors, wideErrors] = [errorsOf(narrow.body), errorsOf(wide.body)];
          // The wide page's answer cut down to the narrow one's fields, then compared as bytes.
          expect([name, bytes(like(wide.body.data, narrow.body.data))]).toEqual([name, bytes(narrow.body.data)]);
          expect(narrowErrors.length === 0 || narrowErrors.every((e) => e.extensions.field)).toBe(true);
          const asked = new Set(narrowErrors.map((e) => JSON.stringify(e.path)));
          expect([name, JSON.stringify(narrowErrors)]).toEqual([name, JSON.stringify(wideErrors.filter((e) => asked.has(JSON.stringify(e.path))))]);
          after = narrow.body.data!.incidents.pageInfo.endCursor;
        }
      }
    }
  });

  it.each(ROLES)('masks and audits a restricted field of a partially read incident for %s, as a wide page does', async (role) => {
    if (role !== Role.PUBLIC) await t.tokenFor(role);
    const before = await lastAudit();
    const res = await t.gql(pageQuery('id latitude longitude internalNotes citations { excerpt }'), { first: 10 }, role);
    const between = await lastAudit();
    // Every field of the same records: the audit must be the same entry.
    await wholeReads(() => t.gql(pageQuery(`${INCIDENT_FIELDS} citations { ${CITATION_FIELDS} }`), { first: 10 }, role));
    expect(await auditSince(before, between)).toEqual(await auditSince(between));
    const nodes = res.body.data!.incidents.edges.map((e: { node: Record<string, unknown> }) => e.node);
    const errors = (res.body.errors ?? []) as unknown as { extensions: { code: string; field?: string } }[];
    const text = JSON.stringify(res.body);
    const fields = (f: string) => errors.filter((e) => e.extensions.field === f && e.extensions.code === 'FORBIDDEN').length;
    const audit = (await auditSince(before, between)) as { fields: string[] | null }[];
    if (role === Role.PUBLIC) {
      expect([fields('Incident.latitude'), fields('Incident.internalNotes')]).toEqual([nodes.length, nodes.length]);
      expect(text).not.toContain('55.75');
      expect(audit).toEqual([]);
    } else if (role === Role.RESEARCHER) {
      expect([fields('Incident.latitude'), fields('Incident.internalNotes')]).toEqual([0, nodes.length]);
      expect(text).toContain('55.75');
      expect(text).not.toContain('notes 9d2e');
      expect(JSON.stringify(audit)).toContain('Incident.latitude');
    } else {
      expect(errors).toEqual([]);
      expect(text).toContain('notes 9d2e');
      expect(JSON.stringify(audit)).toContain('Incident.internalNotes');
    }
  });
});

describe('a field whose column was not read', () => {
  it.each([
    ['situationId', 'situationId'],
    ['region { code }', 'regionCode'],
    ['citations { source { title } }', 'sourceId'],
  ])('errors instead of answering (%s without %s)', async (fields, column) => {
    const field = fields.includes('source') ? 'source' : fields.split(/[ {]/)[0];
    const entity = field === 'source' ? Citation : Incident;
    const restore = overrideReadsForTest(entity, field, []);
    try {
      const res = await t.gql(pageQuery(`id ${fields}`), { first: 5 }, Role.ADMIN);
      expect(res.status).toBe(200);
      const errors = (res.body.errors ?? []) as { message: string; extensions: { code: string } }[];
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => e.extensions.code === 'INTERNAL_SERVER_ERROR')).toBe(true);
      // No value stands in for the unread column: every node's field is null, none answered.
      const nodes = (res.body.data?.incidents?.edges ?? []).map((e: { node: Record<string, unknown> | null }) => e.node);
      const answered = nodes.filter((n: Record<string, unknown> | null) =>
        field === 'source' ? (n?.citations as { source: unknown }[] | undefined)?.some((c) => c.source !== null) : n && n[field] !== null,
      );
      expect([column, answered]).toEqual([column, []]);
    } finally {
      restore();
    }
    // Declared again, the same page answers.
    const res = await t.gql(pageQuery(`id ${fields}`), { first: 5 }, Role.ADMIN);
    expect(res.body.errors).toBeUndefined();
  });
});
