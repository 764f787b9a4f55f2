import { AccessLevel } from './access-level';
import { AccessRecorder } from './access-recorder';
import { ForbiddenFieldError } from './graphql-access';
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

/** Refuses a filter (an instance of a filter input class, e.g. from an export's query string) that
 * uses a protected filter field the viewer may not read: FORBIDDEN naming the parameter. */
export function assertMayFilter(viewer: Viewer, filter: object | null | undefined, argument: string): void {
  if (!filter) return;
  for (const d of SENSITIVE_FILTERS) {
    if (!(filter instanceof d.target)) continue;
    const value = (filter as Record<string, unknown>)[d.property];
    if (value !== undefined && value !== null && !viewer.mayRead(d.level)) {
      throw new ForbiddenFieldError(`${d.target.name}.${d.property}`, `${argument}.${d.property}`);
    }
  }
}
