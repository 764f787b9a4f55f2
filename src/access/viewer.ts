import { AccessLevel, levelsReadableWith, rank } from './access-level';
import { CLEARANCE, Role, roleAtLeast } from './role';

/** Who is asking. Every read path takes a Viewer and asks it, never a role name directly. */
export class Viewer {
  readonly clearance: AccessLevel;

  constructor(
    readonly role: Role,
    readonly accountId: string | null = null,
    /** For the audit log: the account's email, or who ran the command line. */
    readonly label: string | null = null,
  ) {
    this.clearance = CLEARANCE[role];
  }

  /** Record confidentiality levels this viewer may see. */
  get readableLevels(): AccessLevel[] {
    return levelsReadableWith(this.clearance);
  }

  mayRead(level: AccessLevel): boolean {
    return rank(level) <= rank(this.clearance);
  }

  hasRole(minimum: Role): boolean {
    return roleAtLeast(this.role, minimum);
  }
}

/** A request without credentials: sees PUBLIC records and PUBLIC fields only. */
export const ANONYMOUS = new Viewer(Role.PUBLIC);
