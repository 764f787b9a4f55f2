import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntityMetadata, QueryFailedError } from 'typeorm';
import { AccessLevel, rank } from '../access/access-level';
import { highestLevel, levelOnCreation } from '../access/creation-level';
import { levelsToStamp, Seen, STAMP_PROPERTIES, stampAssignments } from '../access/change-stamps';
import { dependentsOf, leastClearanceSql, linkedLevelExpressions, linkedLevelsCondition, VISIBILITY_DEPENDENCIES } from '../access/record-visibility';
import { highestSensitivity } from '../access/sensitive.decorator';
import { Viewer } from '../access/viewer';
import { AuditAction } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { ConflictError, NotFoundError, UserInputError } from '../common/errors';
import { VigilContext } from '../common/vigil-context';
import stableStringify from 'safe-stable-stringify';
import { storedTranslations, TranslationInputBase } from '../common/translations';
import { CountInput, countFieldsOf, DateInput, dateFieldsOf } from '../common/write-inputs';
import { UpdateInput } from './dto/write.inputs';
import { VigilRecord } from '../common/vigil-record';
import { insertEntity } from '../database/entity-rows';
import { RECORD_CLASSES, RecordClass, RecordType, recordTypeOf, RemovalReason } from './record-type';
import { Revision, RevisionAction } from './revision.entity';
import { assertSourcedPublicRecords, noteWrite } from '../sources/publication-rule';

export interface Removal {
  type: RecordType;
  id: string;
  at: Date;
  why: RemovalReason;
}

/** Who writes, through which operation, and why. */
export interface WriteContext {
  viewer: Viewer;
  operation: string;
  reason?: string | null;
  requestId?: string | null;
  /** Inside another record's write: the highest level of the records this write is nested in.
   * A new record that sets no level of its own takes at least this one (levelOnCreation). */
  within?: AccessLevel | null;
}

/** The context for records written inside `level`'s record (a new source inside a citation,
 * inside an incident): they take at least that level, and every level around it. */
export function inside(ctx: WriteContext, level: AccessLevel): WriteContext {
  return { ...ctx, within: highestLevel(ctx.within, level) };
}

/** The write context of a GraphQL mutation. */
export function writeContext(ctx: VigilContext, operation: string, reason?: string | null): WriteContext {
  return { viewer: ctx.viewer, requestId: ctx.requestId, operation: `Mutation.${operation}`, reason: reason ?? null };
}

/** Column values of a validated input: dates and counts in their stored form, fields left out
 * left out, and the properties in `exclude` (nested records, the reason) skipped. */
export function valuesOf(input: object, exclude: string[] = []): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || exclude.includes(key) || key === 'reason') continue;
    values[key] =
      value instanceof DateInput
        ? dateFieldsOf(value)
        : value instanceof CountInput
          ? countFieldsOf(value)
          : Array.isArray(value) && value.every((v) => v instanceof TranslationInputBase)
            ? storedTranslations(value)
            : value;
  }
  return values;
}

type State = Record<string, unknown>;
type Changes = Record<string, { before: unknown; after: unknown }>;

const AUDIT_ACTION: Record<RevisionAction, Exclude<AuditAction, AuditAction.READ | AuditAction.EXPORT>> = {
  [RevisionAction.CREATE]: AuditAction.CREATE,
  [RevisionAction.UPDATE]: AuditAction.UPDATE,
  [RevisionAction.REVERT]: AuditAction.UPDATE,
  [RevisionAction.DELETE]: AuditAction.DELETE,
  [RevisionAction.RESTORE]: AuditAction.RESTORE,
  [RevisionAction.BASELINE]: AuditAction.UPDATE,
};

/** What a write's audit entry names: the properties changed (a date's columns are one), as
 * `Type.property`, and its level: the highest of the record's and the fields' declared sensitivity.
 * Shared with the import's set-based creations (src/imports/bulk-creations.ts). */
export function auditedChange(entity: Function, name: string, changedFields: string[], confidentiality: AccessLevel): { fields: string[]; level: AccessLevel } {
  const properties = [...new Set(changedFields.map((path) => path.split('.')[0]))];
  const fieldLevel = highestSensitivity(entity, properties);
  return { fields: properties.map((p) => `${name}.${p}`), level: rank(confidentiality) > rank(fieldLevel) ? confidentiality : fieldLevel };
}

export function actorOf(viewer: Viewer): string {
  return viewer.label ?? (viewer.accountId ? `account ${viewer.accountId}` : 'anonymous');
}

/** The most restricted of `levels` (PUBLIC for none). */
function highest(levels: AccessLevel[]): AccessLevel {
  return levels.reduce((a, b) => (rank(b) > rank(a) ? b : a), AccessLevel.PUBLIC);
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value === undefined ? null : value;
}

/** Property paths and values of a record's own columns (ids, timestamps, versions, change stamps and
 * generated columns left out; `deletedAt` kept, so a revision says whether the record was deleted). */
export function stateOf(metadata: EntityMetadata, record: object): State {
  const state: State = {};
  for (const column of metadata.columns) {
    if (column.isPrimary || column.isCreateDate || column.isUpdateDate || column.isVersion || column.generatedType) continue;
    if (STAMP_PROPERTIES.has(column.propertyPath)) continue;
    state[column.propertyPath] = plain(column.getEntityValue(record));
  }
  return state;
}

/** `before` with the columns of the properties present in `values` replaced (an embedded value,
 * such as a date, replaces all of its columns). */
export function applied(metadata: EntityMetadata, before: State, values: object): State {
  const after = { ...before };
  for (const column of metadata.columns) {
    const property = column.propertyPath.split('.')[0];
    if (column.propertyPath in before && property in values) after[column.propertyPath] = plain(column.getEntityValue(values));
  }
  return after;
}

export function diff(before: State, after: State): Changes {
  const changes: Changes = {};
  for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
    // Key order aside: jsonb (translations) comes back with its keys in its own order.
    if (stableStringify(before[path] ?? null) !== stableStringify(after[path] ?? null)) {
      changes[path] = { before: before[path] ?? null, after: after[path] ?? null };
    }
  }
  return changes;
}

/** Nested column values for an UPDATE from property paths (`date.start` -> { date: { start } }). */
function nested(paths: State): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(paths)) {
    const parts = path.split('.');
    let at = out;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    at[parts.at(-1)!] = value;
  }
  return out;
}

/** Known database rules, by constraint name, as the input path they concern. */
function pathOfConstraint(constraint: string | undefined): string {
  const m = /_(date|published|victims|deaths|signatures|participants)_rules$/.exec(constraint ?? '');
  return m ? `input.${m[1]}` : 'input';
}

/** A database refusal as the caller's error, never a 500 and never the database's message (which
 * quotes values). Anything else is rethrown as is. */
export function translateDatabaseError(error: unknown): unknown {
  if (!(error instanceof QueryFailedError)) return error;
  const driver = error.driverError as { code?: string; constraint?: string; column?: string };
  switch (driver.code) {
    case '23514':
      return UserInputError.of(pathOfConstraint(driver.constraint), `breaks the rule ${driver.constraint ?? 'of the table'}`);
    case '23502':
      return UserInputError.of(driver.column ? `input.${driver.column}` : 'input', 'is required');
    case '23503':
      return UserInputError.of('input', 'refers to a record that does not exist');
    case '23505':
      return new ConflictError('An identical record or link already exists', { constraint: driver.constraint ?? null });
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
      return UserInputError.of('input', 'holds a value of the wrong form or out of range');
    case '40001':
    case '40P01':
      return new ConflictError('Another change to the same records ran at the same time; try again');
    default:
      return error;
  }
}

/**
 * The one way records are written: every create, update, delete, restore, revert and purge of every
 * record type goes through here, inside the caller's transaction, so that each write:
 * - checks the version it was based on under a row lock (no lost updates: CONFLICT otherwise);
 * - adds a revision holding the new state and what changed (history, restorable);
 * - adds an audit entry naming the fields changed, never their values.
 */
@Injectable()
export class EditingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Runs `work` in one transaction: all of it is written, or nothing. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const result = await work(manager);
        await assertSourcedPublicRecords(manager);
        return result;
      });
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  /** Creates one record from a validated input, in a transaction of its own. */
  createRecord<T extends VigilRecord>(entity: new () => T, input: object & { reason?: string | null }, ctx: WriteContext): Promise<T> {
    return this.transaction((m) => this.create(m, entity, valuesOf(input), { ...ctx, reason: input.reason ?? null }));
  }

  /** Applies a validated update input, in a transaction of its own. */
  updateRecord<T extends VigilRecord>(entity: new () => T, input: UpdateInput<object>, ctx: WriteContext): Promise<T> {
    return this.transaction((m) => this.update(m, entity, input.id, input.version, valuesOf(input.changes), { ...ctx, reason: input.reason ?? null }));
  }

  /** Creates a record. Its level is always written here, never left to the column's default: the
   * one its input gives, else its type's floor and the level of the write it is nested in. */
  async create<T extends VigilRecord>(manager: EntityManager, entity: new () => T, values: object, ctx: WriteContext): Promise<T> {
    const metadata = manager.connection.getMetadata(entity);
    const confidentiality = levelOnCreation(entity, values as Record<string, unknown>, ctx.within);
    const record = await insertEntity(manager, entity, { ...values, confidentiality });
    const state = stateOf(metadata, record);
    const seen = { before: null, after: await this.leastClearance(manager, entity, record.id) };
    await this.record(manager, entity, record, RevisionAction.CREATE, diff({}, state), state, seen, ctx);
    return record;
  }

  /** Creates a record written inside another write (a citation, an involvement) that points at an
   * existing record by id or brings a new one (a source, a person). The new one is written inside
   * the link, so it takes at least the link's level and every level around it. */
  async createNested<T extends VigilRecord>(
    manager: EntityManager,
    entity: new () => T,
    values: Record<string, unknown>,
    ctx: WriteContext,
    target: { key: string; entity: new () => VigilRecord; id?: string | null; values?: object | null },
  ): Promise<T> {
    const confidentiality = levelOnCreation(entity, values, ctx.within);
    const id = target.id ?? (await this.create(manager, target.entity, target.values!, inside(ctx, confidentiality))).id;
    return this.create(manager, entity, { ...values, [target.key]: id, confidentiality }, ctx);
  }

  /** Applies `values` (property -> value; embedded values whole) to the record at `version`. */
  async update<T extends VigilRecord>(
    manager: EntityManager,
    entity: new () => T,
    id: string,
    version: number,
    values: object,
    ctx: WriteContext,
  ): Promise<T> {
    const current = await this.lockAt(manager, entity, id, version);
    const metadata = manager.connection.getMetadata(entity);
    const before = stateOf(metadata, current);
    const after = applied(metadata, before, values);
    return this.write(manager, entity, current, before, after, RevisionAction.UPDATE, ctx);
  }

  async softDelete<T extends VigilRecord>(manager: EntityManager, entity: new () => T, id: string, version: number, ctx: WriteContext): Promise<T> {
    const current = await this.lockAt(manager, entity, id, version);
    if (current.deletedAt) throw UserInputError.of('input.id', 'the record is already deleted');
    const before = stateOf(manager.connection.getMetadata(entity), current);
    return this.write(manager, entity, current, before, { ...before, deletedAt: new Date().toISOString() }, RevisionAction.DELETE, ctx);
  }

  async restore<T extends VigilRecord>(manager: EntityManager, entity: new () => T, id: string, version: number, ctx: WriteContext): Promise<T> {
    const current = await this.lockAt(manager, entity, id, version);
    if (!current.deletedAt) throw UserInputError.of('input.id', 'the record is not deleted');
    const before = stateOf(manager.connection.getMetadata(entity), current);
    return this.write(manager, entity, current, before, { ...before, deletedAt: null }, RevisionAction.RESTORE, ctx);
  }

  /** Gives the record the content it had at `toVersion` (not its deletion mark), as a new revision. */
  async revert<T extends VigilRecord>(
    manager: EntityManager,
    entity: new () => T,
    id: string,
    version: number,
    toVersion: number,
    ctx: WriteContext,
  ): Promise<T> {
    const current = await this.lockAt(manager, entity, id, version);
    const target = await manager.findOne(Revision, { where: { subjectType: recordTypeOf(entity), subjectId: id, version: toVersion } });
    if (!target) throw UserInputError.of('input.toVersion', `the record has no revision ${toVersion}`);
    const before = stateOf(manager.connection.getMetadata(entity), current);
    const after = { ...before, ...target.state, deletedAt: before.deletedAt };
    return this.write(manager, entity, current, before, after, RevisionAction.REVERT, ctx, toVersion);
  }

  /** Removes a deleted record for good, with its history and the links and citations that depend
   * on it. Records that refer to it in their own content (an incident's situation) must be changed
   * first. The audit log keeps who purged what and why, never the values. */
  async purge(manager: EntityManager, entity: RecordClass, id: string, ctx: WriteContext): Promise<number> {
    const record = await manager.findOne(entity, { where: { id }, withDeleted: true, lock: { mode: 'pessimistic_write' } });
    if (!record) throw new NotFoundError(entity.name);
    if (!record.deletedAt) throw UserInputError.of('input.id', 'only a deleted record can be purged: delete it first');
    const metadata = manager.connection.getMetadata(entity);
    const dependents: { entity: RecordClass; id: string }[] = [];
    for (const other of manager.connection.entityMetadatas) {
      for (const relation of other.manyToOneRelations) {
        if (relation.inverseEntityMetadata.target !== entity) continue;
        const column = relation.joinColumns[0].databaseName;
        const rows: { id: string }[] = await manager.query(`SELECT id FROM ${other.tableName} WHERE ${column} = $1 FOR UPDATE`, [id]);
        if (!rows.length) continue;
        if (!VISIBILITY_DEPENDENCIES[other.name]) {
          throw new ConflictError(
            `${rows.length} ${other.name} record(s) still refer to this ${entity.name} (${relation.propertyName}); change or purge them first`,
            { referencedBy: other.name, count: rows.length },
          );
        }
        dependents.push(...rows.map((r) => ({ entity: other.target as RecordClass, id: r.id })));
      }
    }
    const targets = [...dependents, { entity, id }];
    // Each removal is logged at the level it took to see the record: a link or a citation is
    // visible only when everything it points to is, so its level is the highest of its own and
    // theirs, and never below the purged record's. The records left the view of others when they
    // were deleted: the level that could see them then counts too, whatever it is now (a record
    // deleted while CONFIDENTIAL and lowered afterwards was never seen by the public). Read before
    // anything is removed.
    const levels: AccessLevel[] = [];
    for (const target of targets) {
      const now = await this.levelToSee(manager, target.entity, target.id);
      const then = await this.seenWhenDeleted(manager, target.entity, target.id);
      levels.push(highest(then ? [now, then] : [now]));
    }
    const purgedLevel = levels[levels.length - 1];
    for (const [k, target] of targets.entries()) {
      const type = recordTypeOf(target.entity);
      await manager.delete(Revision, { subjectType: type, subjectId: target.id });
      await manager.delete(target.entity, { id: target.id });
      await this.audit.recordWrite(
        manager,
        ctx.viewer,
        {
          action: AuditAction.PURGE,
          operation: ctx.operation,
          subjectType: manager.connection.getMetadata(target.entity).name,
          subjectId: target.id,
          fields: [],
          level: highest([levels[k], purgedLevel]),
          reason: target.id === id ? (ctx.reason ?? null) : `purged with ${metadata.name} ${id}`,
        },
        ctx.requestId ?? null,
      );
    }
    return dependents.length + 1;
  }

  /** The least clearance that may see the record as it stands now (leastClearanceSql). */
  private async leastClearance(manager: EntityManager, entity: new () => VigilRecord, id: string): Promise<AccessLevel> {
    const metadata = manager.connection.getMetadata(entity);
    const [row]: { level: AccessLevel }[] = await manager.query(
      `SELECT (${leastClearanceSql(metadata.name, 't')})::text AS level FROM ${metadata.tableName} t WHERE t.id = $1`,
      [id],
    );
    return row.level;
  }

  /** The least clearance that may see each record that depends on this one, by table and id. */
  private async dependentClearances(manager: EntityManager, entity: new () => VigilRecord, id: string): Promise<Map<string, AccessLevel>> {
    const levels = new Map<string, AccessLevel>();
    for (const d of dependentsOf(manager.connection.getMetadata(entity).name)) {
      const rows: { id: string; level: AccessLevel }[] = await manager.query(
        `SELECT t.id, (${leastClearanceSql(d.entity, 't')})::text AS level FROM ${d.table} t WHERE t.${d.column} = $1`,
        [id],
      );
      for (const row of rows) levels.set(`${d.table} ${row.id}`, row.level);
    }
    return levels;
  }

  /** Moves the stamps of the records that came into or left a view with this write: their own
   * content did not change, so their version does not, but a copy kept with updatedSince must get
   * them (a citation of an incident just made PUBLIC). */
  private async stampDependents(manager: EntityManager, entity: new () => VigilRecord, id: string, before: Map<string, AccessLevel>): Promise<void> {
    const after = await this.dependentClearances(manager, entity, id);
    for (const [key, level] of after) {
      const [table, dependentId] = key.split(' ');
      const moved = levelsToStamp(entity, [], { before: before.get(key) ?? level, after: level });
      if (moved.length) await manager.query(`UPDATE ${table} SET ${stampAssignments(moved, 'now()')} WHERE id = $1`, [dependentId]);
    }
  }

  /** The least clearance that could see the record just before it was last deleted (the removal
   * feed's and a purge's level), or null when no revision records its deletion. */
  private async seenWhenDeleted(manager: EntityManager, entity: RecordClass, id: string): Promise<AccessLevel | null> {
    const [row]: { level: AccessLevel | null }[] = await manager.query(
      `SELECT seen_before::text AS level FROM revision WHERE subject_type = $1 AND subject_id = $2 AND action = 'DELETE' ORDER BY version DESC LIMIT 1`,
      [recordTypeOf(entity), id],
    );
    return row ? (row.level ?? AccessLevel.CONFIDENTIAL) : null;
  }

  /** The level a viewer needs to see the record: the highest of its confidentiality and that of
   * every record it links or quotes (deleted or not). */
  private async levelToSee(manager: EntityManager, entity: RecordClass, id: string): Promise<AccessLevel> {
    const metadata = manager.connection.getMetadata(entity);
    const columns = [`t.confidentiality::text`, ...linkedLevelExpressions(metadata.name, 't').map((e) => `${e}::text`)];
    const [row]: { levels: (AccessLevel | null)[] }[] = await manager.query(
      `SELECT ARRAY[${columns.join(', ')}]::text[] AS levels FROM ${metadata.tableName} t WHERE t.id = $1`,
      [id],
    );
    // A record that cannot be found is treated as the most restricted.
    if (!row) return AccessLevel.CONFIDENTIAL;
    return highest(row.levels.filter((l): l is AccessLevel => l !== null));
  }

  /** Ids of records the viewer could see that have since been deleted, purged or hidden above the
   * viewer's level, at or after `since`, oldest first: what a local copy must drop (updatedSince on
   * the lists brings what changed or came back). A removal is named only to a viewer who could see
   * the record at the moment it left, as the revision of that moment recorded it (seenBefore: its
   * level and those of the records it depended on then, whatever they are now). A purge is logged
   * at the level it took to see its records when they were deleted and when purged (purge). A
   * record deleted with no revision of it (bulk loads) is judged by the levels it has now. */
  async removedSince(since: Date, limit: number, viewer: Viewer): Promise<Removal[]> {
    const levels = viewer.readableLevels;
    const readable = (level: string) => `${level}::text = ANY($2)`;
    const deleted: string[] = [];
    for (const [type, entity] of Object.entries(RECORD_CLASSES) as [RecordType, RecordClass][]) {
      const { tableName, name } = this.dataSource.getMetadata(entity);
      const now = `${readable('t.confidentiality')} AND ${linkedLevelsCondition(name, 't', readable)}`;
      deleted.push(
        `SELECT '${type}' AS type, t.id::text AS id, t.deleted_at AS at, 'DELETED' AS why FROM ${tableName} t ` +
          `LEFT JOIN LATERAL (SELECT r.seen_before, true AS found FROM revision r WHERE r.subject_type = '${type}' AND r.subject_id = t.id AND r.action = 'DELETE' ` +
          `ORDER BY r.version DESC LIMIT 1) d ON true ` +
          `WHERE t.deleted_at >= $1 AND (CASE WHEN d.found IS NULL THEN ${now} ELSE ${readable('d.seen_before')} END) IS TRUE`,
      );
    }
    const names = Object.fromEntries((Object.entries(RECORD_CLASSES) as [RecordType, RecordClass][]).map(([type, entity]) => [entity.name, type]));
    const rows: { type: string; id: string; at: Date; why: RemovalReason }[] = await this.dataSource.query(
      `SELECT * FROM (
         ${deleted.join(' UNION ALL ')}
         UNION ALL SELECT subject_type, subject_id, occurred_at, 'PURGED' FROM audit_event
           WHERE action = 'PURGE' AND occurred_at >= $1 AND level::text = ANY($2)
         UNION ALL SELECT r.subject_type::text, r.subject_id::text, r.occurred_at, 'HIDDEN' FROM revision r
           WHERE r.occurred_at >= $1 AND r.action IN ('UPDATE', 'REVERT') AND ${readable('r.seen_before')} AND NOT ${readable('r.seen_after')}
       ) removals ORDER BY at, id LIMIT $3`,
      [since, levels, limit],
    );
    return rows.map((r) => ({ type: (names[r.type] ?? r.type) as RecordType, id: r.id, at: r.at, why: r.why }));
  }

  /** The record's history, oldest first. */
  revisions(type: RecordType, id: string): Promise<Revision[]> {
    return this.dataSource.getRepository(Revision).find({ where: { subjectType: type, subjectId: id }, order: { version: 'ASC' } });
  }

  /** The record at `version`, locked for this transaction; NOT_FOUND or CONFLICT otherwise. */
  private async lockAt<T extends VigilRecord>(manager: EntityManager, entity: new () => T, id: string, version: number): Promise<T> {
    const record = await manager.findOne(entity, { where: { id } as never, withDeleted: true, lock: { mode: 'pessimistic_write' } });
    if (!record) throw new NotFoundError(manager.connection.getMetadata(entity).name);
    if (record.version !== version) {
      throw new ConflictError(
        `The record changed since version ${version}: it is at version ${record.version}. Reload it, reapply your change and send version ${record.version}.`,
        { currentVersion: record.version, givenVersion: version },
      );
    }
    return record;
  }

  private async write<T extends VigilRecord>(
    manager: EntityManager,
    entity: new () => T,
    current: T,
    before: State,
    after: State,
    action: RevisionAction,
    ctx: WriteContext,
    revertedTo: number | null = null,
  ): Promise<T> {
    const changes = diff(before, after);
    if (Object.keys(changes).length === 0) return current; // nothing to write: no new version
    await this.baseline(manager, entity, current, before);
    const values = nested(Object.fromEntries(Object.keys(changes).map((path) => [path, after[path]])));
    if (values.deletedAt) values.deletedAt = new Date(values.deletedAt as string);
    const seenBefore = await this.leastClearance(manager, entity, current.id);
    // A change of level or deletion may bring the records that depend on this one into a view or
    // take them out of it (the citations of an incident made PUBLIC).
    const dependentsBefore = 'confidentiality' in changes || 'deletedAt' in changes ? await this.dependentClearances(manager, entity, current.id) : null;
    // The version column and updatedAt advance with every UPDATE (TypeORM adds both).
    await manager.createQueryBuilder().update(entity).set(values as never).where('id = :id', { id: current.id }).execute();
    const seen: Seen = { before: seenBefore, after: await this.leastClearance(manager, entity, current.id) };
    // The stamps of the clearances that may see something of this change move with it; the others
    // stay, so nobody below a changed field learns that it changed (src/access/change-stamps.ts).
    const properties = [...new Set(Object.keys(changes).map((path) => path.split('.')[0]))];
    const stamped = levelsToStamp(entity, properties, seen);
    if (stamped.length) {
      await manager.query(`UPDATE ${manager.connection.getMetadata(entity).tableName} SET ${stampAssignments(stamped)} WHERE id = $1`, [current.id]);
    }
    if (dependentsBefore) await this.stampDependents(manager, entity, current.id, dependentsBefore);
    const record = await manager.findOneOrFail(entity, { where: { id: current.id } as never, withDeleted: true });
    await this.record(manager, entity, record, action, changes, after, seen, ctx, revertedTo);
    return record;
  }

  /** A record loaded in bulk has no history: keep its state before the first change. */
  private async baseline<T extends VigilRecord>(manager: EntityManager, entity: new () => T, current: T, state: State): Promise<void> {
    const type = recordTypeOf(entity);
    if (await manager.exists(Revision, { where: { subjectType: type, subjectId: current.id } })) return;
    await manager.insert(Revision, {
      subjectType: type,
      subjectId: current.id,
      version: current.version,
      action: RevisionAction.BASELINE,
      accountId: null,
      actor: 'loaded before its history began',
      changedFields: [],
      changes: null,
      state: state as never, // jsonb: TypeORM's deep-partial type does not fit free-form JSON
    });
  }

  private async record<T extends VigilRecord>(
    manager: EntityManager,
    entity: new () => T,
    record: T,
    action: RevisionAction,
    changes: Changes,
    state: State,
    seen: { before: AccessLevel | null; after: AccessLevel },
    ctx: WriteContext,
    revertedTo: number | null = null,
  ): Promise<void> {
    const changedFields = Object.keys(changes);
    noteWrite(manager, manager.connection.getMetadata(entity).name, record, action === RevisionAction.CREATE);
    await manager.insert(Revision, {
      seenBefore: seen.before,
      seenAfter: seen.after,
      subjectType: recordTypeOf(entity),
      subjectId: record.id,
      version: record.version,
      action,
      accountId: ctx.viewer.accountId,
      actor: actorOf(ctx.viewer),
      reason: ctx.reason ?? null,
      revertedTo,
      changedFields,
      changes: changes as never, // jsonb, as above
      state: state as never,
    });
    const name = manager.connection.getMetadata(entity).name;
    const { fields, level } = auditedChange(entity, name, changedFields, record.confidentiality);
    await this.audit.recordWrite(
      manager,
      ctx.viewer,
      {
        action: AUDIT_ACTION[action],
        operation: ctx.operation,
        subjectType: name,
        subjectId: record.id,
        fields,
        level,
        reason: ctx.reason ?? null,
      },
      ctx.requestId ?? null,
    );
  }
}
