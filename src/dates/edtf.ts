import { parse } from 'edtf';
import { DateFields, DatePrecision, formatAtPrecision, isoDate } from './date-precision';

/** A date Vigil cannot store as given; the message says why and what to write instead. */
export class EdtfError extends Error {}

interface EdtfDate {
  type: 'Date' | 'Year';
  values: number[];
  approximate?: boolean | number;
  uncertain?: boolean | number;
  unspecified?: number;
}

interface EdtfInterval {
  type: 'Interval';
  /** The parser gives Infinity for an open end ("..") and null for an unknown one (""). */
  values: [EdtfDate | number | null, EdtfDate | number | null];
}

const PRECISIONS = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY];

function readDate(node: EdtfDate, text: string) {
  if (node.type !== 'Date' && node.type !== 'Year') {
    throw new EdtfError(`"${text}": ${node.type} dates are not supported; give a year, month or day`);
  }
  if (node.unspecified) {
    throw new EdtfError(`"${text}": unspecified digits (X) are not supported; use an interval such as 2010/2019`);
  }
  if (typeof node.approximate === 'number' || typeof node.uncertain === 'number') {
    throw new EdtfError(`"${text}": qualifying one part of a date is not supported; qualify the whole date (2018-12~)`);
  }
  if (node.values.length > 3) {
    throw new EdtfError(`"${text}": a time of day is not stored; give the date only`);
  }
  const [year, month, day] = node.values;
  if (year < 1 || year > 9999) throw new EdtfError(`"${text}": the year must be between 1 and 9999`);
  return {
    start: isoDate(year, (month ?? 0) + 1, day ?? 1),
    precision: PRECISIONS[node.values.length - 1],
    approximate: node.approximate === true,
    uncertain: node.uncertain === true,
  };
}

/** Parses EDTF (ISO 8601-2) with the maintained `edtf` package: `2017-06-02`, `2018-12~`,
 * `2019?`, `2017-04%`, `2017-04/2017-06`, `2017-04/..`. Both ends of an interval share one
 * precision; a qualifier on either end qualifies the whole date. */
export function parseEdtf(text: string): DateFields {
  // The `edtf` parser (an Earley parser) took about 0.45 ms a date: a list's dateFrom and dateTo
  // were most of a millisecond per request (bench/README.md, "Page, round 2"). Valid dates only.
  const known = parsed.get(text);
  if (known) return { ...known };
  const fields = parseEdtfUncached(text);
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(text, fields);
  return { ...fields };
}

const parsed = new Map<string, DateFields>();
const MAX_PARSED = 10_000;

function parseEdtfUncached(text: string): DateFields {
  let node: EdtfDate | EdtfInterval;
  try {
    node = parse(text.trim()) as EdtfDate | EdtfInterval;
  } catch {
    throw new EdtfError(`"${text}" is not a valid EDTF date (examples: 2017-06-02, 2018-12~, 2017-04/2017-06)`);
  }
  if (node.type !== 'Interval') {
    return { ...readDate(node, text), end: null, openEnd: false };
  }
  const [lower, upper] = node.values;
  if (!lower || typeof lower === 'number') throw new EdtfError(`"${text}": an interval needs a known start`);
  const start = readDate(lower, text);
  if (upper === Infinity) return { ...start, end: null, openEnd: true };
  if (!upper || typeof upper === 'number') {
    throw new EdtfError(`"${text}": an unknown end is not supported; write ".." for a span that continues (2017-04/..)`);
  }
  const end = readDate(upper, text);
  if (end.precision !== start.precision) {
    throw new EdtfError(`"${text}": both ends of an interval must have the same precision`);
  }
  if (end.start < start.start) throw new EdtfError(`"${text}": the end is before the start`);
  return {
    start: start.start,
    // "2017-04/2017-04" is the single month 2017-04: stored, and written back, without an end.
    end: end.start === start.start ? null : end.start,
    precision: start.precision,
    approximate: start.approximate || end.approximate,
    uncertain: start.uncertain || end.uncertain,
    openEnd: false,
  };
}

/** Writes stored date fields as EDTF; parseEdtf(formatEdtf(x)) gives x back. */
export function formatEdtf(fields: DateFields): string {
  const q = fields.approximate && fields.uncertain ? '%' : fields.approximate ? '~' : fields.uncertain ? '?' : '';
  const start = formatAtPrecision(fields.start, fields.precision) + q;
  if (fields.openEnd) return `${start}/..`;
  if (fields.end && fields.end !== fields.start) return `${start}/${formatAtPrecision(fields.end, fields.precision)}${q}`;
  return start;
}
