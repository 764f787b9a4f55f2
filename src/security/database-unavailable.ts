import type { FastifyReply } from 'fastify';

/** Errors that mean PostgreSQL cannot be reached or is restarting, as opposed to a failed
 * statement: the caller should try again later (503), and nothing is wrong with the request. */
const UNAVAILABLE_CODES = new Set([
  // Node network errors.
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections,
  // and the whole class 08 (connection exceptions), checked below.
  '57P01', '57P02', '57P03', '53300',
]);

// node-postgres and pg-pool raise these without a code.
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
  /^Connection is not established with postgres database/,
];

/** True when `error` (or what it wraps: TypeORM's driverError, a cause) says the database is
 * unreachable. Reads codes and driver messages only. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; originalError?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code))) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(e.message as string))) return true;
  return [e.driverError, e.cause, e.originalError].some((inner) => inner !== error && isDatabaseUnavailable(inner, depth + 1));
}

/** A statement cancelled by statement_timeout (SQLSTATE 57014). */
export function isStatementTimeout(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; driverError?: unknown; originalError?: unknown };
  if (e.code === '57014') return true;
  return [e.driverError, e.originalError].some((inner) => inner !== error && isStatementTimeout(inner, depth + 1));
}

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable; try again in a few seconds';

/** A 503 answered outside GraphQL execution (HTTP hooks) while the database cannot be reached. */
export function sendDatabaseUnavailable(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .header('Retry-After', '5')
    .send({ data: null, errors: [{ message: DATABASE_UNAVAILABLE_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
}
