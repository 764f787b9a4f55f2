import { registerEnumType } from '@nestjs/graphql';

/** Who may read something, from least to most trusted. Order matters: a viewer reads a level
 * when their clearance is at or above it. */
export enum AccessLevel {
  PUBLIC = 'PUBLIC',
  RESTRICTED = 'RESTRICTED',
  CONFIDENTIAL = 'CONFIDENTIAL',
}

export const ACCESS_LEVEL_ORDER: readonly AccessLevel[] = [
  AccessLevel.PUBLIC,
  AccessLevel.RESTRICTED,
  AccessLevel.CONFIDENTIAL,
];

export function rank(level: AccessLevel): number {
  return ACCESS_LEVEL_ORDER.indexOf(level);
}

/** Levels a viewer with `clearance` may read. */
export function levelsReadableWith(clearance: AccessLevel): AccessLevel[] {
  return ACCESS_LEVEL_ORDER.filter((level) => rank(level) <= rank(clearance));
}

registerEnumType(AccessLevel, {
  name: 'Confidentiality',
  description:
    'Who may see a whole record: PUBLIC (everyone), RESTRICTED (researchers and up), CONFIDENTIAL (editors and up). ' +
    'A record above the viewer\'s level is invisible and uncounted.',
});
