import { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import { EmbeddedMetadata } from 'typeorm/metadata/EmbeddedMetadata';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { RelationMetadata } from 'typeorm/metadata/RelationMetadata';
import { Alias } from 'typeorm/query-builder/Alias';
import { JoinAttribute } from 'typeorm/query-builder/JoinAttribute';

/* Entities from a select query's rows, by a mapping compiled once per entity and alias, instead of
 * TypeORM's general hydration: that grouped every row by primary key, looked up its columns and
 * joins again per row and per alias, and was a sixth of a page of incidents' CPU (bench/README.md).
 * The query builder still writes the SQL; what it reads is the same entity (same class, same
 * values through the driver's own conversion, embedded columns included).
 *
 * Only the shapes Vigil reads are mapped here: entities of the main alias with many-to-one joins
 * selected beside them (one row per entity, so no grouping), each whole or with some of its columns
 * (`alias.propertyPath` selections, src/common/record-columns.ts). Any other shape (a one-to-many
 * join, an entity with load listeners) goes to TypeORM's own hydration.
 *
 * An entity read with some of its columns fails closed: asking it for a column it was not read
 * with throws (a getter of its class's prototype), so a resolver that needs a column nobody said it
 * needs errors instead of serving `undefined` as if it were the record's value. */

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
  metadata: EntityMetadata;
  columns: ColumnMapping[];
  /** What a record of this mapping is made from: the entity's class, or for a partial read a
   * subclass whose prototype throws for every property that was not read. */
  create: () => ObjectLiteral;
}

/** A subclass of the entity's class for records read with `read` only: the other column (and
 * embedded) properties are getters that throw. Same name, so messages and `instanceof` hold. */
const partialClasses = new WeakMap<EntityMetadata, Map<string, Function>>();

function partialClassOf(metadata: EntityMetadata, read: ReadonlySet<string>): Function {
  let byKey = partialClasses.get(metadata);
  if (!byKey) partialClasses.set(metadata, (byKey = new Map()));
  const key = [...read].sort().join(',');
  let partial = byKey.get(key);
  if (!partial) {
    const entity = metadata.target as new () => ObjectLiteral;
    partial = class extends entity {};
    Object.defineProperty(partial, 'name', { value: entity.name });
    const unread = new Set<string>();
    for (const c of metadata.columns) {
      if (!c.isSelect || c.isVirtual) continue;
      // An embedded object is read whole or not at all (src/common/record-columns.ts).
      const top = c.embeddedMetadata ? c.embeddedMetadata.embeddedMetadataTree[0].propertyName : c.propertyName;
      if (!read.has(c.propertyPath)) unread.add(top);
    }
    for (const property of unread) {
      Object.defineProperty(partial.prototype, property, {
        get() {
          throw new Error(`${metadata.name}.${property} was not read (a field that needs it must say so with @Reads)`);
        },
        set(value: unknown) {
          Object.defineProperty(this, property, { value, writable: true, enumerable: true, configurable: true });
        },
        configurable: true,
      });
    }
    byKey.set(key, partial);
  }
  return partial;
}

/** Column types whose values PostgresDriver.prepareHydratedValue returns unchanged (without a
 * transformer): no call per value for them. Every other type goes through it. `timestamptz` as
 * declared (TypeORM converts only the spelled-out `timestamp with time zone`, and only strings: `pg`
 * reads it as a Date already); `int4`, as a version column is typed. */
const UNCHANGED_ON_READ = new Set(['text', 'uuid', 'varchar', 'character varying', 'int', 'int4', 'integer', 'smallint', 'bigint', 'double precision', 'jsonb', 'json', 'timestamptz']);

/** prepareHydratedValue turns an enum's value into a number when the enum has that number among its
 * values; an enum of strings only is read as it comes. */
const unchangedOnRead = (c: ColumnMetadata) =>
  !c.transformer &&
  ((typeof c.type === 'string' && UNCHANGED_ON_READ.has(c.type)) ||
    (c.type === 'enum' && !c.isArray && (c.enum ?? []).every((v) => typeof v === 'string')) ||
    c.type === Boolean);

interface JoinMapping extends AliasMapping {
  relation: RelationMetadata;
}

const mappings = new WeakMap<EntityMetadata, Map<string, AliasMapping>>();

/** The mapping of `alias`'s columns: all of them, or only `read` (column property paths). */
function mappingOf(dataSource: DataSource, metadata: EntityMetadata, alias: string, read: ReadonlySet<string> | null = null): AliasMapping {
  let byAlias = mappings.get(metadata);
  if (!byAlias) mappings.set(metadata, (byAlias = new Map()));
  const cacheKey = read ? `${alias}|${[...read].sort().join(',')}` : alias;
  let mapping = byAlias.get(cacheKey);
  if (!mapping) {
    const driver = dataSource.driver;
    const columns = metadata.columns
      .filter((c) => !c.isVirtual && !metadata.childEntityMetadatas.some((child) => child.target === c.target))
      .filter((c) => !read || read.has(c.propertyPath))
      .map(
        (c): ColumnMapping => ({
          key: DriverUtils.buildAlias(driver, undefined, alias, c.databaseName),
          databaseName: c.databaseName,
          selected: c.isSelect,
          property: c.propertyName,
          embedded: c.embeddedMetadata ? [...c.embeddedMetadata.embeddedMetadataTree] : null,
          convert:
            unchangedOnRead(c) ? null : (value: unknown) => driver.prepareHydratedValue(value, c),
          countsAsData: !c.isVirtualProperty,
        }),
      );
    // As TypeORM creates a read entity (fromDeserializer: its prototype, no constructor call).
    const partial = read ? partialClassOf(metadata, read).prototype : null;
    const create = partial ? () => Object.create(partial) as ObjectLiteral : () => metadata.create(undefined, { fromDeserializer: true });
    mapping = { metadata, columns, create };
    byAlias.set(cacheKey, mapping);
  }
  return mapping;
}

/** The mapping of this query's result, or null when TypeORM's hydration must do it. */
function planOf<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): { main: AliasMapping; joins: JoinMapping[] } | null {
  const map = qb.expressionMap;
  const main = map.mainAlias;
  if (!main?.hasMetadata || map.relationIdAttributes.length || map.relationCountAttributes.length) return null;
  /** Whole: null; some columns: their property paths; none: undefined. */
  const selected = (alias: string, metadata: EntityMetadata): ReadonlySet<string> | null | undefined => {
    if (map.selects.some((s) => s.selection === alias)) return null;
    const read = new Set(metadata.columns.filter((c) => map.selects.some((s) => s.selection === `${alias}.${c.propertyPath}`)).map((c) => c.propertyPath));
    // Some columns of an embedded object and not others: TypeORM's (it is never served so).
    const split = metadata.embeddeds.some((e) => new Set(e.columnsFromTree.map((c) => read.has(c.propertyPath))).size > 1);
    return read.size && !split ? read : undefined;
  };
  const simple = (metadata: EntityMetadata) =>
    !metadata.discriminatorColumn && !metadata.afterLoadListeners.length && !metadata.lazyRelations.length && !metadata.childEntityMetadatas.length;
  const mainRead = selected(main.name, main.metadata);
  if (mainRead === undefined || !simple(main.metadata)) return null;
  if (qb.connection.subscribers.some((s) => typeof s.afterLoad === 'function')) return null;
  const joins: JoinMapping[] = [];
  for (const join of map.joinAttributes) {
    if (!join.isSelected) continue;
    const relation = join.relation;
    if (!relation || join.mapToProperty || join.isMany || join.parentAlias !== main.name || !(relation.isManyToOne || relation.isOneToOneOwner)) return null;
    const read = selected(join.alias.name, join.metadata!);
    if (read === undefined || !simple(join.metadata!)) return null;
    joins.push({ ...mappingOf(qb.connection, join.metadata!, join.alias.name, read), relation });
  }
  return { main: mappingOf(qb.connection, main.metadata, main.name, mainRead), joins };
}

/** What TypeORM's transformColumns and ColumnMetadata.setEntityValue do for these columns. */
function entityOf(mapping: AliasMapping, row: Record<string, unknown>): ObjectLiteral | null {
  const entity = mapping.create();
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

type Plan = ReturnType<typeof planOf>;

/** A select query compiled once: its SQL, its parameters and how its rows map to entities. Reusable
 * (nothing in it changes after construction) with other values for the same parameters. */
export class PreparedRead<T extends ObjectLiteral> {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  private readonly plan: Plan;

  /** `compiled`: the builder's SQL, parameters and plan, already worked out (readEntities). */
  constructor(
    private readonly qb: SelectQueryBuilder<T>,
    compiled?: { sql: string; parameters: readonly unknown[]; plan: Plan },
  ) {
    if (compiled) ({ sql: this.sql, parameters: this.parameters, plan: this.plan } = compiled);
    else {
      [this.sql, this.parameters] = qb.getQueryAndParameters();
      this.plan = planOf(qb);
    }
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

/* A builder's SQL remembered per shape. TypeORM writes the same SQL (with `:named` parameters) for
 * the same expression map whatever its parameters' values (an array is spread when the values are
 * bound), and writing it was 6% of a page request's CPU (bench/README.md, Round 4). The shape is
 * the whole expression map but the values: every condition, selection, join, order and limit as
 * written, entities by name. A map holding anything else (a function, an entity instance, another
 * builder) has no shape and is compiled every time. Under test, every remembered statement is
 * checked against a fresh build. */

class NoShape extends Error {}

/** Own properties of the expression map that are not its SQL: the values, and the data source. */
const VALUES = new Set(['connection', 'parameters', 'nativeParameters', 'locallyGenerated']);
/** A join attribute's back references and memos (what they remember is in the shape already). */
const JOIN_REFERENCES = new Set(['connection', 'queryExpressionMap', 'isSelectedCache', 'isSelectedEvaluated', 'relationCache', 'relationEvaluated']);

/** The shape of a builder (exported for its test), or null when it has none. */
export function shapeOf(qb: SelectQueryBuilder<ObjectLiteral>): string | null {
  const map = qb.expressionMap;
  const { parentQueryBuilder, findOptions } = qb as unknown as { parentQueryBuilder?: unknown; findOptions?: object };
  if (parentQueryBuilder || (findOptions && Object.keys(findOptions).length)) return null;
  const dataSource = qb.connection;
  try {
    return JSON.stringify(map, function (this: unknown, key: string, value: unknown) {
      if (this === map && VALUES.has(key)) return undefined;
      if (this instanceof JoinAttribute && JOIN_REFERENCES.has(key)) return undefined;
      if (typeof value === 'function') {
        if (dataSource.hasMetadata(value)) return `entity ${dataSource.getMetadata(value).name}`;
        throw new NoShape();
      }
      if (value === null || typeof value !== 'object') return value;
      if (value instanceof EntityMetadata) return `entity ${value.name} ${value.tablePath}`;
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype === Object.prototype || prototype === Array.prototype || value instanceof Alias || value instanceof JoinAttribute) return value;
      if (value === map && key === '') return value;
      throw new NoShape();
    });
  } catch (error) {
    if (error instanceof NoShape) return null;
    throw error;
  }
}

const CHECK_SHAPES = process.env.NODE_ENV === 'test';
/** More than every list shape Vigil builds (filters given, order, role); beyond it, start again. */
const MAX_SHAPES = 500;
const shapes = new WeakMap<DataSource, Map<string, { query: string; plan: Plan }>>();

/** `qb.getRawAndEntities()`, hydrated by the compiled mapping, its SQL remembered per shape. */
export function readEntities<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<{ entities: T[]; raw: Record<string, unknown>[] }> {
  const shape = shapeOf(qb as SelectQueryBuilder<ObjectLiteral>);
  if (shape === null) return new PreparedRead(qb).run();
  let byShape = shapes.get(qb.connection);
  if (!byShape) shapes.set(qb.connection, (byShape = new Map()));
  let compiled = byShape.get(shape);
  if (!compiled) {
    if (byShape.size >= MAX_SHAPES) byShape.clear();
    compiled = { query: qb.getQuery(), plan: planOf(qb) };
    byShape.set(shape, compiled);
  }
  // After getQuery(), as getQueryAndParameters() binds them.
  const [sql, parameters] = qb.connection.driver.escapeQueryWithParameters(compiled.query, qb.getParameters(), qb.expressionMap.nativeParameters);
  if (CHECK_SHAPES) {
    const [freshSql, freshParameters] = qb.getQueryAndParameters();
    if (freshSql !== sql || JSON.stringify(freshParameters) !== JSON.stringify(parameters)) {
      throw new Error(`readEntities: the statement remembered for a shape differs from a fresh build:\n${sql}\n${freshSql}`);
    }
  }
  return new PreparedRead(qb, { sql, parameters, plan: compiled.plan }).run();
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
