import {
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLNamedInputType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { InputProblem, UserInputError } from '../common/errors';

/** A parsed query string: a name given once is a string, a repeated one an array. */
export type QueryString = Record<string, string | string[] | undefined>;

export interface ParameterSpec {
  /** The GraphQL input type of the list's filter (IncidentFilter...): each of its fields is a
   * parameter of the same name, and a field of a nested input is `field.sub` (`victims.min`). */
  filter: GraphQLInputObjectType;
  /** The export's other parameters (orderBy, bom...), with their GraphQL types. */
  options: Readonly<Record<string, GraphQLInputType>>;
}

export interface Parameters {
  /** A plain object shaped like the GraphQL argument, for validateInput with the filter's class. */
  filter: Record<string, unknown>;
  options: Record<string, unknown>;
}

interface Leaf {
  type: GraphQLNamedInputType;
  list: boolean;
}

/** Filter fields as parameter names: nested inputs are flattened with a dot, one level deep or
 * more; lists of inputs have no query-string form and are not offered. */
function leavesOf(type: GraphQLInputObjectType, prefix = '', out = new Map<string, Leaf>()): Map<string, Leaf> {
  for (const field of Object.values(type.getFields())) {
    let t: GraphQLInputType = field.type;
    if (isNonNullType(t)) t = t.ofType;
    let list = false;
    if (isListType(t)) {
      list = true;
      t = t.ofType;
      if (isNonNullType(t)) t = t.ofType;
    }
    if (isListType(t)) continue;
    const name = `${prefix}${field.name}`;
    if (isInputObjectType(t)) {
      if (!list) leavesOf(t, `${name}.`, out);
    } else {
      out.set(name, { type: t as GraphQLNamedInputType, list });
    }
  }
  return out;
}

function leafOf(type: GraphQLInputType): Leaf {
  let t = isNonNullType(type) ? type.ofType : type;
  let list = false;
  if (isListType(t)) {
    list = true;
    t = isNonNullType(t.ofType) ? t.ofType.ofType : t.ofType;
  }
  return { type: t as GraphQLNamedInputType, list };
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** One value as its GraphQL type would take it, or a problem saying what it must be. */
function coerce(raw: string, type: GraphQLNamedInputType): { value: unknown } | { problem: string } {
  if (raw.includes('\0')) return { problem: 'must not contain a NUL character' };
  if (isEnumType(type)) {
    const value = type.getValue(raw);
    return value ? { value: value.value } : { problem: `must be one of ${type.getValues().map((v) => v.name).join(', ')}` };
  }
  if (!isScalarType(type)) return { problem: 'is not supported as a query parameter' };
  switch (type.name) {
    case 'String':
    case 'ID':
      return { value: raw };
    case 'Int':
      return /^-?\d{1,10}$/.test(raw) && Math.abs(Number(raw)) <= 2 ** 31 - 1 ? { value: Number(raw) } : { problem: 'must be a whole number' };
    case 'Float':
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw) && Number.isFinite(Number(raw)) ? { value: Number(raw) } : { problem: 'must be a number' };
    case 'Boolean':
      return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : { problem: 'must be true or false' };
    case 'DateTime': {
      // A `+` in a query string reads as a space: take "T10:00:00 02:00" as the offset +02:00.
      const text = raw.replace(/ (\d{2}:?\d{2})$/, '+$1');
      const date = new Date(text);
      const problem = 'must be an ISO 8601 date or date-time, e.g. 2026-11-01T00:00:00Z';
      if (!ISO_DATE_TIME.test(text) || Number.isNaN(date.getTime())) return { problem };
      try {
        // The scalar's own rules too (a day that does not exist, such as 2019-02-29).
        return { value: type.parseValue(text) };
      } catch {
        return { problem };
      }
    }
    default:
      try {
        return { value: type.parseValue(raw) };
      } catch {
        return { problem: `must be a ${type.name}` };
      }
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = target;
  for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
  at[parts.at(-1)!] = value;
}

/**
 * Reads an export's query string with the types of the GraphQL list's filter, so a parameter
 * means exactly what the same filter field means in GraphQL. A list takes repeated parameters,
 * comma-separated values, or both (`kinds=DETENTION&kinds=KILLING`, `kinds=DETENTION,KILLING`).
 * An unknown parameter, a value of the wrong type and a single-valued parameter given twice are
 * bad input naming the parameter, all listed at once. The result still needs validateInput with
 * the filter's class (lengths, ranges, calendar dates).
 */
export function readParameters(query: QueryString, spec: ParameterSpec): Parameters {
  const filterLeaves = leavesOf(spec.filter);
  const problems: InputProblem[] = [];
  const result: Parameters = { filter: {}, options: {} };
  for (const [name, given] of Object.entries(query)) {
    if (given === undefined) continue;
    const option = Object.prototype.hasOwnProperty.call(spec.options, name) ? leafOf(spec.options[name]) : undefined;
    const leaf = option ?? filterLeaves.get(name);
    if (!leaf) {
      problems.push({ path: name, message: 'is not a parameter of this export' });
      continue;
    }
    const raws = Array.isArray(given) ? given : [given];
    if (!leaf.list && raws.length > 1) {
      problems.push({ path: name, message: 'is given more than once' });
      continue;
    }
    const pieces = leaf.list ? raws.flatMap((r) => r.split(',')) : raws;
    const values: unknown[] = [];
    for (const [i, piece] of pieces.entries()) {
      const coerced = coerce(piece, leaf.type);
      if ('problem' in coerced) problems.push({ path: leaf.list ? `${name}[${i}]` : name, message: coerced.problem });
      else values.push(coerced.value);
    }
    const value = leaf.list ? values : values[0];
    if (option) result.options[name] = value;
    else setPath(result.filter, name, value);
  }
  if (problems.length) throw new UserInputError(problems);
  return result;
}

/** Every parameter an export takes, for documentation and error messages. */
export function parameterNames(spec: ParameterSpec): string[] {
  return [...leavesOf(spec.filter).keys(), ...Object.keys(spec.options)];
}
