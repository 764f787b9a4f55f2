import { GraphQLError } from 'graphql';

export interface InputProblem {
  /** Argument or input path, e.g. `filter.regions[0]` or `first`. */
  path: string;
  message: string;
}

/** Bad input from the caller: names every bad argument and why. Never carries a stored value. */
export class UserInputError extends GraphQLError {
  constructor(problems: InputProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '), {
      extensions: { code: 'BAD_USER_INPUT', problems },
    });
  }

  static of(path: string, message: string): UserInputError {
    return new UserInputError([{ path, message }]);
  }
}

export class NotFoundError extends GraphQLError {
  constructor(what: string) {
    super(`${what} not found`, { extensions: { code: 'NOT_FOUND' } });
  }
}

/** The caller may not do this. Says what, never which stored values are involved. */
export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}

/** A write based on a version that is no longer current: nothing was written. Carries the current
 * version so the editor can reload, compare and try again. */
export class ConflictError extends GraphQLError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code: 'CONFLICT', ...extensions } });
  }
}
