import { UserInputError } from './errors';

/** Opaque keyset cursors: base64url JSON of the sort key values and the id tiebreaker. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, expectedLength: number, argument = 'after'): unknown[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw UserInputError.of(argument, 'malformed cursor; pass an endCursor or edge cursor from this list');
  }
  if (!Array.isArray(values) || values.length !== expectedLength || values.some((v) => typeof v === 'object' && v !== null)) {
    throw UserInputError.of(argument, 'malformed cursor; pass an endCursor or edge cursor from this list');
  }
  return values;
}
