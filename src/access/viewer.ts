import { AccessLevel, levelsReadableWith, rank } from './access-level';

/** Who is asking. Every read path takes a Viewer and asks it, never a role name directly. */
export class Viewer {
  constructor(
    readonly clearance: AccessLevel,
    readonly accountId: string | null = null,
  ) {}

  /** Record confidentiality levels this viewer may see. */
  get readableLevels(): AccessLevel[] {
    return levelsReadableWith(this.clearance);
  }

  mayRead(level: AccessLevel): boolean {
    return rank(level) <= rank(this.clearance);
  }
}

/** A request without credentials: sees PUBLIC records and PUBLIC fields only. */
export const ANONYMOUS = new Viewer(AccessLevel.PUBLIC);
