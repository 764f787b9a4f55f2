import { escapeLiteral } from 'pg';

// pg's own serialisation of a bound parameter (dates, arrays, objects), which @types/pg does not
// declare: inlining it gives PostgreSQL exactly the text the parameter would have carried.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = (require('pg') as { utils: { prepareValue(value: unknown): unknown } }).utils;

/** The SQL literal for one parameter value: `NULL`, or pg's text for it quoted with pg's
 * escapeLiteral. Like a bound parameter, the literal has no type of its own, so PostgreSQL infers
 * the same type from its context. */
export function sqlLiteral(value: unknown): string {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  if (typeof prepared !== 'string') {
    // Buffers (bytea) never occur in a filter; escapeLiteral would quote them as '' silently.
    throw new TypeError(`Cannot inline a parameter of type ${typeof prepared}`);
  }
  if (prepared.includes('\0')) {
    // The protocol sends a statement as a C string: a NUL would cut it short.
    throw new TypeError('Cannot inline a parameter holding a NUL character');
  }
  return escapeLiteral(prepared);
}

/**
 * `sql` with each placeholder `$1`, `$2`, ... replaced by `replace(n)`. Placeholders are
 * recognised only in SQL text proper: never inside quoted strings, quoted identifiers,
 * dollar-quoted bodies or comments. One pass, so replaced text is never scanned again. `$10` is
 * placeholder ten, not placeholder one followed by a zero.
 */
export function replacePlaceholders(sql: string, replace: (index: number) => string): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  const copyUntil = (end: number) => {
    out += sql.slice(i, end);
    i = end;
  };
  while (i < n) {
    const c = sql[i];
    if (c === "'") {
      // A standard string ('' escapes a quote); an E'' string also escapes with a backslash.
      const escapeString = i > 0 && /[eE]/.test(sql[i - 1]) && (i < 2 || !/[\w$]/.test(sql[i - 2]));
      let j = i + 1;
      while (j < n) {
        if (escapeString && sql[j] === '\\') j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j += 1;
      }
      copyUntil(Math.min(j + 1, n));
    } else if (c === '"') {
      let j = i + 1;
      while (j < n && !(sql[j] === '"' && sql[j + 1] !== '"')) j += sql[j] === '"' ? 2 : 1;
      copyUntil(Math.min(j + 1, n));
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      copyUntil(end === -1 ? n : end);
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      copyUntil(end === -1 ? n : end + 2);
    } else if (c === '$') {
      const placeholder = /^\$(\d+)/.exec(sql.slice(i, i + 12));
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66));
      const precededByWord = i > 0 && /[\w$]/.test(sql[i - 1]);
      if (placeholder && !precededByWord) {
        out += replace(Number(placeholder[1]));
        i += placeholder[0].length;
      } else if (tag && !precededByWord) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        copyUntil(end === -1 ? n : end + tag[0].length);
      } else {
        copyUntil(i + 1);
      }
    } else {
      let j = i + 1;
      while (j < n && !`'"-/$`.includes(sql[j])) j += 1;
      copyUntil(j);
    }
  }
  return out;
}

/** `sql` with its parameters written in as literals, for statements that take no bind parameters
 * (`COPY (SELECT ...) TO STDOUT`). A value that itself reads `$2` stays a value. */
export function inlineParameters(sql: string, parameters: readonly unknown[]): string {
  return replacePlaceholders(sql, (index) => {
    if (index < 1 || index > parameters.length) throw new RangeError(`$${index} has no parameter`);
    return sqlLiteral(parameters[index - 1]);
  });
}

/** `sql` with its placeholders numbered from `offset + 1`, to follow another statement's
 * parameters (a UNION of two query builders' statements). */
export function shiftPlaceholders(sql: string, offset: number): string {
  return replacePlaceholders(sql, (index) => `$${index + offset}`);
}
