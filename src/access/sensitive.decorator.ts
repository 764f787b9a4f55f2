import { Directive } from '@nestjs/graphql';
import { AccessLevel } from './access-level';

/** One declaration of a field's sensitivity, beside the field. It is recorded in
 * SENSITIVE_FIELDS (read by exports and tests) and shown in schema.gql as `@sensitive(level: ...)`,
 * which the GraphQL enforcement reads. */
export interface SensitiveFieldDeclaration {
  target: Function;
  property: string;
  level: AccessLevel;
  reason: string;
}

export const SENSITIVE_FIELDS: SensitiveFieldDeclaration[] = [];

export function Sensitive(level: Exclude<AccessLevel, AccessLevel.PUBLIC>, reason: string): PropertyDecorator {
  return (target, property) => {
    SENSITIVE_FIELDS.push({ target: target.constructor, property: String(property), level, reason });
    Directive(`@sensitive(level: ${level})`)(target, property);
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
