import { DatePrecision, formatAtPrecision, lastDayOf } from './date-precision';
import { EdtfError, parseEdtf } from './edtf';

/** The period a filter bound names: `2017` is the whole year, `2017-04` the month, `2017-04-01`
 * the day. A bound is one EDTF date without qualifiers: "from about April" is not a bound. */
export interface DatePeriod {
  first: string;
  last: string;
  precision: DatePrecision;
}

export const DATE_BOUND_EXPECTED = 'must be a year, month or day (EDTF), e.g. 2017, 2017-04 or 2017-04-01';

/** Reads a filter bound, or says what is wrong with it (null: not a bound). */
export function readDateBound(text: unknown): DatePeriod | null {
  if (typeof text !== 'string' || !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(text)) return null;
  try {
    const fields = parseEdtf(text);
    if (fields.end || fields.openEnd) return null;
    return { first: fields.start, last: lastDayOf(fields.start, fields.precision), precision: fields.precision };
  } catch (error) {
    if (error instanceof EdtfError) return null;
    throw error;
  }
}

export function isDateBound(text: unknown): boolean {
  return readDateBound(text) !== null;
}

/** The bound written back at its own precision (for messages and links). */
export function formatDateBound(period: DatePeriod): string {
  return formatAtPrecision(period.first, period.precision);
}
