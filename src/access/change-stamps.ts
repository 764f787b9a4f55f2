import { AccessLevel, ACCESS_LEVEL_ORDER, rank } from './access-level';
import { highestSensitivity } from './sensitive.decorator';
import { Viewer } from './viewer';

/**
 * Change stamps: what each clearance is told about when a record last changed.
 *
 * A record's `version` and `updatedAt` move on every write; shown to everyone, they would tell the
 * public when a protected field (a victim's contact, exact coordinates, internal notes) changed. So
 * every record also keeps, for each clearance below the top one, its own version and time of last
 * change, which move only when something a viewer at that clearance may read changed: a field at or
 * below that level, while the record was visible at that level before or after the write (its
 * appearing or leaving counts). Viewers at the top clearance (editors) are served the true version,
 * which optimistic locking checks.
 *
 * Every path out reads the stamp through this module: GraphQL `version` and `updatedAt` (at any
 * depth: VigilRecord's field middleware), `updatedSince`, the `UPDATED_DESC` orders and their
 * cursors, and the exports' `updated_at` columns.
 */

/** Clearances with a stamp of their own; the top one reads the record's own version. */
export const STAMPED_LEVELS: readonly AccessLevel[] = ACCESS_LEVEL_ORDER.slice(0, -1);

interface StampColumns {
  /** Entity properties. */
  version: 'version' | 'publicVersion' | 'restrictedVersion';
  updatedAt: 'updatedAt' | 'publicUpdatedAt' | 'restrictedUpdatedAt';
  /** Database columns. */
  versionColumn: string;
  updatedAtColumn: string;
}

const STAMPS: Record<AccessLevel, StampColumns> = {
  [AccessLevel.PUBLIC]: { version: 'publicVersion', updatedAt: 'publicUpdatedAt', versionColumn: 'public_version', updatedAtColumn: 'public_updated_at' },
  [AccessLevel.RESTRICTED]: {
    version: 'restrictedVersion',
    updatedAt: 'restrictedUpdatedAt',
    versionColumn: 'restricted_version',
    updatedAtColumn: 'restricted_updated_at',
  },
  [AccessLevel.CONFIDENTIAL]: { version: 'version', updatedAt: 'updatedAt', versionColumn: 'version', updatedAtColumn: 'updated_at' },
};

/** The entity properties that hold stamps (not content: left out of revisions and diffs). */
export const STAMP_PROPERTIES: ReadonlySet<string> = new Set(STAMPED_LEVELS.flatMap((l) => [STAMPS[l].version, STAMPS[l].updatedAt]));

export function stampOf(viewer: Viewer): StampColumns {
  return STAMPS[viewer.clearance];
}

/** SQL for the time of the last change `viewer` may know of, on the row `alias`. */
export function updatedAtSql(alias: string, viewer: Viewer): string {
  return `${alias}.${stampOf(viewer).updatedAtColumn}`;
}

/** The version and time of the last change of `record` that `viewer` may know of. Fails closed: a
 * record read without its stamps is an error, never the true version. */
export function servedStamp(record: object, viewer: Viewer, field: 'version' | 'updatedAt'): unknown {
  const property = stampOf(viewer)[field];
  const value = (record as Record<string, unknown>)[property];
  if (value === undefined) throw new Error(`${record.constructor.name} was read without its ${property}`);
  return value;
}

/** What a write does to the record's visibility at one level: the least clearance that could see it
 * before and after (CONFIDENTIAL while it is deleted or links a deleted record). */
export interface Seen {
  before: AccessLevel;
  after: AccessLevel;
}

/** The levels whose stamps a write moves: those at which the record was visible before or after it,
 * and at which either its visibility changed or a field readable there changed. */
export function levelsToStamp(entity: Function, changedProperties: string[], seen: Seen): AccessLevel[] {
  const fieldLevels = changedProperties.map((p) => highestSensitivity(entity, [p]));
  return STAMPED_LEVELS.filter((level) => {
    const before = rank(seen.before) <= rank(level);
    const after = rank(seen.after) <= rank(level);
    if (!before && !after) return false;
    return before !== after || fieldLevels.some((f) => rank(f) <= rank(level));
  });
}

/** SQL SET clause moving the stamps of `levels` to `at` (by default the record's own time of
 * change, set by the same write). The version of a stamp counts the changes a viewer at that level
 * could see, its own or its coming into or leaving their view. */
export function stampAssignments(levels: readonly AccessLevel[], at = 'updated_at'): string {
  return levels.map((l) => `${STAMPS[l].versionColumn} = ${STAMPS[l].versionColumn} + 1, ${STAMPS[l].updatedAtColumn} = ${at}`).join(', ');
}

/** Stamp columns in the order the generator and the migration write them. */
export const STAMP_COLUMNS: readonly { level: AccessLevel; version: string; updatedAt: string }[] = STAMPED_LEVELS.map((level) => ({
  level,
  version: STAMPS[level].versionColumn,
  updatedAt: STAMPS[level].updatedAtColumn,
}));
