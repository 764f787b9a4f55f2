import { getDirective } from '@graphql-tools/utils';
import { GraphQLSchema, isEnumType } from 'graphql';
import { AccessLevel } from './access-level';
import { AccessRecorder, Disclosure } from './access-recorder';
import { askedOf, ForbiddenFieldError, sensitiveDirective } from './graphql-access';
import { SENSITIVE_FIELDS, SENSITIVE_FILTERS, sensitivityOf } from './sensitive.decorator';
import { Viewer } from './viewer';

/**
 * The access rules for paths out that are not GraphQL (exports, imports' reports, the command
 * line). They read the same declarations (@Sensitive beside each field, FiltersOn beside each
 * filter) and decide with the same Viewer.mayRead as the GraphQL enforcement, so a column an
 * export may write is exactly a field the same viewer may read through the API.
 */

/** Of `properties` of `entity`, those `viewer` may read, in the given order: an export's columns. */
export function readableProperties(viewer: Viewer, entity: Function, properties: readonly string[]): string[] {
  return properties.filter((p) => viewer.mayRead(sensitivityOf(entity, p)));
}

/** Whether any declared field of `entity` is hidden from `viewer` (an export can then say so). */
export function hasHiddenFields(viewer: Viewer, entity: Function): boolean {
  return SENSITIVE_FIELDS.some((d) => (d.target === entity || entity.prototype instanceof d.target) && !viewer.mayRead(d.level));
}

/**
 * `record` with only what `viewer` may read of `properties`; permitted protected values are noted
 * in `recorder` for the audit log. Unreadable fields are left out, not nulled, so a consumer
 * cannot mistake "hidden" for "unknown".
 */
export function project<T extends { id?: unknown }>(
  viewer: Viewer,
  entity: Function,
  record: T,
  properties: readonly (keyof T & string)[],
  recorder?: AccessRecorder,
): Partial<T> {
  const out: Partial<T> = {};
  for (const p of properties) {
    const level = sensitivityOf(entity, p);
    if (!viewer.mayRead(level)) continue;
    out[p] = record[p];
    if (level !== AccessLevel.PUBLIC && record[p] !== null && record[p] !== undefined) {
      recorder?.noteRead(`${entity.name}.${p}`, level, record.id);
    }
  }
  return out;
}

/** A protected filter field or sort value used, as the audit log keeps it (never its value). */
export interface ProtectedUse {
  kind: Disclosure.PROTECTED_FILTER | Disclosure.PROTECTED_SORT;
  level: AccessLevel;
  probe: { coordinate: string; asked: Record<string, unknown> };
}

/** Refuses a filter (an instance of a filter input class, e.g. from an export's query string) that
 * uses a protected filter field the viewer may not read: FORBIDDEN naming the parameter. Returns
 * the protected filter fields it uses, for the audit log. */
export function assertMayFilter(viewer: Viewer, filter: object | null | undefined, argument: string): ProtectedUse[] {
  const used: ProtectedUse[] = [];
  if (!filter) return used;
  for (const d of SENSITIVE_FILTERS) {
    if (!(filter instanceof d.target)) continue;
    const value = (filter as Record<string, unknown>)[d.property];
    if (value === undefined || value === null) continue;
    const coordinate = `${d.target.name}.${d.property}`;
    if (!viewer.mayRead(d.level)) throw new ForbiddenFieldError(coordinate, `${argument}.${d.property}`);
    used.push({ kind: Disclosure.PROTECTED_FILTER, level: d.level, probe: { coordinate, asked: askedOf({ kind: Disclosure.PROTECTED_FILTER, value }) } });
  }
  return used;
}

/** Something an export writes that reads one declared property: a column, a GeoJSON geometry. */
export interface ReadsProperty {
  entity: Function;
  property: string;
}

/** The level of what `column` reads: its property's @Sensitive declaration, PUBLIC when none. */
export function levelOf(column: ReadsProperty): AccessLevel {
  return sensitivityOf(column.entity, column.property);
}

/** Of `columns`, those `viewer` may read, in the given order: an export's header. The same rule as
 * readableProperties, for columns that read properties of several entities (a region's name). */
export function readableColumns<C extends ReadsProperty>(viewer: Viewer, columns: readonly C[]): C[] {
  return columns.filter((c) => readableProperties(viewer, c.entity, [c.property]).length === 1);
}

/** Refuses a sort value the viewer may not use (an `orderBy` from an export's query string): the
 * value's `@sensitive` directive in the built schema, put there by sortsOn, as the GraphQL
 * enforcement reads it. FORBIDDEN naming the parameter. */
export function assertMaySort(viewer: Viewer, schema: GraphQLSchema, enumName: string, value: string, argument: string): ProtectedUse[] {
  const type = schema.getType(enumName);
  if (!isEnumType(type)) throw new Error(`${enumName} is not an enum of the schema`);
  const enumValue = type.getValues().find((v) => v.value === value || v.name === value);
  if (!enumValue) return [];
  const level = getDirective(schema, enumValue, sensitiveDirective.name)?.[0]?.level as AccessLevel | undefined;
  if (!level) return [];
  const coordinate = `${enumName}.${enumValue.name}`;
  if (!viewer.mayRead(level)) throw new ForbiddenFieldError(coordinate, argument);
  return [{ kind: Disclosure.PROTECTED_SORT, level, probe: { coordinate, asked: { value: enumValue.name } } }];
}
