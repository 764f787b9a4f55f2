import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserInputError } from './errors';

/** Base64url JSON of the sort key values: for cursors that carry only public values (the
 * timeline's date, kind and id). Lists use sealed cursors (sealCursor). */
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

/*
 * Sealed cursors. A list's cursor holds its row's sort key values, and a sort key can be a
 * protected value (a person's full name under orderBy: FULL_NAME): it is encrypted and
 * authenticated with AES-256-GCM, so a cursor tells nothing and cannot be forged or altered.
 * The ordering is the additional authenticated data: a cursor of one ordering or list is refused
 * by another.
 *
 * The key is derived (HKDF-SHA-256) from a random secret the service keeps in its own database
 * (`service_secret`, made on first use), not from configuration: every process of a deployment
 * shares it with nothing to set up, and whoever could read it can read the data anyway. Removing
 * the row (and restarting) rotates it; outstanding cursors are then refused, and clients start over.
 */

const SECRET_NAME = 'cursor';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** One key per database (tests run several in one process). */
const keys = new WeakMap<DataSource, Promise<Buffer>>();

async function loadKey(dataSource: DataSource): Promise<Buffer> {
  // On the primary (TypeORM's default for query()); the first process to ask makes it.
  await dataSource.query('INSERT INTO service_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [SECRET_NAME, randomBytes(32)]);
  const [row] = (await dataSource.query('SELECT value FROM service_secret WHERE name = $1', [SECRET_NAME])) as { value: Buffer }[];
  return Buffer.from(hkdfSync('sha256', row.value, Buffer.alloc(0), 'vigil list cursor v1', 32));
}

/** The cursor key of this database; read once per process. */
export function cursorKey(dataSource: DataSource): Promise<Buffer> {
  let key = keys.get(dataSource);
  if (!key) {
    key = loadKey(dataSource).catch((error) => {
      keys.delete(dataSource); // a database that was down is asked again next time
      throw error;
    });
    keys.set(dataSource, key);
  }
  return key;
}

/** An opaque cursor for `values` under `ordering`. */
export function sealCursor(key: Buffer, ordering: string, values: unknown[]): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(ordering, 'utf8'));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The values of a cursor sealCursor made under `ordering`; BAD_USER_INPUT naming `argument` for
 * anything else (altered, forged, from another list or ordering, or from before a key rotation). */
export function openCursor(key: Buffer, ordering: string, cursor: string, expectedLength: number, argument = 'after'): unknown[] {
  const refused = () => UserInputError.of(argument, 'malformed cursor; pass an endCursor or edge cursor from this list, with the same orderBy');
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES || bytes.toString('base64url') !== cursor) throw refused();
  let values: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(ordering, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    values = JSON.parse(plain.toString('utf8'));
  } catch {
    throw refused();
  }
  if (!Array.isArray(values) || values.length !== expectedLength || values.some((v) => typeof v === 'object' && v !== null)) throw refused();
  return values;
}
