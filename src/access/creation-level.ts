import { AccessLevel, rank } from './access-level';

/**
 * The level a record is created at when its own input leaves `confidentiality` out. One rule, in
 * EditingService.create, for every path that creates records (the API's create mutations, the
 * records written inside another write, the import):
 *
 * - the type's own floor, declared beside the entity with @CreatedAtLeast: a person, or a source
 *   that is unpublished by nature, is never PUBLIC unless an editor says so in its own input;
 * - and, inside another record's write (a new source in a citation, a new person in an
 *   involvement...), at least the level of every record it is written inside (WriteContext.within),
 *   so that a write kept from a viewer does not publish its parts, nor when it happened.
 *
 * A pure link (@LevelFollowsEnds: a response's links to what it answers and who organised it) has
 * no content and no level input of its own; its visibility always follows the records it links
 * (DEPENDS_ON in record-visibility.ts), which is stricter than a copy taken at creation and does
 * not outlive an editor's later decision to publish the response.
 */

type Floor = AccessLevel | ((values: Record<string, unknown>) => AccessLevel);

const FLOORS = new Map<Function, Floor>();
const FOLLOW_ENDS = new Set<Function>();

/** Records of this type left without a level are created at least at `floor` (a level, or one
 * computed from the new record's values). */
export function CreatedAtLeast(floor: Floor): ClassDecorator {
  return (target) => {
    FLOORS.set(target, floor);
  };
}

/** A link without content whose visibility is that of the records it links: it does not take the
 * level of the write that creates it. */
export function LevelFollowsEnds(): ClassDecorator {
  return (target) => {
    FOLLOW_ENDS.add(target);
  };
}

/** The most restricted of `levels` (PUBLIC for none). */
export function highestLevel(...levels: (AccessLevel | null | undefined)[]): AccessLevel {
  return levels.reduce<AccessLevel>((a, b) => (b && rank(b) > rank(a) ? b : a), AccessLevel.PUBLIC);
}

/** The type's own floor for a new record with `values`. */
export function floorOf(entity: Function, values: Record<string, unknown>): AccessLevel {
  const floor = FLOORS.get(entity);
  if (floor === undefined) return AccessLevel.PUBLIC;
  return typeof floor === 'function' ? floor(values) : floor;
}

/** Whether records of `entity` take the level of the write they are created in. */
export function inheritsLevel(entity: Function): boolean {
  return !FOLLOW_ENDS.has(entity);
}

/** The level of a new record of `entity`: the one its input gives, else the highest of its type's
 * floor and the level of the records it is written inside (`within`; null at the top of a write). */
export function levelOnCreation(entity: Function, values: Record<string, unknown>, within: AccessLevel | null | undefined): AccessLevel {
  const given = values.confidentiality;
  if (given !== undefined && given !== null) return given as AccessLevel;
  return highestLevel(floorOf(entity, values), inheritsLevel(entity) ? within : null);
}
