import { registerEnumType } from '@nestjs/graphql';
import { AccessLevel } from './access-level';

/** Who is asking, from least to most trusted. PUBLIC is the anonymous caller; the others are
 * account roles. Order matters: a role may do what every role below it may do. */
export enum Role {
  PUBLIC = 'PUBLIC',
  RESEARCHER = 'RESEARCHER',
  EDITOR = 'EDITOR',
  ADMIN = 'ADMIN',
}

export const ROLE_ORDER: readonly Role[] = [Role.PUBLIC, Role.RESEARCHER, Role.EDITOR, Role.ADMIN];

/** The most sensitive level each role may read. */
export const CLEARANCE: Readonly<Record<Role, AccessLevel>> = {
  [Role.PUBLIC]: AccessLevel.PUBLIC,
  [Role.RESEARCHER]: AccessLevel.RESTRICTED,
  [Role.EDITOR]: AccessLevel.CONFIDENTIAL,
  [Role.ADMIN]: AccessLevel.CONFIDENTIAL,
};

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(minimum);
}

registerEnumType(Role, { name: 'Role', description: 'Who is asking; PUBLIC is a caller without a token.' });

/** Roles an account can hold (PUBLIC is the absence of an account). */
export enum AccountRole {
  RESEARCHER = 'RESEARCHER',
  EDITOR = 'EDITOR',
  ADMIN = 'ADMIN',
}

registerEnumType(AccountRole, {
  name: 'AccountRole',
  description:
    'RESEARCHER: vetted reader, sees RESTRICTED fields and records. EDITOR: writes, and sees CONFIDENTIAL material. ' +
    'ADMIN: everything an editor may, plus accounts and the audit log.',
});
