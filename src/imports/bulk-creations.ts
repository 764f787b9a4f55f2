import { EntityManager } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { PoolClient } from 'pg';
import { AccessLevel } from '../access/access-level';
import { STAMP_PROPERTIES } from '../access/change-stamps';
import { levelOnCreation } from '../access/creation-level';
import { leastClearanceSql } from '../access/record-visibility';
import { highestSensitivity } from '../access/sensitive.decorator';
import { VigilRecord } from '../common/vigil-record';
import { WriteContext } from '../editing/editing.service';
import { recordTypeOf } from '../editing/record-type';
import { Cell, copyRows } from '../generate/copy';
import { noteWrite } from '../sources/publication-rule';

/**
 * The import's new records, written set-based: validated rows are staged (COPY into a temporary
 * table), then one `INSERT ... SELECT` each writes the records, their revisions and their audit
 * entries. What is written is what EditingService.create writes for each record, one by one:
 * - the record, its level decided by levelOnCreation (the same rule), its change stamps by the
 *   table's trigger, its defaults by the table's own defaults;
 * - a CREATE revision whose state, changed fields and changes are stateOf and diff({}, state) of
 *   the stored row, and whose seenAfter is leastClearanceSql of it;
 * - a CREATE audit entry naming the fields set, at the highest of the record's level and theirs;
 * - a note for the publication rule (checked once every file is in).
 * test/import.e2e-spec.ts compares each revision and audit entry with what the editing service
 * computes from the stored record.
 */

/** A stored column's value as the revision's state holds it (plain(): dates as ISO 8601 text). */
function stateValueSql(column: ColumnMetadata, alias: string): string {
  const c = `${alias}."${column.databaseName}"`;
  if (column.type === 'timestamptz' || column.type === 'timestamp with time zone') {
    return `to_jsonb(to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
  }
  return `to_jsonb(${c})`;
}

/** A value as COPY's text format takes it (src/generate/copy.ts). */
function cellOf(column: ColumnMetadata, value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (column.type === 'jsonb' || column.type === 'json') return JSON.stringify(value);
  throw new Error(`${column.entityMetadata.name}.${column.propertyPath}: no COPY form for this value`);
}

/** The staged new records of one record type, written together by flush(). */
export class BulkCreations {
  private readonly metadata: EntityMetadata;
  /** The columns staged: every written column but generated ones and change stamps (the trigger's). */
  private readonly columns: ColumnMetadata[];
  /** Columns that cannot be null and have a default: a staged null means "left out". */
  private readonly defaulted = new Set<ColumnMetadata>();
  private readonly stage: string;
  private readonly rows: Cell[][] = [];
  private sql: { insert: string; revisions: string; audit: string } | null = null;

  constructor(
    private readonly manager: EntityManager,
    private readonly entity: new () => VigilRecord,
  ) {
    this.metadata = manager.connection.getMetadata(entity);
    this.columns = this.metadata.columns.filter((c) => !c.generatedType && !c.isVirtual && !STAMP_PROPERTIES.has(c.propertyPath));
    for (const c of this.columns) if (!c.isNullable && (c.default !== undefined || c.isCreateDate || c.isUpdateDate || c.isVersion || c.isPrimary)) this.defaulted.add(c);
    this.stage = `vigil_import_${this.metadata.tableName}`;
  }

  /** Forgets what was staged (a chunk done again). */
  clear(): void {
    this.rows.length = 0;
  }

  get size(): number {
    return this.rows.length;
  }

  /**
   * Stages a new record with `values` (as EditingService.create takes them: the file's times and
   * id included), at the level levelOnCreation gives. False when the row cannot be staged (it sets
   * a column that cannot be null to null: the database's refusal is the per-row path's to name).
   */
  add(values: Record<string, unknown>, ctx: WriteContext, line: number): boolean {
    const confidentiality = levelOnCreation(this.entity, values, ctx.within);
    const record = this.manager.create(this.entity, { ...values, confidentiality } as never) as VigilRecord;
    const driver = this.manager.connection.driver;
    const cells: Cell[] = [];
    for (const column of this.columns) {
      const value = column.getEntityValue(record);
      if (value === null && this.defaulted.has(column)) return false;
      cells.push(cellOf(column, value === undefined ? null : driver.preparePersistentValue(value, column)));
    }
    cells.push(line);
    this.rows.push(cells);
    noteWrite(this.manager, this.metadata.name, record as VigilRecord & { incidentId?: string | null; responseId?: string | null }, true);
    return true;
  }

  /** Writes the staged records, their revisions and audit entries, and empties the stage. */
  async flush(ctx: WriteContext): Promise<void> {
    if (!this.rows.length) return;
    const sql = (this.sql ??= await this.statements());
    const names = [...this.columns.map((c) => `"${c.databaseName}"`), 'line'];
    // The stage lives until the transaction ends; a rolled-back chunk may have taken it with it.
    await this.manager.query(
      `CREATE TEMP TABLE IF NOT EXISTS ${this.stage} ON COMMIT DROP AS SELECT ${names.slice(0, -1).join(', ')}, 0 AS line FROM ${this.metadata.tableName} WITH NO DATA`,
    );
    await this.manager.query(`TRUNCATE ${this.stage}`);
    const client = (await this.manager.queryRunner!.connect()) as PoolClient;
    await copyRows(client, this.stage, names, this.rows);
    this.rows.length = 0;
    await this.manager.query(sql.insert);
    const actor = ctx.viewer.label ?? (ctx.viewer.accountId ? `account ${ctx.viewer.accountId}` : 'anonymous');
    await this.manager.query(sql.revisions, [ctx.viewer.accountId, actor, ctx.reason ?? null]);
    await this.manager.query(sql.audit, [ctx.viewer.accountId, actor, ctx.viewer.role, ctx.operation, ctx.reason ?? null, ctx.requestId ?? null]);
  }

  private async statements(): Promise<{ insert: string; revisions: string; audit: string }> {
    const { metadata, stage } = this;
    const table = metadata.tableName;
    const defaults: { column_name: string; column_default: string | null }[] = await this.manager.query(
      `SELECT column_name, column_default FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
      [table],
    );
    const defaultOf = new Map(defaults.map((d) => [d.column_name, d.column_default]));
    const selected = this.columns.map((c) => {
      const given = `s."${c.databaseName}"`;
      const fallback = defaultOf.get(c.databaseName);
      return this.defaulted.has(c) && fallback ? `COALESCE(${given}, ${fallback})` : given;
    });
    const insert =
      `INSERT INTO ${table} (${this.columns.map((c) => `"${c.databaseName}"`).join(', ')}) ` +
      `SELECT ${selected.join(', ')} FROM ${stage} s ORDER BY s.line`;

    // stateOf: the record's own columns, ids, timestamps, versions, stamps and generated ones left out.
    const stateColumns = metadata.columns.filter(
      (c) => !(c.isPrimary || c.isCreateDate || c.isUpdateDate || c.isVersion || c.generatedType) && !STAMP_PROPERTIES.has(c.propertyPath),
    );
    const pairs = stateColumns.map((c) => `'${c.propertyPath}', ${stateValueSql(c, 't')}`);
    // jsonb_build_object takes at most 100 arguments: built in parts.
    const parts: string[] = [];
    for (let i = 0; i < pairs.length; i += 40) parts.push(`jsonb_build_object(${pairs.slice(i, i + 40).join(', ')})`);
    const state = parts.join(' || ');
    // diff({}, state): every path whose value is not null, in the order of the columns.
    const changedFields = `array_remove(ARRAY[${stateColumns.map((c) => `CASE WHEN t."${c.databaseName}" IS NOT NULL THEN '${c.propertyPath}' END`).join(', ')}]::text[], NULL)`;
    const changes = `(SELECT jsonb_object_agg(e.key, jsonb_build_object('before', NULL, 'after', e.value)) FROM jsonb_each(st.state) e WHERE e.value <> 'null'::jsonb)`;
    const type = recordTypeOf(this.entity);
    const revisions =
      `INSERT INTO revision (seen_before, seen_after, subject_type, subject_id, version, action, account_id, actor, reason, reverted_to, changed_fields, changes, state) ` +
      `SELECT NULL, (${leastClearanceSql(metadata.name, 't')})::text::confidentiality, '${type}', t.id, t.version, 'CREATE', $1::uuid, $2, $3, NULL, ` +
      `${changedFields}, coalesce(${changes}, '{}'::jsonb), st.state ` +
      `FROM ${stage} s JOIN ${table} t ON t.id = s.id CROSS JOIN LATERAL (SELECT ${state} AS state) st ORDER BY s.line`;

    // The audit entry: the properties set (a date's columns are one property), at the highest of
    // the record's level and their declared sensitivity.
    const properties = [...new Set(stateColumns.map((c) => c.propertyPath.split('.')[0]))];
    const setSql = (property: string) =>
      stateColumns
        .filter((c) => c.propertyPath.split('.')[0] === property)
        .map((c) => `t."${c.databaseName}" IS NOT NULL`)
        .join(' OR ');
    const fields = `array_remove(ARRAY[${properties.map((p) => `CASE WHEN ${setSql(p)} THEN '${metadata.name}.${p}' END`).join(', ')}]::text[], NULL)`;
    const levels = properties
      .map((p) => ({ p, level: highestSensitivity(this.entity, [p]) }))
      .filter(({ level }) => level !== AccessLevel.PUBLIC)
      .map(({ p, level }) => `CASE WHEN ${setSql(p)} THEN '${level}'::confidentiality END`);
    const audit =
      `INSERT INTO audit_event (account_id, actor, role, action, operation, subject_type, subject_id, fields, level, changes, reason, request_id) ` +
      `SELECT $1::uuid, $2, $3::role, 'CREATE', $4, '${metadata.name}', t.id::text, ${fields}, GREATEST(t.confidentiality${levels.map((l) => `, ${l}`).join('')}), NULL, $5, $6 ` +
      `FROM ${stage} s JOIN ${table} t ON t.id = s.id ORDER BY s.line`;
    return { insert, revisions, audit };
  }
}
