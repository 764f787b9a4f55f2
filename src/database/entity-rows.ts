import { types } from 'pg';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import { EmbeddedMetadata } from 'typeorm/metadata/EmbeddedMetadata';
import { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { RelationMetadata } from 'typeorm/metadata/RelationMetadata';

/* Entities from a select query's rows, by a mapping compiled once per entity and alias, instead of
 * TypeORM's general hydration: that grouped every row by primary key, looked up its columns and
 * joins again per row and per alias, and was a sixth of a page of incidents' CPU (bench/README.md).
 * The query builder still writes the SQL; what it reads is the same entity (same class, same
 * values through the driver's own conversion, embedded columns included).
 *
 * Only the shapes Vigil reads are mapped here: whole entities of the main alias with many-to-one
 * joins selected beside them (one row per entity, so no grouping). Any other shape (a partial
 * selection, a one-to-many join, an entity with load listeners) goes to TypeORM's own hydration. */

interface ColumnMapping {
  /** The raw result key, e.g. `r_created_at`. */
  key: string;
  databaseName: string;
  /** Read by a whole-entity select (not `select: false`, such as a search vector). */
  selected: boolean;
  property: string;
  /** The embedded objects the property is in, outermost first (TypeORM's embeddedMetadataTree). */
  embedded: EmbeddedMetadata[] | null;
  /** The driver's conversion of a read value; null where it changes nothing. */
  convert: ((value: unknown) => unknown) | null;
  /** A non-null value here means the alias has a row (TypeORM: a join whose columns are all null is no entity). */
  countsAsData: boolean;
}

interface AliasMapping {
  alias: string;
  metadata: EntityMetadata;
  columns: ColumnMapping[];
}

/** Column types whose values PostgresDriver.prepareHydratedValue returns unchanged (without a
 * transformer): no call per value for them. Every other type goes through it. */
const UNCHANGED_ON_READ = new Set(['text', 'uuid', 'varchar', 'character varying', 'int', 'integer', 'smallint', 'bigint', 'double precision', 'jsonb', 'json']);

interface JoinMapping extends AliasMapping {
  relation: RelationMetadata;
}

const mappings = new WeakMap<EntityMetadata, Map<string, AliasMapping>>();

function mappingOf(dataSource: DataSource, metadata: EntityMetadata, alias: string): AliasMapping {
  let byAlias = mappings.get(metadata);
  if (!byAlias) mappings.set(metadata, (byAlias = new Map()));
  let mapping = byAlias.get(alias);
  if (!mapping) {
    const driver = dataSource.driver;
    const columns = metadata.columns
      .filter((c) => !c.isVirtual && !metadata.childEntityMetadatas.some((child) => child.target === c.target))
      .map(
        (c): ColumnMapping => ({
          key: DriverUtils.buildAlias(driver, undefined, alias, c.databaseName),
          databaseName: c.databaseName,
          selected: c.isSelect,
          property: c.propertyName,
          embedded: c.embeddedMetadata ? [...c.embeddedMetadata.embeddedMetadataTree] : null,
          convert:
            !c.transformer && typeof c.type === 'string' && UNCHANGED_ON_READ.has(c.type) ? null : (value: unknown) => driver.prepareHydratedValue(value, c),
          countsAsData: !c.isVirtualProperty,
        }),
      );
    mapping = { alias, metadata, columns };
    byAlias.set(alias, mapping);
  }
  return mapping;
}

/** The mapping of this query's result, or null when TypeORM's hydration must do it. */
function planOf<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): { main: AliasMapping; joins: JoinMapping[] } | null {
  const map = qb.expressionMap;
  const main = map.mainAlias;
  if (!main?.hasMetadata || map.relationIdAttributes.length || map.relationCountAttributes.length) return null;
  const whole = (alias: string) => map.selects.some((s) => s.selection === alias);
  const simple = (metadata: EntityMetadata) =>
    !metadata.discriminatorColumn && !metadata.afterLoadListeners.length && !metadata.lazyRelations.length && !metadata.childEntityMetadatas.length;
  if (!whole(main.name) || !simple(main.metadata)) return null;
  if (qb.connection.subscribers.some((s) => typeof s.afterLoad === 'function')) return null;
  const joins: JoinMapping[] = [];
  for (const join of map.joinAttributes) {
    if (!join.isSelected) continue;
    const relation = join.relation;
    if (!relation || join.mapToProperty || join.isMany || join.parentAlias !== main.name || !(relation.isManyToOne || relation.isOneToOneOwner)) return null;
    if (!whole(join.alias.name) || !simple(join.metadata!)) return null;
    joins.push({ ...mappingOf(qb.connection, join.metadata!, join.alias.name), relation });
  }
  return { main: mappingOf(qb.connection, main.metadata, main.name), joins };
}

/** What TypeORM's transformColumns and ColumnMetadata.setEntityValue do for these columns. */
function entityOf(mapping: AliasMapping, row: Record<string, unknown>): ObjectLiteral | null {
  const entity: ObjectLiteral = mapping.metadata.create(undefined, { fromDeserializer: true });
  let hasData = false;
  for (const column of mapping.columns) {
    let value = row[column.key];
    if (value === undefined) continue;
    if (value !== null && column.countsAsData) hasData = true;
    if (column.convert) value = column.convert(value);
    let target = entity;
    if (column.embedded) {
      for (const embedded of column.embedded) target = target[embedded.propertyName] ||= embedded.create();
    }
    target[column.property] = value;
  }
  return hasData ? entity : null;
}

/** Column types whose `::text` is exactly what PostgreSQL sends for them in a result row (the type's
 * output function, in the same session), by the type OID whose parser `pg` reads them with. A column
 * of any other type (or with a transformer) keeps its entity out of readNested. Enums: no parser. */
const TEXT_OIDS: Record<string, number | null> = {
  uuid: 2950,
  text: 25,
  varchar: 1043,
  'character varying': 1043,
  int: 23,
  int4: 23,
  integer: 23,
  smallint: 21,
  bigint: 20,
  'double precision': 701,
  timestamptz: 1184,
  'timestamp with time zone': 1184,
  date: 1082,
  boolean: 16,
  bool: 16,
  jsonb: 3802,
  enum: null,
};

function textParserOf(column: ColumnMapping, metadata: EntityMetadata, driver: DataSource['driver']): (text: string) => unknown {
  const meta = metadata.findColumnWithDatabaseName(column.databaseName);
  // A type given as a class (`Boolean`) is the driver's to name.
  const type = meta && !meta.transformer ? driver.normalizeType(meta) : undefined;
  const oid = type === undefined ? undefined : TEXT_OIDS[type];
  if (oid === undefined) throw new Error(`readNested: ${metadata.name}.${column.property} (${String(type)}) is not a type it reads`);
  return oid === null ? (text) => text : (types.getTypeParser(oid, 'text') as (text: string) => unknown);
}

/** A select query read as one JSON value inside another statement (a correlated subquery in its
 * select list): the same statement, its rows encoded as arrays of the columns' text, read back
 * through `pg`'s own parsers and this module's mapping. So a page of records and the records each
 * of them leads to come back in one statement, as the same entities the query alone reads. */
export interface NestedRead<T extends ObjectLiteral> {
  /** SQL with the builder's named parameters (`:name`), for addSelect. */
  sql: string;
  parameters: ObjectLiteral;
  /** The entities of the subquery's rows, in its order. */
  read(json: unknown): T[];
}

export function readNested<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): NestedRead<T> {
  const plan = planOf(qb);
  if (!plan) throw new Error('readNested: a shape this module does not map');
  const aliases = [plan.main, ...plan.joins];
  const columns = aliases.flatMap((a, n) => a.columns.filter((c) => c.selected).map((c) => ({ alias: n, column: c, parse: textParserOf(c, a.metadata, qb.connection.driver) })));
  // The subquery's order, by its result columns: json_agg keeps the order it is told.
  const order = Object.entries(qb.expressionMap.orderBys).map(([path, direction]) => {
    const [alias, property] = path.split('.');
    const mapping = aliases.find((a) => a.alias === alias);
    const column = mapping?.columns.find((c) => c.property === property && c.selected);
    if (!column || typeof direction !== 'string') throw new Error(`readNested: cannot order by ${path}`);
    return `x."${column.key}" ${direction}`;
  });
  const values = columns.map(({ column }) => `x."${column.key}"::text`).join(', ');
  // Sorted once, by the aggregate: the subquery's own ORDER BY would sort the same rows again.
  const unordered = qb.clone().orderBy();
  const sql = `(SELECT coalesce(json_agg(json_build_array(${values})${order.length ? ` ORDER BY ${order.join(', ')}` : ''}), '[]'::json) FROM (${unordered.getQuery()}) x)`;
  return {
    sql,
    parameters: qb.getParameters(),
    read(json) {
      const entities: T[] = [];
      for (const cells of json as (string | null)[][]) {
        const row: Record<string, unknown> = {};
        columns.forEach(({ column, parse }, n) => (row[column.key] = cells[n] === null ? null : parse(cells[n]!)));
        const entity = entityOf(plan.main, row);
        if (!entity) continue;
        for (const join of plan.joins) join.relation.setEntityValue(entity, entityOf(join, row));
        entities.push(entity as T);
      }
      return entities;
    },
  };
}

/** A select query compiled once: its SQL, its parameters and how its rows map to entities. Reusable
 * (nothing in it changes after construction) with other values for the same parameters. */
export class PreparedRead<T extends ObjectLiteral> {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  private readonly plan: ReturnType<typeof planOf>;

  constructor(private readonly qb: SelectQueryBuilder<T>) {
    [this.sql, this.parameters] = qb.getQueryAndParameters();
    this.plan = planOf(qb);
  }

  /** The entities and the raw rows (for extra selections such as sort keys), with these parameter
   * values (by default the builder's own). Runs where the builder would. */
  async run(parameters: readonly unknown[] = this.parameters): Promise<{ entities: T[]; raw: Record<string, unknown>[] }> {
    const { qb, plan } = this;
    if (!plan) {
      if (parameters !== this.parameters) throw new Error('PreparedRead: a query TypeORM hydrates runs with its own parameters only');
      const { entities, raw } = await qb.getRawAndEntities();
      return { entities, raw: raw as Record<string, unknown>[] };
    }
    const dataSource = qb.connection;
    // A builder made inside a transaction carries its runner (protected in TypeORM's types).
    const own = (qb as unknown as { queryRunner?: QueryRunner }).queryRunner;
    const runner = own ?? dataSource.createQueryRunner(dataSource.defaultReplicationModeForReads());
    let raw: Record<string, unknown>[];
    try {
      raw = (await runner.query(this.sql, parameters as unknown[], true)).records;
    } finally {
      if (runner !== own) await runner.release();
    }
    const entities: T[] = [];
    for (const row of raw) {
      const entity = entityOf(plan.main, row);
      if (!entity) continue;
      for (const join of plan.joins) join.relation.setEntityValue(entity, entityOf(join, row));
      entities.push(entity as T);
    }
    return { entities, raw };
  }
}

/** `qb.getRawAndEntities()`, hydrated by the compiled mapping. */
export function readEntities<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<{ entities: T[]; raw: Record<string, unknown>[] }> {
  return new PreparedRead(qb).run();
}

/** Entities insertEntity has checked it can map (once each, not per insert). */
const insertable = new WeakSet<EntityMetadata>();

/** Inserts one record and returns it as a whole-entity read would (defaults and generated columns
 * included): one `INSERT ... RETURNING` where TypeORM's save() read the row before (an id was given),
 * inserted it, and a find() read it again. The values as for `manager.create` (embedded objects). */
export async function insertEntity<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, values: object): Promise<T> {
  const metadata = manager.connection.getMetadata(entity);
  if (!insertable.has(metadata)) {
    if (!planOf(manager.getRepository(entity).createQueryBuilder('r'))) throw new Error(`insertEntity: ${metadata.name} is not a shape this module maps`);
    insertable.add(metadata);
  }
  const mapping = mappingOf(manager.connection, metadata, 'r');
  const returning = mapping.columns.filter((c) => c.selected).map((c) => `"${c.databaseName}" AS "${c.key}"`);
  const result = await manager
    .createQueryBuilder()
    .insert()
    .into(metadata.target)
    .values(manager.create(metadata.target, values as never))
    .returning(returning.join(', '))
    .updateEntity(false)
    .execute();
  const row = (result.raw as Record<string, unknown>[])[0];
  return entityOf(mapping, row) as T;
}
