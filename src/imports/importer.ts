import { createWriteStream } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { DataSource, EntityManager, In, QueryFailedError } from 'typeorm';
import { Viewer } from '../access/viewer';
import { AuditService } from '../audit/audit.service';
import { ConflictError, InputProblem, NotFoundError, UserInputError } from '../common/errors';
import { prefetchReferences, validateWrite } from '../common/validation.pipe';
import { VigilRecord } from '../common/vigil-record';
import { applied, diff, EditingService, stateOf, translateDatabaseError, valuesOf, WriteContext } from '../editing/editing.service';
import { RegionsService } from '../regions/regions.service';
import { OrganizerRole, ResponseIncident, ResponseOrganizer, ResponseSituation } from '../responses/response-links.entity';
import { CsvRecord, CsvSyntaxError, fileSize, readCsv, readHeader } from './csv-reader';
import { columnRoles, IMPORT_FORMATS, ImportFormat, ImportKind, otherSeparator, recogniseHeader } from './import-formats';
import { BulkCreations } from './bulk-creations';
import type { Cell } from '../generate/copy';
import { NO_PROGRESS, ImportProgress } from './progress';
import { DEFER_SEARCH_DOCUMENTS_SQL, REFRESH_DEFERRED_SEARCH_DOCUMENTS_SQL } from '../incidents/search-document';
import { unsourcedMessage, unsourcedPublicRecords } from '../sources/publication-rule';
import { CellProblem, HeaderColumn, ProblemColumns, rowValues, RowValues } from './row-input';

/** A problem with a file, a row or a cell. Never quotes a cell. */
export interface ImportProblem {
  file: string;
  /** The line of the file (1 is the header); null for the whole file. */
  line: number | null;
  column: string | null;
  message: string;
}

/** `incidents.csv:12 date_start` */
export function whereOf(p: ImportProblem): string {
  return `${p.file}${p.line !== null ? `:${p.line}` : ''}${p.column ? ` ${p.column}` : ''}`;
}

/** The import found problems and wrote nothing. Carries the first `listed` problems and how many
 * there were in all; as a UserInputError, the command line prints each and exits with code 2. */
export class ImportRefusedError extends UserInputError {
  constructor(
    readonly listed: ImportProblem[],
    readonly total: number,
  ) {
    const more = total - listed.length;
    super([
      ...listed.map((p) => ({ path: whereOf(p), message: p.message })),
      { path: 'import', message: `${total} problem${total === 1 ? '' : 's'}${more > 0 ? ` (${more} not listed)` : ''}: nothing was imported` },
    ]);
  }
}

/** A file whose header was read and recognised. */
export interface FilePlan {
  /** The path as given, which is how messages name the file. */
  path: string;
  format: ImportFormat;
  header: string[];
  bytes: number;
}

export interface FileSummary {
  file: string;
  kind: ImportKind;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Records created from rows without an id: the line of the row and the id it was given. */
  newIds: { line: number; id: string }[];
}

export interface ImportSummary {
  files: FileSummary[];
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  seconds: number;
}

export interface ImportOptions {
  /** Who imports: every write is recorded as theirs (the command line's operator). */
  viewer: Viewer;
  operation?: string;
  progress?: ImportProgress;
  /** Problems listed in the error (the rest are counted). */
  maxListed?: number;
}

/** Rows looked up and written per batch: a statement per 1,000 new records; fewer rows held (and
 * less garbage between collections: the import's peak memory). */
const CHUNK = 1000;
const DEFAULT_LISTED = 1000;
/** Rows checked between two turns of the event loop (Importer.checkChunk). */
const YIELD_EVERY = 25;
/** New records after which the written tables are analyzed before the publication rule's check. */
const ANALYZE_AFTER = 2000;

/** Collects problems, keeping the first `max`. */
class Problems {
  readonly listed: ImportProblem[] = [];
  total = 0;

  constructor(private readonly max: number) {}

  add(problem: ImportProblem): void {
    this.total++;
    if (this.listed.length < this.max) this.listed.push(problem);
  }

  refuse(): ImportRefusedError {
    return new ImportRefusedError(this.listed, this.total);
  }
}

/**
 * Reads the header of every file, recognises which export each is, and checks its columns:
 * unknown, repeated or missing required columns refuse the file. Nothing is opened but the files.
 * Plans come back in load order (sources, incidents, responses, citations; files of one kind in
 * the order given).
 */
export async function planImport(paths: readonly string[], maxListed = DEFAULT_LISTED): Promise<FilePlan[]> {
  const problems = new Problems(maxListed);
  const plans: FilePlan[] = [];
  const fileProblem = (file: string, message: string, column: string | null = null, line: number | null = null) => problems.add({ file, line, column, message });
  if (paths.length === 0) fileProblem('import', 'name at least one file');
  for (const path of paths) {
    let header: (string | null)[] | null;
    let bytes: number;
    try {
      bytes = await fileSize(path);
      header = await readHeader(path);
    } catch (error) {
      if (error instanceof CsvSyntaxError) fileProblem(path, error.message, null, error.line);
      else fileProblem(path, `cannot be read (${(error as { code?: string }).code ?? 'error'})`);
      continue;
    }
    if (!header) {
      fileProblem(path, 'is empty: a file starts with the header of its export');
      continue;
    }
    const names = header.map((h) => h ?? '');
    const format = recogniseHeader(names);
    const separator = format ? null : otherSeparator(names);
    if (separator) {
      fileProblem(path, `its columns seem to be separated by ${separator}: save it as CSV separated by commas (docs/import.md)`, null, 1);
      continue;
    }
    if (!format) {
      fileProblem(path, 'is not an export of sources, incidents, responses or citations: its header is not one of theirs (docs/import.md)', null, 1);
      continue;
    }
    const known = new Set(format.columns.map((c) => c.name));
    const before = problems.total;
    names.forEach((name, k) => {
      if (!name) fileProblem(path, `column ${k + 1} has no name`, null, 1);
      else if (!known.has(name)) fileProblem(path, `is not a column of ${format.file}`, name, 1);
      else if (names.indexOf(name) !== k) fileProblem(path, 'appears twice in the header', name, 1);
    });
    for (const name of format.required) if (!names.includes(name)) fileProblem(path, `is missing: ${format.file} needs it`, name, 1);
    if (problems.total === before) plans.push({ path, format, header: names, bytes });
  }
  if (problems.total) throw problems.refuse();
  return plans.sort((a, b) => IMPORT_FORMATS.indexOf(a.format) - IMPORT_FORMATS.indexOf(b.format));
}

/** Links a response has that are not deleted, by response id. */
interface ResponseLinks {
  incidents: Map<string, Set<string>>;
  situations: Map<string, Set<string>>;
  organizations: Map<string, Set<string>>;
  /** Links removed (unlinked) and not made again, by response, then target, with when. */
  removed: Record<'incidents' | 'situations' | 'organizations', Map<string, Map<string, Date>>>;
}

/** Who writes: the operator, through the import, naming the file in each revision and audit entry. */
function contextFor(options: ImportOptions, plan: FilePlan): WriteContext {
  return { viewer: options.viewer, operation: options.operation ?? 'cli import', reason: `import of ${basename(plan.path)}`, requestId: null };
}

/**
 * Loads planned files in one transaction: all of them, or nothing. Every row becomes the API's
 * write input and is validated by validateWrite with the API's rules, inside the transaction, so a
 * reference to a record created earlier in the import is found. A row whose id is new is created
 * with that id; one whose stored content equals the file's is left alone; one that differs is
 * updated at its current version. Every write goes through EditingService (revision and audit
 * entry). Problems do not stop the reading: every row is checked, and if any has a problem the
 * transaction is rolled back and ImportRefusedError lists them.
 */
export async function runImport(dataSource: DataSource, plans: readonly FilePlan[], options: ImportOptions): Promise<ImportSummary> {
  const started = process.hrtime.bigint();
  const [{ regions }] = await dataSource.query<{ regions: number }[]>('SELECT count(*)::int AS regions FROM region');
  // Incidents refer to regions; a database prepared only by the command line may not have them yet.
  if (regions === 0) await RegionsService.sync(dataSource);
  const editing = new EditingService(dataSource, new AuditService(dataSource));
  const importer = new Importer(editing, options);
  const files = await editing.transaction(async (manager) => {
    // Each incident's search documents once, after every file, rather than after each statement
    // that touches it (twice per new incident: its chunk of incidents, then of citations).
    await manager.query(DEFER_SEARCH_DOCUMENTS_SQL);
    const summaries: FileSummary[] = [];
    for (const plan of plans) summaries.push(await importer.loadFile(manager, plan));
    // The planner's statistics still describe the tables before the import (empty, in a new
    // database): the check below would join 100,000 incidents to citations row by row.
    if (summaries.reduce((n, f) => n + f.created, 0) >= ANALYZE_AFTER) {
      const tables = new Set(['citation', ...plans.map((p) => manager.connection.getMetadata(p.format.entity).tableName)]);
      await manager.query(`ANALYZE ${[...tables].join(', ')}`);
    }
    // Checked once every file is in: a file of citations may bring an incident's first source.
    await importer.checkPublication(manager);
    if (importer.problems.total) throw importer.problems.refuse();
    // The documents of every incident the import touched, in one statement per clearance (COMMIT
    // would do it otherwise: done here, it is part of what the import's time measures).
    await manager.query(REFRESH_DEFERRED_SEARCH_DOCUMENTS_SQL);
    return summaries;
  });
  const sum = (key: 'rows' | 'created' | 'updated' | 'unchanged') => files.reduce((n, f) => n + f[key], 0);
  return {
    files,
    rows: sum('rows'),
    created: sum('created'),
    updated: sum('updated'),
    unchanged: sum('unchanged'),
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

/** planImport then runImport. */
export async function importCsvFiles(dataSource: DataSource, paths: readonly string[], options: ImportOptions): Promise<ImportSummary> {
  return runImport(dataSource, await planImport(paths, options.maxListed), options);
}

interface Row extends RowValues {
  line: number;
  /** The row's cells do not match the header: reported, not validated. */
  unreadable?: boolean;
}

class Importer {
  readonly problems: Problems;
  private readonly progress: ImportProgress;
  /** Ids seen so far, by kind and file, with their line, so that an id given twice is reported.
   * A line number per id rather than a text: an import of 300,000 rows keeps every id. */
  private readonly seen = new Map<ImportKind, Map<string, Map<string, number>>>();
  /** Where each record written so far came from (file -> id -> line), for problems found once
   * every file is in. */
  private readonly writtenAt = new Map<string, Map<string, number>>();
  /** Referenced ids found to exist by the chunks done so far (validateWrite's knownToExist): a
   * chunk's attempt adds to a layer over it, kept only when the attempt is (a rolled-back chunk's
   * records are gone). */
  private knownToExist = new Map<Function, Set<string>>();
  /** New records staged for the set-based write, per record type (BulkCreations). */
  private readonly bulk = new Map<Function, BulkCreations>();

  constructor(
    private readonly editing: EditingService,
    private readonly options: ImportOptions,
  ) {
    this.problems = new Problems(options.maxListed ?? DEFAULT_LISTED);
    this.progress = options.progress ?? NO_PROGRESS;
  }

  async loadFile(manager: EntityManager, plan: FilePlan): Promise<FileSummary> {
    const summary: FileSummary = { file: plan.path, kind: plan.format.kind, rows: 0, created: 0, updated: 0, unchanged: 0, newIds: [] };
    const columns = this.headerColumns(manager, plan);
    const problemColumns = new ProblemColumns(plan.format);
    const ctx = contextFor(this.options, plan);
    this.progress.start(plan.path, plan.bytes);
    let chunk: CsvRecord[] = [];
    let header = true;
    // A chunk checked and staged, not written yet: it is written while the next one is checked.
    let pending: CheckedChunk | null = null;
    const advance = async (records: CsvRecord[] | null) => {
      const next = records ? await this.prepareChunk(manager, plan, columns, problemColumns, records, ctx) : null;
      pending = await this.writeAndCheck(manager, pending, next, summary);
    };
    try {
      for await (const record of readCsv(plan.path)) {
        if (header) {
          header = false;
          continue;
        }
        chunk.push(record);
        summary.rows++;
        if (chunk.length === CHUNK) {
          await advance(chunk);
          this.progress.update(record.bytes, summary.rows);
          chunk = [];
        }
      }
      if (chunk.length) await advance(chunk);
      await advance(null);
      this.progress.update(plan.bytes, summary.rows);
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      // The rows before the break are still checked, so that the report is complete up to it.
      if (chunk.length) await advance(chunk);
      await advance(null);
      this.problems.add({ file: plan.path, line: error.line, column: null, message: `${error.message}: the rest of the file was not read` });
    } finally {
      this.progress.stop();
    }
    return summary;
  }

  /** Notes where a record came from, for the publication rule's problems: only incidents and
   * responses are named by it. */
  private noteWritten(plan: FilePlan, row: Row): void {
    if (plan.format.kind !== 'incidents' && plan.format.kind !== 'responses') return;
    const lines = this.writtenAt.get(plan.path) ?? this.writtenAt.set(plan.path, new Map()).get(plan.path)!;
    lines.set(row.id!, row.line);
  }

  /** A PUBLIC incident or response must cite a source the public can see (src/sources/publication-rule.ts):
   * each one the import leaves without is a problem of the row that wrote it. */
  async checkPublication(manager: EntityManager): Promise<void> {
    for (const record of await unsourcedPublicRecords(manager)) {
      const at = [...this.writtenAt].map(([file, lines]) => ({ file, line: lines.get(record.id) })).find((w) => w.line !== undefined);
      this.problems.add({ file: at?.file ?? 'import', line: at?.line ?? null, column: null, message: unsourcedMessage(record) });
    }
  }

  /** The header's columns with their roles; an empty cell leaves a field out (rather than
   * nulling it) for references the export may hide, and for columns that cannot be null and have
   * a default (the record's metadata says which). */
  private headerColumns(manager: EntityManager, plan: FilePlan): HeaderColumn[] {
    const roles = columnRoles(plan.format);
    const metadata = manager.connection.getMetadata(plan.format.entity);
    return plan.header.map((name) => {
      const { column, role } = roles.get(name)!;
      let emptyLeavesOut = false;
      if (role.role === 'field') {
        const stored = metadata.findColumnWithPropertyPath(role.path.join('.'));
        emptyLeavesOut = plan.format.keptWhenEmpty.includes(name) || Boolean(stored && !stored.isNullable && stored.default !== undefined);
      }
      return { name, column, role, emptyLeavesOut };
    });
  }

  /** Adds a row's problems, in the order of the file's columns (the row's own first). */
  private report(plan: FilePlan, line: number, problems: CellProblem[]): void {
    const position = (p: CellProblem) => (p.column === null ? -1 : plan.header.indexOf(p.column) === -1 ? plan.header.length : plan.header.indexOf(p.column));
    const sorted = problems.map((p, k) => ({ p, k })).sort((a, b) => position(a.p) - position(b.p) || a.k - b.k);
    for (const { p } of sorted) this.problems.add({ file: plan.path, line, column: p.column, message: p.message });
  }

  /**
   * Writes `previous` (checked and staged) while checking `next`: the next chunk's validation is
   * Node's work, the previous chunk's statement PostgreSQL's, and the two overlap. The next chunk's
   * lookups ran before the previous chunk's writes were sent; that is sound because a chunk never
   * refers to records of its own file (references go to earlier files, written by then, or to
   * stored records), and a reference it did not find is asked again after those writes (one
   * connection runs its queries in order). Should the database refuse the previous chunk, the next
   * one's check is thrown away and done again after it. Returns the next chunk, checked.
   */
  private async writeAndCheck(manager: EntityManager, previous: CheckedChunk | null, next: PreparedChunk | null, summary: FileSummary): Promise<CheckedChunk | null> {
    if (!previous) return next ? this.checkChunk(manager, next) : null;
    const [written, checked] = await Promise.allSettled([this.writeChunk(manager, previous), next ? this.checkChunk(manager, next) : Promise.resolve(null)]);
    if (written.status === 'rejected') throw written.reason;
    if (!written.value) {
      // The database refused a row that passed validation (a rule only it holds): the chunk is
      // done again, each row under a savepoint of its own and through EditingService, so that the
      // refused row is named and the others still go on.
      this.finishChunk(previous.prepared, await this.carefulChunk(manager, previous.prepared), summary);
      return next ? this.checkChunk(manager, next) : null;
    }
    this.finishChunk(previous.prepared, previous.result, summary);
    if (checked.status === 'rejected') throw checked.reason;
    return checked.value;
  }

  /** A chunk's rows read, and what they need looked up: the records they would change, the
   * records they refer to (one query per table). */
  private async prepareChunk(
    manager: EntityManager,
    plan: FilePlan,
    columns: HeaderColumn[],
    problemColumns: ProblemColumns,
    records: CsvRecord[],
    ctx: WriteContext,
  ): Promise<PreparedChunk> {
    const { format } = plan;
    const byFile = this.seen.get(format.kind) ?? this.seen.set(format.kind, new Map()).get(format.kind)!;
    const seen = byFile.get(plan.path) ?? byFile.set(plan.path, new Map()).get(plan.path)!;
    const rows: Row[] = [];
    for (const record of records) {
      if (record.cells.length !== columns.length) {
        const problem = { column: null, message: `has ${record.cells.length} cells where the header has ${columns.length}` };
        rows.push({ line: record.line, id: null, input: {}, empty: new Set(), problems: [problem], unreadable: true });
        continue;
      }
      const row: Row = { line: record.line, ...rowValues(columns, record.cells) };
      if (row.id) {
        const first = [...byFile].map(([file, lines]) => ({ file, line: lines.get(row.id!) })).find((f) => f.line !== undefined);
        if (first) row.problems.push({ column: 'id', message: `is given twice: also on ${first.file}:${first.line}` });
        else seen.set(row.id, row.line);
      }
      rows.push(row);
    }
    const ids = rows.filter((r) => r.id && !r.unreadable).map((r) => r.id!);
    const existing = new Map(
      (ids.length ? await manager.find(format.entity, { where: { id: In(ids) }, withDeleted: true }) : []).map((r) => [r.id, r]),
    );
    const links = format.kind === 'responses' ? await this.responseLinks(manager, rows, existing) : null;
    // The records the chunk refers to, found in one query per table: validateWrite then asks again
    // only about references it did not find (bad rows).
    const readable = rows.filter((r) => !r.unreadable);
    await prefetchReferences(format.input, readable.map((r) => r.input), manager, { deletedReferences: true, knownToExist: this.knownToExist });
    // New records of a chunk are written together (BulkCreations), except responses, whose links
    // are records of their own: those go one by one through EditingService.
    const bulk = format.kind === 'responses' ? null : (this.bulk.get(format.entity) ?? this.bulk.set(format.entity, new BulkCreations(manager, format.entity)).get(format.entity)!);
    await bulk?.prepare();
    return { plan, problemColumns, ctx, rows, existing, links, bulk };
  }

  /** Validates every row of a chunk and stages its writes: new records in the chunk's bulk
   * creation, other writes as functions to run (writeChunk). Writes nothing. */
  private async checkChunk(manager: EntityManager, chunk: PreparedChunk): Promise<CheckedChunk> {
    const result: ChunkResult = { problems: [], created: 0, updated: 0, unchanged: 0, newIds: [] };
    // What this check finds is kept only once its writes are (they may be rolled back).
    const known = new Map([...this.knownToExist].map(([entity, ids]) => [entity, new LayeredSet(ids)]));
    const writes: (() => Promise<void>)[] = [];
    chunk.bulk?.clear();
    for (const [k, row] of chunk.rows.entries()) {
      await this.loadRow(manager, chunk.plan, chunk.problemColumns, row, chunk.existing.get(row.id ?? ''), chunk.links, result, chunk.ctx, false, known, chunk.bulk, writes);
      // A row's check awaits only promises that are already settled (no query: its references
      // were looked up with the chunk's), so without this the whole chunk would run before the
      // event loop turned again, and the previous chunk's writes, which go on beside this check,
      // would wait for it at each of their round trips (SAVEPOINT, COPY, the statement).
      if (k % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { prepared: chunk, result, known, writes, staged: chunk.bulk?.take() ?? null };
  }

  /** Runs a checked chunk's writes under one savepoint (its new records in one statement). False
   * when the database refused one: the savepoint is rolled back. */
  private async writeChunk(manager: EntityManager, chunk: CheckedChunk): Promise<boolean> {
    await manager.query('SAVEPOINT vigil_import_chunk');
    try {
      for (const write of chunk.writes) await write();
      if (chunk.staged) await chunk.prepared.bulk!.flush(chunk.staged, chunk.prepared.ctx);
      await manager.query('RELEASE SAVEPOINT vigil_import_chunk');
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT vigil_import_chunk');
      await manager.query('RELEASE SAVEPOINT vigil_import_chunk');
      return false;
    }
    this.keepKnown(chunk.known);
    return true;
  }

  /** A chunk row by row, each write under a savepoint of its own, so that a refused row is named. */
  private async carefulChunk(manager: EntityManager, chunk: PreparedChunk): Promise<ChunkResult> {
    const result: ChunkResult = { problems: [], created: 0, updated: 0, unchanged: 0, newIds: [] };
    const known = new Map([...this.knownToExist].map(([entity, ids]) => [entity, new LayeredSet(ids)]));
    for (const row of chunk.rows) {
      await this.loadRow(manager, chunk.plan, chunk.problemColumns, row, chunk.existing.get(row.id ?? ''), chunk.links, result, chunk.ctx, true, known, null, null);
    }
    this.keepKnown(known);
    return result;
  }

  private keepKnown(known: Map<Function, Set<string>>): void {
    for (const [entity, ids] of known) {
      const base = this.knownToExist.get(entity) ?? this.knownToExist.set(entity, new Set()).get(entity)!;
      for (const id of ids instanceof LayeredSet ? ids.own() : ids) base.add(id);
    }
  }

  private finishChunk(chunk: PreparedChunk, result: ChunkResult, summary: FileSummary): void {
    for (const { line, problems } of result.problems) this.report(chunk.plan, line, problems);
    summary.created += result.created;
    summary.updated += result.updated;
    summary.unchanged += result.unchanged;
    summary.newIds.push(...result.newIds);
  }

  /** For responses: the links the existing ones have, and organizer names resolved to ids. */
  private async responseLinks(manager: EntityManager, rows: Row[], existing: Map<string, VigilRecord>): Promise<ResponseLinks> {
    const ids = [...existing.keys()];
    const links: ResponseLinks = {
      incidents: new Map(),
      situations: new Map(),
      organizations: new Map(),
      removed: { incidents: new Map(), situations: new Map(), organizations: new Map() },
    };
    const group = (map: Map<string, Set<string>>, key: string, value: string) => (map.get(key) ?? map.set(key, new Set()).get(key)!).add(value);
    if (ids.length) {
      for (const [kind, table, column] of [
        ['incidents', 'response_incident', 'incident_id'],
        ['situations', 'response_situation', 'situation_id'],
        ['organizations', 'response_organizer', 'organization_id'],
      ] as const) {
        const removed: { response_id: string; target: string; at: Date }[] = await manager.query(
          `SELECT response_id, ${column} AS target, max(deleted_at) AS at FROM ${table} l WHERE response_id = ANY($1::uuid[]) AND deleted_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM ${table} live WHERE live.response_id = l.response_id AND live.${column} = l.${column} AND live.deleted_at IS NULL)
           GROUP BY response_id, ${column}`,
          [ids],
        );
        for (const r of removed) {
          const byTarget = links.removed[kind].get(r.response_id) ?? links.removed[kind].set(r.response_id, new Map()).get(r.response_id)!;
          byTarget.set(r.target, r.at);
        }
      }
      const incidents: { response_id: string; incident_id: string }[] = await manager.query(
        'SELECT response_id, incident_id FROM response_incident WHERE response_id = ANY($1::uuid[]) AND deleted_at IS NULL',
        [ids],
      );
      for (const l of incidents) group(links.incidents, l.response_id, l.incident_id);
      const situations: { response_id: string; situation_id: string }[] = await manager.query(
        'SELECT response_id, situation_id FROM response_situation WHERE response_id = ANY($1::uuid[]) AND deleted_at IS NULL',
        [ids],
      );
      for (const l of situations) group(links.situations, l.response_id, l.situation_id);
      const organizers: { response_id: string; organization_id: string }[] = await manager.query(
        'SELECT response_id, organization_id FROM response_organizer WHERE response_id = ANY($1::uuid[]) AND deleted_at IS NULL',
        [ids],
      );
      for (const l of organizers) group(links.organizations, l.response_id, l.organization_id);
    }
    const names = [...new Set(rows.flatMap((r) => r.organizerNames ?? []))];
    const byName = new Map<string, string[]>();
    if (names.length) {
      const found: { id: string; name: string }[] = await manager.query(
        'SELECT id, name FROM organization WHERE name = ANY($1::text[]) AND deleted_at IS NULL ORDER BY id',
        [names],
      );
      for (const o of found) byName.set(o.name, [...(byName.get(o.name) ?? []), o.id]);
    }
    for (const row of rows) {
      if (!row.organizerNames?.length) continue;
      const linked = links.organizations.get(row.id ?? '') ?? new Set<string>();
      const chosen: string[] = [];
      row.organizerNames.forEach((name, k) => {
        const candidates = byName.get(name) ?? [];
        const id = candidates.find((c) => linked.has(c)) ?? (candidates.length === 1 ? candidates[0] : null);
        if (id) chosen.push(id);
        else {
          row.problems.push({
            column: 'organizer_names',
            message: candidates.length
              ? `item ${k + 1}: ${candidates.length} organizations have this name; link the right one through the API (linkResponse)`
              : `item ${k + 1}: no organization has this name (organizations are not imported: create it first)`,
          });
        }
      });
      if (chosen.length === row.organizerNames.length) row.input.organizers = chosen.map((organizationId) => ({ organizationId }));
    }
    return links;
  }

  /** Validates a row as the API would, then creates, updates or leaves alone its record. */
  private async loadRow(
    manager: EntityManager,
    plan: FilePlan,
    problemColumns: ProblemColumns,
    row: Row,
    existing: VigilRecord | undefined,
    links: ResponseLinks | null,
    result: ChunkResult,
    ctx: WriteContext,
    careful: boolean,
    knownToExist: Map<Function, Set<string>>,
    bulk: BulkCreations | null,
    /** Where a row's writes go when not careful: run later, by writeChunk. */
    deferred: (() => Promise<void>)[] | null,
  ): Promise<void> {
    const { format } = plan;
    const problems = [...row.problems];
    let input: object | null = null;
    if (!row.unreadable) {
      try {
        input = await validateWrite(format.input, row.input, '', manager, { deletedReferences: true, knownToExist });
      } catch (error) {
        if (!(error instanceof UserInputError)) throw error;
        // A cell already reported as not of its column's form gets no second message from the API's
        // rules: "two" is one problem, not three.
        const reported = new Set(row.problems.map((p) => p.column));
        problems.push(...inputProblems(problemColumns, error).filter((p) => !reported.has(p.column)));
      }
    }
    if (problems.length || !input || !row.id) {
      result.problems.push({ line: row.line, problems: collapseEmpty(problems, row.empty) });
      return;
    }
    if (!existing && bulk?.add(creationValues(format, row.id, input, row), ctx, row.line)) {
      result.created++;
      this.noteWritten(plan, row);
      if (row.newId) result.newIds.push({ line: row.line, id: row.id });
      return;
    }
    const write = existing ? this.changes(manager, format, problemColumns, existing, input, row, links, ctx) : this.creation(manager, format, row.id, input, row, ctx);
    if ('problems' in write) {
      result.problems.push({ line: row.line, problems: write.problems });
      return;
    }
    if (!write.run) {
      result.unchanged++;
      return;
    }
    if (!careful) {
      deferred!.push(write.run);
    } else {
      try {
        await this.inSavepoint(manager, write.run);
      } catch (error) {
        const refusal = translateDatabaseError(error);
        if (refusal instanceof UserInputError) result.problems.push({ line: row.line, problems: inputProblems(problemColumns, refusal) });
        else if (refusal instanceof ConflictError || refusal instanceof NotFoundError) result.problems.push({ line: row.line, problems: [{ column: null, message: refusal.message }] });
        else throw refusal;
        return;
      }
    }
    result[write.outcome]++;
    this.noteWritten(plan, row);
    if (write.outcome === 'created' && row.newId) result.newIds.push({ line: row.line, id: row.id! });
  }

  private async inSavepoint(manager: EntityManager, work: () => Promise<void>): Promise<void> {
    await manager.query('SAVEPOINT vigil_import_row');
    try {
      await work();
      await manager.query('RELEASE SAVEPOINT vigil_import_row');
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT vigil_import_row');
      await manager.query('RELEASE SAVEPOINT vigil_import_row');
      throw error;
    }
  }

  /** A new record with the file's id, and its created_at, updated_at and deleted_at when the file
   * gives them (so that an export of the imported record shows the same times), then its links. */
  private creation(manager: EntityManager, format: ImportFormat, id: string, input: object, row: Row, ctx: WriteContext): Write {
    return {
      outcome: 'created',
      run: async () => {
        await this.editing.create(manager, format.entity, creationValues(format, id, input, row), ctx);
        await this.addLinks(manager, format, id, missingLinks(format, id, input, null), ctx);
      },
    };
  }

  /** What it takes to bring an existing record to what the file says: its content (when it
   * differs), whether it is deleted (when the file has deleted_at), the links it lacks. Nothing to
   * do: no `run`. Times are the database's: an update is a change made now. A row that would
   * write must say which version it was based on (updated_at) and not be older than the stored
   * record: otherwise it would undo changes made since (a raised confidentiality, a deletion). */
  private changes(
    manager: EntityManager,
    format: ImportFormat,
    problemColumns: ProblemColumns,
    existing: VigilRecord,
    input: object,
    row: Row,
    links: ResponseLinks | null,
    ctx: WriteContext,
  ): Write | { problems: CellProblem[] } {
    const values = valuesOf(input, [...format.links]);
    const metadata = manager.connection.getMetadata(format.entity);
    const before = stateOf(metadata, existing);
    const changed = Object.keys(diff(before, applied(metadata, before, values)));
    const deletion = row.deletedAt !== undefined && Boolean(row.deletedAt) !== Boolean(existing.deletedAt);
    const lacking = missingLinks(format, existing.id, input, links);
    // A row that asks for nothing is fine however old its file: nothing is written.
    if (!changed.length && !deletion && !lacking.incidentIds.length && !lacking.situationIds.length && !lacking.organizationIds.length) {
      return { outcome: 'unchanged' };
    }
    const problems: CellProblem[] = [];
    const stale = staleness(existing, row);
    if (stale) problems.push(stale);
    problems.push(...removedLinks(problemColumns, existing.id, lacking, links));
    const fixed = [...new Set(changed.map((path) => path.split('.')[0]).filter((p) => format.fixed.includes(p)))];
    problems.push(...fixed.map((p) => problemColumns.problem(p, 'differs from the stored record and cannot change: delete the record and create a new one')));
    if (problems.length) return { problems };
    return {
      outcome: 'updated',
      run: async () => {
        let current = existing;
        if (changed.length) current = await this.editing.update(manager, format.entity, existing.id, existing.version, values, ctx);
        if (deletion) {
          current = row.deletedAt
            ? await this.editing.softDelete(manager, format.entity, current.id, current.version, ctx)
            : await this.editing.restore(manager, format.entity, current.id, current.version, ctx);
        }
        await this.addLinks(manager, format, existing.id, lacking, ctx);
      },
    };
  }

  private async addLinks(manager: EntityManager, format: ImportFormat, responseId: string, lacking: Lacking, ctx: WriteContext): Promise<void> {
    if (format.kind !== 'responses') return;
    for (const incidentId of lacking.incidentIds) await this.editing.create(manager, ResponseIncident, { responseId, incidentId }, ctx);
    for (const situationId of lacking.situationIds) await this.editing.create(manager, ResponseSituation, { responseId, situationId }, ctx);
    for (const organizationId of lacking.organizationIds) {
      await this.editing.create(manager, ResponseOrganizer, { responseId, organizationId, role: OrganizerRole.ORGANIZER }, ctx);
    }
  }
}

/** The values a new record is created with: the input's, and its id and times from the file. */
function creationValues(format: ImportFormat, id: string, input: object, row: Row): Record<string, unknown> {
  const times: Record<string, Date> = {};
  if (row.createdAt) times.createdAt = row.createdAt;
  if (row.updatedAt) times.updatedAt = row.updatedAt;
  if (row.deletedAt) times.deletedAt = row.deletedAt;
  return { ...valuesOf(input, [...format.links]), ...times, id };
}

/** A set over another: what is added stays here (own()) until kept; lookups see both. A chunk's
 * attempt works on one, so that the ids the import has found so far are not copied per chunk. */
class LayeredSet extends Set<string> {
  constructor(private readonly base: Set<string>) {
    super();
  }

  override has(value: string): boolean {
    return super.has(value) || this.base.has(value);
  }

  own(): IterableIterator<string> {
    return super.values();
  }
}

type Outcome = 'created' | 'updated' | 'unchanged';

/** A row's writes, to run (none when the record is unchanged). */
type Write = { outcome: Outcome; run?: () => Promise<void> };

/** A chunk's rows and what was looked up for them (Importer.prepareChunk). */
interface PreparedChunk {
  plan: FilePlan;
  problemColumns: ProblemColumns;
  ctx: WriteContext;
  rows: Row[];
  existing: Map<string, VigilRecord>;
  links: ResponseLinks | null;
  bulk: BulkCreations | null;
}

/** A chunk validated, its writes staged (Importer.checkChunk). */
interface CheckedChunk {
  prepared: PreparedChunk;
  result: ChunkResult;
  /** Referenced ids found while checking, kept once the writes are. */
  known: Map<Function, Set<string>>;
  writes: (() => Promise<void>)[];
  /** The new records' staged rows (BulkCreations.take). */
  staged: Cell[][] | null;
}

interface ChunkResult extends Record<Outcome, number> {
  problems: { line: number; problems: CellProblem[] }[];
  newIds: { line: number; id: string }[];
}

interface Lacking {
  incidentIds: string[];
  situationIds: string[];
  organizationIds: string[];
}

/** Links a row would add that were removed from the response (unlinkResponse) and not made again.
 * The row's updated_at cannot tell whether its file is from before the removal (a link is a record
 * of its own: removing it leaves the response's time alone, so that nobody learns of a hidden
 * link's change), so an import never links them again: that is the API's to do. */
function removedLinks(problemColumns: ProblemColumns, responseId: string, lacking: Lacking, links: ResponseLinks | null): CellProblem[] {
  if (!links) return [];
  const problems: CellProblem[] = [];
  for (const [kind, ids, path] of [
    ['incidents', lacking.incidentIds, 'incidentIds'],
    ['situations', lacking.situationIds, 'situationIds'],
    ['organizations', lacking.organizationIds, 'organizers'],
  ] as const) {
    const removed = links.removed[kind].get(responseId);
    for (const id of ids) {
      const at = removed?.get(id);
      if (at) {
        problems.push(
          problemColumns.problem(
            path,
            `${id} was unlinked from this response at ${at.toISOString()}, and an import does not link it again (its file may be older): link it through the API (linkResponse) if that is wanted`,
          ),
        );
      }
    }
  }
  return problems;
}

/** The links of a response's input that it does not have yet. Links are only ever added: an
 * export lists only the links its viewer may see, so a link missing from a file is no reason to
 * remove one. */
function missingLinks(format: ImportFormat, responseId: string, input: object, links: ResponseLinks | null): Lacking {
  if (format.kind !== 'responses') return { incidentIds: [], situationIds: [], organizationIds: [] };
  const { incidentIds, situationIds, organizers } = input as { incidentIds?: string[]; situationIds?: string[]; organizers?: { organizationId: string }[] };
  const incidents = links?.incidents.get(responseId) ?? new Set<string>();
  const situations = links?.situations.get(responseId) ?? new Set<string>();
  const organizations = links?.organizations.get(responseId) ?? new Set<string>();
  const lacking = (given: string[] | undefined, has: Set<string>) => [...new Set((given ?? []).map((i) => i.toLowerCase()))].filter((i) => !has.has(i));
  return {
    incidentIds: lacking(incidentIds, incidents),
    situationIds: lacking(situationIds, situations),
    organizationIds: lacking(organizers?.map((o) => o.organizationId), organizations),
  };
}

/** Why a row may not change its stored record: the row does not say which version it was based on
 * (no updated_at column, or an empty cell), or the stored record changed after that version (its
 * updated_at is later: exports write it to the millisecond, as it is read here). Writing the row
 * would undo what changed since (a raised confidentiality, a deletion): a lost update. */
function staleness(existing: VigilRecord, row: Row): CellProblem | null {
  if (!row.updatedAt) {
    return {
      column: 'updated_at',
      message: 'is required to change a stored record: the time of the export the row comes from, so that no change made since is undone; export again',
    };
  }
  if (existing.updatedAt.getTime() > row.updatedAt.getTime()) {
    return {
      column: 'updated_at',
      message: `the stored record changed after this file was exported (stored version ${existing.version} of ${existing.updatedAt.toISOString()}); export again`,
    };
  }
  return null;
}

/**
 * Writes a copy of an imported file with the ids its new records were given, beside it
 * (`incidents.csv` -> `incidents.with-ids.csv`): an `id` column first (or the empty id cells
 * filled), every other cell as it was. Imported again, the copy changes nothing.
 */
export async function writeIds(file: FileSummary): Promise<string> {
  const byLine = new Map(file.newIds.map((n) => [n.line, n.id]));
  const target = join(dirname(file.file), `${basename(file.file, extname(file.file))}.with-ids${extname(file.file) || '.csv'}`);
  // Empty unquoted cells are null (NULL) and quoted empty ones "" (the empty text): kept apart.
  const out = stringify({ quoted_match: /^$/, cast: { string: (value) => value } });
  const done = pipeline(out, createWriteStream(target));
  let idColumn = -1;
  for await (const { line, cells } of readCsv(file.file)) {
    if (line === 1) {
      idColumn = cells.indexOf('id');
      out.write(idColumn === -1 ? ['id', ...cells] : cells);
      continue;
    }
    const id = byLine.get(line) ?? null;
    if (idColumn === -1) out.write([id, ...cells]);
    else out.write(cells.map((cell, k) => (k === idColumn && id ? id : cell)));
  }
  out.end();
  await done;
  return target;
}

/** A database refusal of a row (or a write that found the record changed under it): the chunk is
 * done again row by row to name it. Anything else is a fault, and ends the import. */
function isRefusal(error: unknown): boolean {
  return error instanceof QueryFailedError || error instanceof ConflictError || error instanceof NotFoundError;
}

/** UserInputError problems by column (database refusals name `input.<property>`, or `input`). */
function inputProblems(problemColumns: ProblemColumns, error: UserInputError): CellProblem[] {
  const found = (error.extensions.problems as InputProblem[] | undefined) ?? [{ path: '', message: error.message }];
  return found.map((p) => (p.path === 'input' ? { column: null, message: p.message } : problemColumns.problem(p.path.replace(/^input\./, ''), p.message)));
}

/** A column whose cell is empty and breaks a rule is simply required: one message, not the
 * rule's several ("must be a string", "must be longer than..."). A choice between columns ("give
 * exactly one of ...") keeps its message. */
function collapseEmpty(problems: CellProblem[], empty: Set<string>): CellProblem[] {
  const out: CellProblem[] = [];
  const required = new Set<string>();
  for (const p of problems) {
    if (p.column && empty.has(p.column) && !p.message.startsWith('item ') && !p.message.startsWith('give ')) {
      if (!required.has(p.column)) out.push({ column: p.column, message: 'is required' });
      required.add(p.column);
    } else {
      out.push(p);
    }
  }
  return out;
}
