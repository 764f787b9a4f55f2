import DataLoader from 'dataloader';
import { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { levelsParam, onlyVisible, visibleCondition } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { PreparedRead } from '../database/entity-rows';
import { ColumnSet, columnSetKey, columnsFor, Selection } from './record-columns';

interface ManyOptions {
  orderBy?: string;
  /** A many-to-one relation of the children to read in the same statement (a citation's
   * `source`): each is then served by one() without a statement of its own. */
  with?: string;
  /** The columns to read of the children (src/common/record-columns.ts); whole records when null
   * or absent. The loader adds the column it groups by. */
  columns?: ColumnSet;
  /** The columns to read of `with`'s records; whole records when null or absent. */
  withColumns?: ColumnSet;
}

/** Selects `columns` (property paths) of `alias` in place of the whole entity, when a set is given. */
export function selectColumns<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, columns: ColumnSet | undefined, main = true): SelectQueryBuilder<T> {
  if (!columns) return main ? qb : qb.addSelect(alias);
  const selections = columns.map((c) => `${alias}.${c}`);
  return main ? qb.select(selections) : qb.addSelect(selections);
}

/** `columns` with `more` added (a loader's own needs), or null (whole records). Remembered per
 * set: every item of a list asks with the same one. */
const added = new WeakMap<readonly string[], Map<string, ColumnSet>>();
function plus(columns: ColumnSet | undefined, ...more: string[]): ColumnSet {
  if (!columns) return null;
  let byMore = added.get(columns);
  if (!byMore) added.set(columns, (byMore = new Map()));
  const key = more.join(',');
  let result = byMore.get(key);
  if (!result) byMore.set(key, (result = [...new Set([...columns, ...more])].sort()));
  return result;
}

/** Stands for a batch's keys while a loader's statement is compiled; bound as one array (`= ANY`),
 * so the statement is the same whatever the batch's size. */
const KEYS: unknown[] = [];

interface Compiled {
  read: PreparedRead<ObjectLiteral>;
  /** Where the keys go in the parameters. */
  keysAt: number;
}

/** Each loader's statement, compiled once per data source, loader and set of readable levels (the
 * levels are bound in it, so viewers of different clearance never share one). */
const compiledStatements = new WeakMap<DataSource, Map<string, Compiled>>();

/** Per-request batching of relation reads, so a nested list costs one statement per relation
 * whatever the page size. Every batch goes through the record-visibility rule. */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly viewer: Viewer,
  ) {}

  /** The record of `entity` with this primary key, or null when absent, deleted or not visible;
   * with only `columns` read when given (a record read so by many()'s `with` is served from it). */
  one<T extends ObjectLiteral>(entity: EntityTarget<T>, key: string, columns?: ColumnSet): Promise<T | null> {
    return this.oneLoader(entity, columns).load(key) as Promise<T | null>;
  }

  private oneLoader<T extends ObjectLiteral>(entity: EntityTarget<T>, given?: ColumnSet): DataLoader<string, unknown> {
    const metadata = this.dataSource.getMetadata(entity);
    const pk = metadata.primaryColumns[0].propertyName;
    const columns = plus(given, pk);
    return this.loader(`one:${metadata.name}:${columnSetKey(columns)}`, async (keys, shape) => {
      const rows = await this.read(shape, keys, () => {
        const qb = selectColumns(this.dataSource.getRepository(entity).createQueryBuilder('r'), 'r', columns).where(`r.${pk} = ANY(:keys)`, { keys: KEYS });
        return metadata.findColumnWithPropertyName('confidentiality') ? onlyVisible(qb, 'r', this.viewer) : qb;
      });
      const byKey = new Map(rows.map((row) => [String(row[pk]), row]));
      return keys.map((k) => byKey.get(k) ?? null);
    });
  }

  /** The columns of `entity` a selection of its records needs (src/common/record-columns.ts). */
  columnsFor(entity: Function, selection: Selection): ColumnSet {
    return columnsFor(this.dataSource, entity, selection);
  }

  /** `key` when the record it names is visible, else null: a foreign key to a hidden record must
   * not tell the viewer that the record exists. Batched with one(), so it costs nothing extra. */
  async visibleKey<T extends ObjectLiteral>(entity: EntityTarget<T>, key: string | null): Promise<string | null> {
    return key && (await this.one(entity, key)) ? key : null;
  }

  /** Every visible record of `entity` whose `column` equals `key` (children by foreign key). */
  many<T extends ObjectLiteral>(entity: EntityTarget<T>, column: keyof T & string, key: string, options: ManyOptions = {}): Promise<T[]> {
    const metadata = this.dataSource.getMetadata(entity);
    const along = options.with ? metadata.manyToOneRelations.find((r) => r.propertyName === options.with) : undefined;
    if (options.with && !along) throw new Error(`${metadata.name}.${options.with} is not a many-to-one relation`);
    const columns = plus(options.columns, column, metadata.primaryColumns[0].propertyName);
    const withColumns = along ? plus(options.withColumns, along.inverseEntityMetadata.primaryColumns[0].propertyName) : null;
    const name = `many:${metadata.name}:${column}:${options.orderBy ?? ''}:${options.with ?? ''}:${columnSetKey(columns)}:${columnSetKey(withColumns)}`;
    const loader = this.loader(name, async (keys, shape) => {
      const rows = await this.read(shape, keys, () => {
        const qb = selectColumns(this.dataSource.getRepository(entity).createQueryBuilder('r'), 'r', columns).where(`r.${column} = ANY(:keys)`, { keys: KEYS });
        if (along) {
          // Held to the rule like any read of that record (a visible child's parent is visible
          // anyway: visibility depends on it).
          const param = levelsParam('w');
          qb.leftJoin(`r.${along.propertyName}`, 'w', visibleCondition(along.inverseEntityMetadata.name, 'w', param), {
            [param]: this.viewer.readableLevels,
          });
          selectColumns(qb, 'w', withColumns, false);
        }
        // The rows all have `column` set (it is what they are read by).
        const referenceSet = metadata.findColumnWithPropertyName(column)?.databaseName;
        if (metadata.findColumnWithPropertyName('confidentiality')) onlyVisible(qb, 'r', this.viewer, { referenceSet });
        return qb.orderBy(options.orderBy ?? 'r.createdAt', 'ASC').addOrderBy(`r.${metadata.primaryColumns[0].propertyName}`, 'ASC');
      });
      if (along) {
        // Into the loader of records read with these columns: a record read with fewer columns
        // is never served where the whole one was asked for.
        const one = this.oneLoader(along.inverseEntityMetadata.target, withColumns);
        for (const row of rows) {
          const related = row[along.propertyName] as ObjectLiteral | undefined;
          if (related) one.prime(String(related[along.inverseEntityMetadata.primaryColumns[0].propertyName]), related);
        }
      }
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const row of rows) groups.get(String(row[column]))?.push(row);
      return keys.map((k) => groups.get(k) ?? []);
    });
    return loader.load(key) as Promise<T[]>;
  }

  /** Records reached through a link table: e.g. the incidents a response answers. One statement
   * per batch: the visible links, each with its target joined (and held to the rule as well). */
  async through<L extends ObjectLiteral, T extends ObjectLiteral>(
    link: EntityTarget<L>,
    fromColumn: keyof L & string,
    toColumn: keyof L & string,
    target: EntityTarget<T>,
    key: string,
    /** The columns to read of the targets; whole records when null or absent. */
    targetColumns?: ColumnSet,
  ): Promise<T[]> {
    const linkMetadata = this.dataSource.getMetadata(link);
    const targetMetadata = this.dataSource.getMetadata(target);
    const relation = linkMetadata.manyToOneRelations.find((r) => r.joinColumns[0]?.propertyName === toColumn && r.inverseEntityMetadata === targetMetadata);
    if (!relation) throw new Error(`${linkMetadata.name}.${toColumn} is not a many-to-one relation to ${targetMetadata.name}`);
    const columns = plus(targetColumns, targetMetadata.primaryColumns[0].propertyName);
    const loader = this.loader(`through:${linkMetadata.name}:${fromColumn}:${toColumn}:${columnSetKey(columns)}`, async (keys, shape) => {
      const rows = await this.read(shape, keys, () => {
        const param = levelsParam('t');
        // Of the links, what they are grouped by (they are not served) when the targets are read in part.
        const qb = selectColumns(this.dataSource.getRepository(link).createQueryBuilder('r'), 'r', columns && plus([], linkMetadata.primaryColumns[0].propertyName, fromColumn))
          .innerJoin(`r.${relation.propertyName}`, 't', visibleCondition(targetMetadata.name, 't', param), { [param]: this.viewer.readableLevels })
          .where(`r.${fromColumn} = ANY(:keys)`, { keys: KEYS });
        selectColumns(qb, 't', columns, false);
        return onlyVisible(qb, 'r', this.viewer).orderBy('r.createdAt', 'ASC').addOrderBy('r.id', 'ASC');
      });
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const row of rows) groups.get(String(row[fromColumn]))?.push(row[relation.propertyName] as T);
      return keys.map((k) => groups.get(k) ?? []);
    });
    return loader.load(key) as Promise<T[]>;
  }

  /** One value per key from a batch function of the caller's (a module's own statement): calls
   * with the same `name` in one request share a batch. */
  batched<V>(name: string, key: string, batch: (keys: readonly string[]) => Promise<V[]>): Promise<V> {
    return this.loader(`batched:${name}`, (keys) => batch(keys)).load(key) as Promise<V>;
  }

  /** The rows of a loader's statement for these keys. `build` writes the statement (with KEYS for
   * the keys) the first time this loader runs for viewers of this clearance; after that only the
   * keys change. */
  private async read<T extends ObjectLiteral>(shape: string, keys: readonly string[], build: () => SelectQueryBuilder<T>): Promise<T[]> {
    let byShape = compiledStatements.get(this.dataSource);
    if (!byShape) compiledStatements.set(this.dataSource, (byShape = new Map()));
    const cacheKey = `${shape}|${this.viewer.readableLevels.join(',')}`;
    let compiled = byShape.get(cacheKey);
    if (!compiled) {
      const read = new PreparedRead(build() as SelectQueryBuilder<ObjectLiteral>);
      const keysAt = read.parameters.indexOf(KEYS);
      if (keysAt < 0 || read.parameters.lastIndexOf(KEYS) !== keysAt) throw new Error(`loader ${shape}: its statement must bind the keys once`);
      byShape.set(cacheKey, (compiled = { read, keysAt }));
    }
    const parameters = [...compiled.read.parameters];
    parameters[compiled.keysAt] = keys;
    return (await compiled.read.run(parameters)).entities as T[];
  }

  private loader(name: string, batch: (keys: readonly string[], shape: string) => Promise<unknown[]>): DataLoader<string, unknown> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = new DataLoader<string, unknown>((keys) => batch(keys, name), { maxBatchSize: 1000 });
      this.loaders.set(name, loader);
    }
    return loader;
  }
}
