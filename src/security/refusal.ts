import { GraphQLError } from 'graphql';

/** Why a request was refused before it ran, and the HTTP status that says so. */
export const REFUSAL_STATUS = {
  QUERY_TOO_DEEP: 400,
  QUERY_TOO_COMPLEX: 400,
  TOO_MANY_ALIASES: 400,
  TOO_MANY_OPERATIONS: 400,
  QUERY_TOO_LARGE: 400,
  INTROSPECTION_DISABLED: 400,
  BAD_REQUEST: 400,
  CSRF_REFUSED: 400,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
} as const;

export type RefusalCode = keyof typeof REFUSAL_STATUS;

/** Numbers that explain a refusal (`limit`, `measured`, `retryAfter`); never request values. */
export type RefusalDetails = Record<string, number | string>;

export function isRefusalCode(code: unknown): code is RefusalCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(REFUSAL_STATUS, code);
}

/** A request refused by a limit or an HTTP protection, as a GraphQL error. */
export class RequestRefused extends GraphQLError {
  constructor(
    readonly code: RefusalCode,
    message: string,
    details: RefusalDetails = {},
  ) {
    super(message, { extensions: { code, ...details } });
  }

  get status(): number {
    return REFUSAL_STATUS[this.code];
  }
}

/** The body of a refusal answered outside GraphQL execution (HTTP hooks), in the same shape as a
 * GraphQL response, so clients read one format. */
export function refusalBody(code: RefusalCode, message: string, details: RefusalDetails = {}) {
  return { data: null, errors: [{ message, extensions: { code, ...details } }] };
}
