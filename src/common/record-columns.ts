import { Type } from '@nestjs/common';
import { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';
import { DataSource, EntityMetadata } from 'typeorm';

/**
 * Which columns of a record a GraphQL selection needs, so that a page reads only those (the width
 * of the rows was most of a page's CPU: bench/README.md, "Page, round 2").
 *
 * A field that is a column (or an embedded object such as `date`) of the entity reads that column:
 * derived from the entity's metadata. A field whose value is computed from other columns (a
 * @ResolveField, a field middleware) says which with @Reads, beside it. A selected field that is
 * neither reads the whole record. Every record also carries what the access mechanism reads on the
 * way out: its `id` and its `confidentiality` (audit notes; visibility itself is decided in SQL).
 *
 * A record read with some columns throws when a column it was not read with is asked for
 * (src/database/entity-rows.ts): a wrong declaration is an error, never a value that looks like
 * data (`undefined` for a foreign key would answer "no situation").
 */

/** What every partial record holds whatever is selected: what src/access/ reads of a served
 * record (graphql-access.ts noteRecords: `id`, `confidentiality`). */
export const ALWAYS_READ: readonly string[] = ['id', 'confidentiality'];

interface Declared {
  entity: () => Function;
  field: string;
  /** null: not declared (a test's way to have a field read whole records). */
  properties: readonly string[] | null;
}

const declared: Declared[] = [];
let byEntity: Map<Function, Map<string, readonly string[] | null>> | null = null;
/** Moves whenever the declarations change after start-up (only tests change them). */
let generation = 0;

/** The entity properties (columns or embedded objects) the field it decorates reads: on a
 * @ResolveField method, or on an entity property served through a field middleware. */
export function Reads<T>(entity: () => Type<T> | Function, properties: readonly (keyof T & string)[]): MethodDecorator & PropertyDecorator {
  return (_target: object, field: string | symbol) => {
    declared.push({ entity, field: String(field), properties });
    byEntity = null;
  };
}

function declaredFor(entity: Function, field: string): readonly string[] | null | undefined {
  if (!byEntity) {
    byEntity = new Map();
    for (const d of declared) {
      const target = d.entity();
      if (!byEntity.has(target)) byEntity.set(target, new Map());
      byEntity.get(target)!.set(d.field, d.properties);
    }
  }
  // A declaration on a base class (VigilRecord's `version`) holds for every record.
  for (let c: Function | null = entity; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const own = byEntity.get(c);
    if (own?.has(field)) return own.get(field);
  }
  return undefined;
}

/** Only for tests: the declaration of one field replaced (null: as if it had none, so that a
 * selection of it reads whole records), until restored. */
export function overrideReadsForTest(entity: Function, field: string, properties: readonly string[] | null): () => void {
  const entry: Declared = { entity: () => entity, field, properties };
  declared.push(entry);
  byEntity = null;
  generation++;
  return () => {
    declared.splice(declared.indexOf(entry), 1);
    byEntity = null;
    generation++;
  };
}

const ofFieldNodes = new WeakMap<readonly FieldNode[], Selection>();

/** The fields a selection asks for, by name, each with every node that asks for it (aliases and
 * fragments merged; `@skip`/`@include` ignored, so the set is never smaller than what runs). */
export class Selection {
  /** What columnsFor found for this selection, by entity (a list's every item asks the same). */
  readonly columns = new Map<Function, ColumnSet>();
  /** The declarations `columns` was worked out under (tests change them: overrideReadsForTest). */
  generation = 0;

  private constructor(
    private readonly fields: Map<string, FieldNode[]>,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
  ) {}

  /** The selection of the field `info` resolves. The same for every item of a list (GraphQL
   * resolves them with one array of field nodes), so it is worked out once for them. */
  static of(info: GraphQLResolveInfo): Selection {
    let selection = ofFieldNodes.get(info.fieldNodes);
    if (!selection) ofFieldNodes.set(info.fieldNodes, (selection = Selection.from(info.fieldNodes, info.fragments)));
    return selection;
  }

  private static from(nodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): Selection {
    const fields = new Map<string, FieldNode[]>();
    const visit = (set: SelectionSetNode | undefined, seen: Set<string>) => {
      for (const s of set?.selections ?? []) {
        if (s.kind === Kind.FIELD) {
          const name = s.name.value;
          if (!fields.has(name)) fields.set(name, []);
          fields.get(name)!.push(s);
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          visit(s.selectionSet, seen);
        } else if (!seen.has(s.name.value)) {
          seen.add(s.name.value);
          visit(fragments[s.name.value]?.selectionSet, seen);
        }
      }
    };
    for (const node of nodes) visit(node.selectionSet, new Set());
    return new Selection(fields, fragments);
  }

  names(): string[] {
    return [...this.fields.keys()];
  }

  /** The selection under a selected field (empty when it is not selected). */
  field(name: string): Selection {
    let under = this.under.get(name);
    if (!under) this.under.set(name, (under = Selection.from(this.fields.get(name) ?? [], this.fragments)));
    return under;
  }

  private readonly under = new Map<string, Selection>();

  /** The selection under a path of fields (`edges`, `node`). */
  path(...names: string[]): Selection {
    return names.reduce<Selection>((s, n) => s.field(n), this);
  }
}

/** A set of entity properties to read (column property paths, e.g. `date.start`), or null for the
 * whole record. Sorted, so that equal sets give equal keys. */
export type ColumnSet = readonly string[] | null;

/** The key of a column set in a statement cache's name. */
export const columnSetKey = (columns: ColumnSet) => (columns ? columns.join(',') : '*');

/** The columns of `metadata` behind a property: its own, or every column of an embedded object. */
function columnsOfProperty(metadata: EntityMetadata, property: string): string[] | null {
  const column = metadata.columns.find((c) => c.propertyPath === property);
  if (column) return [column.propertyPath];
  const embedded = metadata.embeddeds.find((e) => e.propertyPath === property);
  if (embedded) return embedded.columnsFromTree.map((c) => c.propertyPath);
  return null;
}

/** The columns of `entity` that `selection` (the fields asked of its records) needs, plus
 * `extra` (what the caller itself reads, e.g. a foreign key it groups by); null for the whole
 * record when a field is neither a column nor declared. */
export function columnsFor(dataSource: DataSource, entity: Function, selection: Selection, extra: readonly string[] = []): ColumnSet {
  if (selection.generation !== generation) {
    selection.columns.clear();
    selection.generation = generation;
  }
  if (!extra.length && selection.columns.has(entity)) return selection.columns.get(entity)!;
  const columns = columnsOfSelection(dataSource, entity, selection, extra);
  if (!extra.length) selection.columns.set(entity, columns);
  return columns;
}

function columnsOfSelection(dataSource: DataSource, entity: Function, selection: Selection, extra: readonly string[]): ColumnSet {
  const metadata = dataSource.getMetadata(entity);
  const wanted = new Set<string>();
  const add = (property: string): boolean => {
    const columns = columnsOfProperty(metadata, property);
    if (!columns) return false;
    for (const c of columns) wanted.add(c);
    return true;
  };
  for (const p of [...ALWAYS_READ, ...extra]) {
    if (!add(p)) throw new Error(`${metadata.name}.${p} is not a column`);
  }
  for (const name of selection.names()) {
    if (name === '__typename') continue;
    const properties = declaredFor(entity, name);
    if (properties === null) return null;
    if (properties) {
      for (const p of properties) {
        if (!add(p)) throw new Error(`${metadata.name}.${name} declares it reads ${p}, which is not a column`);
      }
    } else if (!add(name)) {
      return null;
    }
  }
  if (wanted.size === metadata.columns.filter((c) => c.isSelect).length) return null;
  return [...wanted].sort();
}
