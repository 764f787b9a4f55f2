import { Directive } from '@nestjs/graphql';
import { AccessLevel, rank } from './access-level';
import { Role } from './role';

/** One declaration of a field's sensitivity, beside the field. It is recorded in
 * SENSITIVE_FIELDS (read by exports, the data dictionary and the generated access tests) and
 * shown in schema.gql as `@sensitive(level: ...)`, which the GraphQL enforcement reads. */
export interface SensitiveFieldDeclaration {
  target: Function;
  property: string;
  level: AccessLevel;
  reason: string;
}

export const SENSITIVE_FIELDS: SensitiveFieldDeclaration[] = [];

export function sensitiveDirectiveSdl(level: AccessLevel): string {
  return `@sensitive(level: ${level})`;
}

export function Sensitive(level: Exclude<AccessLevel, AccessLevel.PUBLIC>, reason: string): PropertyDecorator {
  return (target, property) => {
    SENSITIVE_FIELDS.push({ target: target.constructor, property: String(property), level, reason });
    Directive(sensitiveDirectiveSdl(level))(target, property);
  };
}

/** The sensitivity of `property` on `entity` (PUBLIC when undeclared). */
export function sensitivityOf(entity: Function, property: string): AccessLevel {
  let found: AccessLevel = AccessLevel.PUBLIC;
  for (const d of SENSITIVE_FIELDS) {
    if (d.property === property && (d.target === entity || entity.prototype instanceof d.target)) found = d.level;
  }
  return found;
}

/** The most sensitive of the given fields of `entity`. */
export function highestSensitivity(entity: Function, properties: string[]): AccessLevel {
  return properties
    .map((p) => sensitivityOf(entity, p))
    .reduce((a, b) => (rank(b) > rank(a) ? b : a), AccessLevel.PUBLIC);
}

/** On a filter input field that reads `properties` of `entity`: the filter takes the fields'
 * declared sensitivity (never a second declaration), so a viewer who may not read a field cannot
 * filter on it either and learn its values by probing. */
export function FiltersOn(entity: Function, ...properties: string[]): PropertyDecorator {
  return carrying(entity, properties, 'reads');
}

/** On a write input field that sets `properties` of `entity`: it takes the fields' sensitivity, so
 * nobody writes a value they could not read back. */
export function Writes(entity: Function, ...properties: string[]): PropertyDecorator {
  return carrying(entity, properties, 'writes');
}

function carrying(entity: Function, properties: string[], verb: string): PropertyDecorator {
  return (target, property) => {
    const level = highestSensitivity(entity, properties);
    if (level === AccessLevel.PUBLIC) return;
    SENSITIVE_FILTERS.push({ target: target.constructor, property: String(property), level, reason: `${verb} ${entity.name}.${properties.join(', ')}` });
    Directive(sensitiveDirectiveSdl(level))(target, property);
  };
}

/** On an input field that asks for something only viewers at `level` may have (deleted records,
 * for editors), declared beside the field like the others and enforced by the same mechanism. */
export function RestrictedInput(level: Exclude<AccessLevel, AccessLevel.PUBLIC>, reason: string): PropertyDecorator {
  return (target, property) => {
    SENSITIVE_FILTERS.push({ target: target.constructor, property: String(property), level, reason });
    Directive(sensitiveDirectiveSdl(level))(target, property);
  };
}

/** Filter input fields that read protected fields (by input class), for paths out other than
 * GraphQL (exports take the same filter classes as query parameters). */
export const SENSITIVE_FILTERS: SensitiveFieldDeclaration[] = [];

/** Options for a sort enum value that orders by `properties` of `entity` (for registerEnumType's
 * valuesMap): it takes the fields' sensitivity, as FiltersOn does. */
export function sortsOn(entity: Function, properties: string[], description?: string): { description?: string; directives?: string[] } {
  const level = highestSensitivity(entity, properties);
  return { description, ...(level !== AccessLevel.PUBLIC ? { directives: [sensitiveDirectiveSdl(level)] } : {}) };
}

/** The least role that may run a query or mutation, beside its handler; shown in schema.gql as
 * `@requiresRole(role: ...)`. An operation without it is refused to everyone. */
export function RequiresRole(role: Role): MethodDecorator {
  return (target, property, descriptor) => {
    Directive(`@requiresRole(role: ${role})`)(target, property, descriptor);
  };
}
