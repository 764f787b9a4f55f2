import DataLoader from 'dataloader';
import { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { levelsParam, onlyVisible, visibleCondition } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { NestedRead, PreparedRead, readNested } from '../database/entity-rows';

interface ManyOptions {
  orderBy?: string;
  /** A many-to-one relation of the children to read in the same statement (a citation's
   * `source`): each is then served by one() without a statement of its own. */
  with?: string;
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

/** A relation loader: its name, its statement for a keys expression (`:keys`, bound as one array,
 * or `ARRAY[<parent key>]` inside another statement), and how its rows group by key. */
interface RelationSpec {
  name: string;
  build(keys: string): SelectQueryBuilder<ObjectLiteral>;
  group(keys: readonly string[], rows: ObjectLiteral[]): ObjectLiteral[][];
}

/** A relation read as a subquery of another statement (Loaders.manyInside). */
export interface InsideRead {
  /** For the select list; its parameters are named (`:name`). */
  sql: string;
  parameters: ObjectLiteral;
  /** Serves what the subquery returned for the parent `key` (its JSON) to this request's loader. */
  prime(key: string, json: unknown): void;
}

/** The subqueries of manyInside, built once per data source, loader, parent key and set of readable levels. */
const nestedStatements = new WeakMap<DataSource, Map<string, NestedRead<ObjectLiteral>>>();

/** Per-request batching of relation reads, so a nested list costs one statement per relation
 * whatever the page size. Every batch goes through the record-visibility rule. */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly viewer: Viewer,
    /** Whether a list reads the relations its query asks for in its own statement (manyInside);
     * off, each relation sends its own (the general path, which tests compare it with). */
    readonly readAhead = true,
  ) {}

  /** The record of `entity` with this primary key, or null when absent, deleted or not visible. */
  one<T extends ObjectLiteral>(entity: EntityTarget<T>, key: string): Promise<T | null> {
    return this.oneLoader(entity).load(key) as Promise<T | null>;
  }

  private oneLoader<T extends ObjectLiteral>(entity: EntityTarget<T>): DataLoader<string, unknown> {
    const metadata = this.dataSource.getMetadata(entity);
    const pk = metadata.primaryColumns[0].propertyName;
    return this.loader(`one:${metadata.name}`, async (keys, shape) => {
      const rows = await this.read(shape, keys, () => {
        const qb = this.dataSource.getRepository(entity).createQueryBuilder('r').where(`r.${pk} = ANY(:keys)`, { keys: KEYS });
        return metadata.findColumnWithPropertyName('confidentiality') ? onlyVisible(qb, 'r', this.viewer) : qb;
      });
      const byKey = new Map(rows.map((row) => [String(row[pk]), row]));
      return keys.map((k) => byKey.get(k) ?? null);
    });
  }

  /** `key` when the record it names is visible, else null: a foreign key to a hidden record must
   * not tell the viewer that the record exists. Batched with one(), so it costs nothing extra. */
  async visibleKey<T extends ObjectLiteral>(entity: EntityTarget<T>, key: string | null): Promise<string | null> {
    return key && (await this.one(entity, key)) ? key : null;
  }

  /** Every visible record of `entity` whose `column` equals `key` (children by foreign key). */
  many<T extends ObjectLiteral>(entity: EntityTarget<T>, column: keyof T & string, key: string, options: ManyOptions = {}): Promise<T[]> {
    const spec = this.manySpec(entity, column, options);
    return this.loader(spec.name, async (keys, shape) => spec.group(keys, await this.read(shape, keys, () => spec.build(':keys')))).load(key) as Promise<T[]>;
  }

  /** Records reached through a link table: e.g. the incidents a response answers. One statement
   * per batch: the visible links, each with its target joined (and held to the rule as well). */
  through<L extends ObjectLiteral, T extends ObjectLiteral>(
    link: EntityTarget<L>,
    fromColumn: keyof L & string,
    toColumn: keyof L & string,
    target: EntityTarget<T>,
    key: string,
  ): Promise<T[]> {
    const spec = this.throughSpec(link, fromColumn, toColumn, target);
    return this.loader(spec.name, async (keys, shape) => spec.group(keys, await this.read(shape, keys, () => spec.build(':keys')))).load(key) as Promise<T[]>;
  }

  /** many(), read inside another statement: a subquery for the select list of a query over the
   * parent records, with `parentKey` the SQL of the parent's key there (`"i"."id"`). `prime` puts
   * what it returned for a parent where many() finds it, so the relation's resolver sends no
   * statement of its own. The same statement as the loader's, for one key. */
  manyInside<T extends ObjectLiteral>(entity: EntityTarget<T>, column: keyof T & string, options: ManyOptions, parentKey: string): InsideRead {
    return this.inside(this.manySpec(entity, column, options), parentKey);
  }

  /** through(), read inside another statement (see manyInside). */
  throughInside<L extends ObjectLiteral, T extends ObjectLiteral>(
    link: EntityTarget<L>,
    fromColumn: keyof L & string,
    toColumn: keyof L & string,
    target: EntityTarget<T>,
    parentKey: string,
  ): InsideRead {
    return this.inside(this.throughSpec(link, fromColumn, toColumn, target), parentKey);
  }

  private inside(spec: RelationSpec, parentKey: string): InsideRead {
    let byShape = nestedStatements.get(this.dataSource);
    if (!byShape) nestedStatements.set(this.dataSource, (byShape = new Map()));
    const cacheKey = `${spec.name}|${parentKey}|${this.viewer.readableLevels.join(',')}`;
    let nested = byShape.get(cacheKey);
    if (!nested) byShape.set(cacheKey, (nested = readNested(spec.build(`ARRAY[${parentKey}]`))));
    const read = nested;
    const loader = this.loader(spec.name, async (keys, shape) => spec.group(keys, await this.read(shape, keys, () => spec.build(':keys'))));
    return {
      sql: read.sql,
      parameters: read.parameters,
      prime: (key, json) => loader.prime(key, spec.group([key], read.read(json))[0]),
    };
  }

  private manySpec<T extends ObjectLiteral>(entity: EntityTarget<T>, column: keyof T & string, options: ManyOptions): RelationSpec {
    const metadata = this.dataSource.getMetadata(entity);
    const along = options.with ? metadata.manyToOneRelations.find((r) => r.propertyName === options.with) : undefined;
    if (options.with && !along) throw new Error(`${metadata.name}.${options.with} is not a many-to-one relation`);
    return {
      name: `many:${metadata.name}:${column}:${options.orderBy ?? ''}:${options.with ?? ''}`,
      build: (keys) => {
        const qb = this.dataSource
          .getRepository(entity)
          .createQueryBuilder('r')
          .where(`r.${column} = ANY(${keys})`, keys === ':keys' ? { keys: KEYS } : {});
        if (along) {
          // Held to the rule like any read of that record (a visible child's parent is visible
          // anyway: visibility depends on it).
          const param = levelsParam('w');
          qb.leftJoinAndSelect(`r.${along.propertyName}`, 'w', visibleCondition(along.inverseEntityMetadata.name, 'w', param), {
            [param]: this.viewer.readableLevels,
          });
        }
        // The rows all have `column` set (it is what they are read by).
        const referenceSet = metadata.findColumnWithPropertyName(column)?.databaseName;
        if (metadata.findColumnWithPropertyName('confidentiality')) onlyVisible(qb, 'r', this.viewer, { referenceSet });
        return qb.orderBy(options.orderBy ?? 'r.createdAt', 'ASC').addOrderBy(`r.${metadata.primaryColumns[0].propertyName}`, 'ASC') as SelectQueryBuilder<ObjectLiteral>;
      },
      group: (keys, rows) => {
        if (along) {
          const one = this.oneLoader(along.inverseEntityMetadata.target);
          for (const row of rows) {
            const related = row[along.propertyName] as ObjectLiteral | undefined;
            if (related) one.prime(String(related[along.inverseEntityMetadata.primaryColumns[0].propertyName]), related);
          }
        }
        const groups = new Map<string, ObjectLiteral[]>(keys.map((k) => [k, []]));
        for (const row of rows) groups.get(String(row[column]))?.push(row);
        return keys.map((k) => groups.get(k) ?? []);
      },
    };
  }

  private throughSpec<L extends ObjectLiteral, T extends ObjectLiteral>(
    link: EntityTarget<L>,
    fromColumn: keyof L & string,
    toColumn: keyof L & string,
    target: EntityTarget<T>,
  ): RelationSpec {
    const linkMetadata = this.dataSource.getMetadata(link);
    const targetMetadata = this.dataSource.getMetadata(target);
    const relation = linkMetadata.manyToOneRelations.find((r) => r.joinColumns[0]?.propertyName === toColumn && r.inverseEntityMetadata === targetMetadata);
    if (!relation) throw new Error(`${linkMetadata.name}.${toColumn} is not a many-to-one relation to ${targetMetadata.name}`);
    return {
      name: `through:${linkMetadata.name}:${fromColumn}:${toColumn}`,
      build: (keys) => {
        const param = levelsParam('t');
        const qb = this.dataSource
          .getRepository(link)
          .createQueryBuilder('r')
          .innerJoinAndSelect(`r.${relation.propertyName}`, 't', visibleCondition(targetMetadata.name, 't', param), { [param]: this.viewer.readableLevels })
          .where(`r.${fromColumn} = ANY(${keys})`, keys === ':keys' ? { keys: KEYS } : {});
        return onlyVisible(qb, 'r', this.viewer).orderBy('r.createdAt', 'ASC').addOrderBy('r.id', 'ASC') as SelectQueryBuilder<ObjectLiteral>;
      },
      group: (keys, rows) => {
        const groups = new Map<string, ObjectLiteral[]>(keys.map((k) => [k, []]));
        for (const row of rows) groups.get(String(row[fromColumn]))?.push(row[relation.propertyName] as ObjectLiteral);
        return keys.map((k) => groups.get(k) ?? []);
      },
    };
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
