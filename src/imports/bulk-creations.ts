import { EntityManager } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { PoolClient } from 'pg';
import { STAMP_PROPERTIES } from '../access/change-stamps';
import { levelOnCreation } from '../access/creation-level';
import { leastClearanceSql } from '../access/record-visibility';
import { VigilRecord } from '../common/vigil-record';
import { actorOf, auditedChange, stateOf, WriteContext } from '../editing/editing.service';
import { recordTypeOf } from '../editing/record-type';
import { Cell, copyRows } from '../generate/copy';
import { noteWrite } from '../sources/publication-rule';

/**
 * The import's new records, written set-based: validated rows are staged (COPY into a temporary
 * table), then one statement writes the records, their revisions and their audit entries
 * (`INSERT ... SELECT`, chained by `RETURNING`). Each holds what EditingService.create writes for
 * one record, computed by the same functions:
 * - the record at the level levelOnCreation gives, its defaults the table's, its change stamps set
 *   by the table's trigger;
 * - a CREATE revision: stateOf the stored values, diff({}, state), and seenAfter by
 *   leastClearanceSql of the row as inserted;
 * - a CREATE audit entry: auditedChange (the fields set, at the highest of their sensitivity and
 *   the record's level);
 * - a note for the publication rule (checked once every file is in).
 * test/import.e2e-spec.ts compares every revision and audit entry with what the editing service
 * computes from the stored record.
 */

/** A value in COPY's text format (src/generate/copy.ts). */
function cellOf(column: ColumnMetadata, value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (column.type === 'jsonb' || column.type === 'json') return JSON.stringify(value);
  throw new Error(`${column.entityMetadata.name}.${column.propertyPath}: no COPY form for this value`);
}

/** A PostgreSQL text[] literal of names (paths such as date.start: no quote or backslash in them). */
const textArray = (items: readonly string[]) => `{${items.map((i) => `"${i}"`).join(',')}}`;

/** Columns of the stage beside the record's own. */
const EXTRA = ['line', 'revision_changed_fields', 'revision_changes', 'revision_state', 'audit_fields', 'audit_level'];

/** The staged new records of one record type, written together by flush(). */
export class BulkCreations {
  private readonly metadata: EntityMetadata;
  /** The columns written: all but generated ones and change stamps (the trigger's). */
  private readonly columns: ColumnMetadata[];
  /** Columns that cannot be null and have a default: left out (undefined), they take it. */
  private readonly defaulted: ColumnMetadata[];
  private readonly stage: string;
  private rows: Cell[][] = [];
  /** The table's defaults as a stored record holds them, for the revision's state (prepare()). */
  private defaults: Map<ColumnMetadata, unknown> | null = null;
  private statement: string | null = null;
  /** The table has a default this path cannot reproduce in the revision's state. */
  private perRow = false;

  constructor(
    private readonly manager: EntityManager,
    private readonly entity: new () => VigilRecord,
  ) {
    this.metadata = manager.connection.getMetadata(entity);
    this.columns = this.metadata.columns.filter((c) => !c.generatedType && !c.isVirtual && !STAMP_PROPERTIES.has(c.propertyPath));
    this.defaulted = this.columns.filter((c) => !c.isNullable && (c.default !== undefined || c.isCreateDate || c.isUpdateDate || c.isVersion || c.isPrimary));
    this.stage = `vigil_import_${this.metadata.tableName}`;
  }

  /** Reads the table's defaults (once): the revision's state holds a left-out column's default as
   * the stored row does. */
  async prepare(): Promise<void> {
    if (this.defaults) return;
    const found: { column_name: string; column_default: string | null }[] = await this.manager.query(
      `SELECT column_name, column_default FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
      [this.metadata.tableName],
    );
    const expressions = new Map(found.map((d) => [d.column_name, d.column_default]));
    const inState = new Set(Object.keys(stateOf(this.metadata, this.metadata.create())));
    const defaults = new Map<ColumnMetadata, unknown>();
    const selected = new Map(this.columns.map((c) => [c, `s."${c.databaseName}"`]));
    for (const column of this.defaulted) {
      const expression = expressions.get(column.databaseName);
      if (!expression) continue;
      selected.set(column, `COALESCE(s."${column.databaseName}", ${expression})`);
      if (!inState.has(column.propertyPath)) continue;
      // A default the state holds must be a constant (a literal and its cast), read once here; a
      // computed one leaves this type's rows to the editing service, one by one.
      if (/\(/.test(expression)) {
        this.perRow = true;
        continue;
      }
      const [row]: { value: unknown }[] = await this.manager.query(`SELECT (${expression}) AS value`);
      defaults.set(column, this.manager.connection.driver.prepareHydratedValue(row.value, column));
    }
    this.defaults = defaults;
    this.statement = this.sql([...selected.values()]);
  }

  /** Forgets what was staged (a chunk done again). */
  clear(): void {
    this.rows = [];
  }

  /** The rows staged so far, for flush(); the stage starts empty again. */
  take(): Cell[][] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  /**
   * Stages a new record with `values` (as EditingService.create takes them: the file's times and
   * id included), at the level levelOnCreation gives. False when the row cannot be staged (it sets
   * a column that cannot be null to null: the database's refusal is the per-row path's to name; or
   * the table has a computed default, see prepare()).
   */
  add(values: Record<string, unknown>, ctx: WriteContext, line: number): boolean {
    if (!this.defaults) throw new Error('BulkCreations.add before prepare()');
    if (this.perRow) return false;
    const confidentiality = levelOnCreation(this.entity, values, ctx.within);
    const given = this.manager.create(this.entity, { ...values, confidentiality } as never) as VigilRecord;
    const driver = this.manager.connection.driver;
    // The record as a read of the stored row gives it, for its revision's state.
    const stored = this.metadata.create() as VigilRecord;
    const cells: Cell[] = [];
    for (const column of this.columns) {
      const value = column.getEntityValue(given);
      if (value === null && this.defaulted.includes(column)) return false;
      const persisted = value === undefined || value === null ? null : driver.preparePersistentValue(value, column);
      cells.push(cellOf(column, persisted));
      const read = persisted === null ? (value === undefined && this.defaults.has(column) ? this.defaults.get(column) : null) : driver.prepareHydratedValue(persisted, column);
      column.setEntityValue(stored, read);
    }
    const state = stateOf(this.metadata, stored);
    // diff({}, state): for a new record, every path that is set.
    const changes: Record<string, { before: null; after: unknown }> = {};
    for (const [path, value] of Object.entries(state)) if (value !== null && value !== undefined) changes[path] = { before: null, after: value };
    const changedFields = Object.keys(changes);
    const audit = auditedChange(this.entity, this.metadata.name, changedFields, confidentiality);
    cells.push(line, textArray(changedFields), JSON.stringify(changes), JSON.stringify(state), textArray(audit.fields), audit.level);
    this.rows.push(cells);
    // "Created" only names a new incident or response in the rule's message: a citation's id is
    // not kept for it (an import may create hundreds of thousands).
    noteWrite(this.manager, this.metadata.name, given as VigilRecord & { incidentId?: string | null; responseId?: string | null }, this.metadata.name !== 'Citation');
    return true;
  }

  /** Writes staged records (take()), their revisions and audit entries. */
  async flush(rows: Cell[][], ctx: WriteContext): Promise<void> {
    if (!rows.length) return;
    const names = [...this.columns.map((c) => `"${c.databaseName}"`), ...EXTRA];
    // The stage lives until the transaction ends; a rolled-back chunk may have taken it with it.
    await this.manager.query(
      `CREATE TEMP TABLE IF NOT EXISTS ${this.stage} ON COMMIT DROP AS SELECT ${names.slice(0, -EXTRA.length).join(', ')}, ` +
        `0 AS line, '{}'::text[] AS revision_changed_fields, NULL::jsonb AS revision_changes, NULL::jsonb AS revision_state, ` +
        `'{}'::text[] AS audit_fields, confidentiality AS audit_level FROM ${this.metadata.tableName} WITH NO DATA`,
    );
    await this.manager.query(`TRUNCATE ${this.stage}`);
    const client = (await this.manager.queryRunner!.connect()) as PoolClient;
    await copyRows(client, this.stage, names, rows);
    await this.manager.query(this.statement!, [ctx.viewer.accountId, actorOf(ctx.viewer), ctx.reason ?? null, ctx.viewer.role, ctx.operation, ctx.requestId ?? null]);
  }

  /** The one statement: the records (a left-out column takes the table's default), then a
   * revision of each as inserted, and an audit entry of each. */
  private sql(selected: string[]): string {
    const { metadata, stage } = this;
    const table = metadata.tableName;
    const columns = this.columns.map((c) => `"${c.databaseName}"`);
    return (
      `WITH inserted AS (INSERT INTO ${table} (${columns.join(', ')}) SELECT ${selected.join(', ')} FROM ${stage} s ORDER BY s.line RETURNING ${columns.join(', ')}), ` +
      `revisions AS (INSERT INTO revision (seen_before, seen_after, subject_type, subject_id, version, action, account_id, actor, reason, reverted_to, changed_fields, changes, state) ` +
      `SELECT NULL, (${leastClearanceSql(metadata.name, 't')})::text::confidentiality, '${recordTypeOf(this.entity)}', t.id, t.version, 'CREATE', $1::uuid, $2, $3, NULL, ` +
      `s.revision_changed_fields, s.revision_changes, s.revision_state FROM inserted t JOIN ${stage} s ON s.id = t.id ORDER BY s.line) ` +
      `INSERT INTO audit_event (account_id, actor, role, action, operation, subject_type, subject_id, fields, level, changes, reason, request_id) ` +
      `SELECT $1::uuid, $2, $4::role, 'CREATE', $5, '${metadata.name}', s.id::text, s.audit_fields, s.audit_level, NULL, $3, $6 FROM ${stage} s ORDER BY s.line`
    );
  }

}
