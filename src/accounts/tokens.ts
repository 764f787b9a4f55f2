import { createHash, randomBytes } from 'node:crypto';

/** Every token starts with this, so leaked tokens are easy to recognise (and to scan for). */
export const TOKEN_PREFIX = 'vigil_';
const PREFIX_SHOWN = TOKEN_PREFIX.length + 6;

/** A new token: 32 random bytes (256 bits) from the operating system's CSPRNG. */
export function generateToken(): { token: string; hash: string; prefix: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token), prefix: token.slice(0, PREFIX_SHOWN) };
}

/** Tokens carry 256 bits of entropy, so a fast hash is enough: no guess can be brute-forced from
 * it. (argon2id is for passwords, which are guessable; Vigil has none.) */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token as sent by a client: well-formed or not (checked before any database lookup). */
export function looksLikeToken(value: string): boolean {
  return /^vigil_[A-Za-z0-9_-]{43}$/.test(value);
}

/** The token of an `Authorization: Bearer <token>` header, or null when the header is not that. */
export function bearerToken(authorization: string): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] ?? null;
}
