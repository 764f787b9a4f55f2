import { registerEnumType } from '@nestjs/graphql';

/** How much of a date the sources actually give. */
export enum DatePrecision {
  DAY = 'DAY',
  MONTH = 'MONTH',
  YEAR = 'YEAR',
}

registerEnumType(DatePrecision, {
  name: 'DatePrecision',
  description: 'How much of a date the sources give: a MONTH-precision date covers the whole month.',
});

/** The parts of a date with precision, as stored. Dates are ISO `YYYY-MM-DD` strings holding the
 * first day of the period the precision names ("2017-04" is stored as 2017-04-01). */
export interface DateFields {
  start: string;
  end: string | null;
  precision: DatePrecision;
  approximate: boolean;
  uncertain: boolean;
  openEnd: boolean;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Truncates an ISO date to the first day of its period at `precision`. */
export function truncate(date: string, precision: DatePrecision): string {
  const [y, m] = date.split('-').map(Number);
  if (precision === DatePrecision.YEAR) return isoDate(y, 1, 1);
  if (precision === DatePrecision.MONTH) return isoDate(y, m, 1);
  return date;
}

/** The last day of the period starting at `date` with `precision`. */
export function lastDayOf(date: string, precision: DatePrecision): string {
  const [y, m] = date.split('-').map(Number);
  if (precision === DatePrecision.YEAR) return isoDate(y, 12, 31);
  if (precision === DatePrecision.MONTH) return isoDate(y, m, daysInMonth(y, m));
  return date;
}

/** The whole span a date covers: "2017-04" runs from 2017-04-01 to 2017-04-30.
 * An open end ("since April 2017") has no latest day. Mirrors the `*_latest` generated columns. */
export function spanOf(fields: DateFields): { earliest: string; latest: string | null } {
  const earliest = truncate(fields.start, fields.precision);
  if (fields.openEnd) return { earliest, latest: null };
  return { earliest, latest: lastDayOf(fields.end ?? fields.start, fields.precision) };
}

/** Renders the part of `date` that `precision` keeps: 2017, 2017-04 or 2017-04-02. */
export function formatAtPrecision(date: string, precision: DatePrecision): string {
  if (precision === DatePrecision.YEAR) return date.slice(0, 4);
  if (precision === DatePrecision.MONTH) return date.slice(0, 7);
  return date.slice(0, 10);
}

/** SQL for the last day a stored date covers, for a generated column (`infinity` when open).
 * Kept beside spanOf so the two stay the same rule. */
export function latestDaySql(prefix: string): string {
  const at = `coalesce(${prefix}_end, ${prefix}_start)::timestamp`;
  return (
    `CASE WHEN ${prefix}_open_end THEN 'infinity'::date ` +
    `WHEN ${prefix}_precision = 'DAY' THEN coalesce(${prefix}_end, ${prefix}_start) ` +
    `WHEN ${prefix}_precision = 'MONTH' THEN (date_trunc('month', ${at}) + interval '1 month - 1 day')::date ` +
    `ELSE (date_trunc('year', ${at}) + interval '1 year - 1 day')::date END`
  );
}
