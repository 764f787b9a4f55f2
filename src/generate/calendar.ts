/* Days as integers (days since 1970-01-01, UTC) with O(1) conversion to ISO text, for the years the
 * generator writes. Millions of dates are formatted, so they come from a table, not from Date. */

const MS_PER_DAY = 86_400_000;

export const CALENDAR_FIRST_YEAR = 1999;
export const CALENDAR_LAST_YEAR = 2027;

export function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

const FIRST = dayOf(CALENDAR_FIRST_YEAR, 1, 1);
const LAST = dayOf(CALENDAR_LAST_YEAR, 12, 31);
const SIZE = LAST - FIRST + 1;
const ISO: string[] = new Array<string>(SIZE);
const YEAR = new Int16Array(SIZE);
const MONTH = new Int8Array(SIZE);
const DAY = new Int8Array(SIZE);
for (let i = 0; i < SIZE; i++) {
  const date = new Date((FIRST + i) * MS_PER_DAY);
  ISO[i] = date.toISOString().slice(0, 10);
  YEAR[i] = date.getUTCFullYear();
  MONTH[i] = date.getUTCMonth() + 1;
  DAY[i] = date.getUTCDate();
}

function index(day: number): number {
  const i = day - FIRST;
  if (i < 0 || i >= SIZE || !Number.isInteger(i)) throw new RangeError(`day ${day} is outside ${CALENDAR_FIRST_YEAR}-${CALENDAR_LAST_YEAR}`);
  return i;
}

/** `YYYY-MM-DD`. */
export function isoOf(day: number): string {
  return ISO[index(day)];
}

export function yearOf(day: number): number {
  return YEAR[index(day)];
}

export function monthOf(day: number): number {
  return MONTH[index(day)];
}

export function dayOfMonth(day: number): number {
  return DAY[index(day)];
}

/** The first day of the day's month. */
export function monthStart(day: number): number {
  return day - DAY[index(day)] + 1;
}

/** The first day of the day's year. */
export function yearStart(day: number): number {
  return dayOf(YEAR[index(day)], 1, 1);
}

/** The first day of the month `months` after the day's month. */
export function addMonths(day: number, months: number): number {
  const i = index(day);
  return dayOf(YEAR[i], MONTH[i] + months, 1);
}

/** The last day of the day's month. */
export function monthEnd(day: number): number {
  return addMonths(day, 1) - 1;
}

/** A timestamp (`YYYY-MM-DD HH:MM:SS+00`) on the given day at `secondOfDay`. */
export function timestampOf(day: number, secondOfDay: number): string {
  const s = Math.max(0, Math.min(86_399, Math.floor(secondOfDay)));
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${isoOf(day)} ${hh}:${mm}:${ss}+00`;
}

export const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

const WEEKDAYS = ['Thursday', 'Friday', 'Saturday', 'Sunday', 'Monday', 'Tuesday', 'Wednesday'] as const;

/** English weekday name (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): string {
  return WEEKDAYS[((day % 7) + 7) % 7];
}
