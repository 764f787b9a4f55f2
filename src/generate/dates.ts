import { addMonths, dayOf, dayOfMonth, isoOf, MONTH_NAMES, monthOf, monthStart, weekdayOf, yearOf, yearStart } from './calendar';
import { Cell } from './copy';
import { Random, WeightedChoice } from './random';

/* Dates with precision as Vigil stores them (docs/dates-and-counts.md), written straight to columns,
 * so they follow the CHECK rules by construction: a MONTH date starts on the 1st, a YEAR date on
 * 1 January, an interval's end is the first day of its last period and after its start, and an open
 * span has no end. */

export type Precision = 'DAY' | 'MONTH' | 'YEAR';

export interface DateProfile {
  precision: WeightedChoice<Precision>;
  /** Share of intervals (start and end). */
  interval: number;
  /** Share of open spans ("since April 2017"). */
  open: number;
  approximate: number;
  uncertain: number;
  /** Share with the source's own words ("late December"). */
  asReported: number;
  /** Intervals of years (a campaign of abuse) rather than of days or months (one incident). */
  longSpans: boolean;
}

export interface GeneratedDate {
  /** First day, as a day number. */
  start: number;
  /** First day of the last period of an interval, or null. */
  end: number | null;
  precision: Precision;
  openEnd: boolean;
  /** `<prefix>_start, _end, _precision, _approximate, _uncertain, _open_end, _as_reported`. */
  cells: Cell[];
}

export const DATE_COLUMNS = ['start', 'end', 'precision', 'approximate', 'uncertain', 'open_end', 'as_reported'] as const;

export function dateColumns(prefix: string): string[] {
  return DATE_COLUMNS.map((c) => `${prefix}_${c}`);
}

/** The first day of the period of `precision` that holds `day`. */
export function truncateDay(day: number, precision: Precision): number {
  return precision === 'DAY' ? day : precision === 'MONTH' ? monthStart(day) : yearStart(day);
}

/** A date around `day`, no later than `latest` (the end of an interval is clamped to it). */
export function generateDate(random: Random, day: number, profile: DateProfile, latest: number, openShare = profile.open): GeneratedDate {
  const precision = profile.precision.pick(random);
  const start = truncateDay(day, precision);
  let end: number | null = null;
  let openEnd = false;
  const form = random.float();
  if (form < openShare) {
    openEnd = true;
  } else if (form < openShare + profile.interval) {
    const long = profile.longSpans;
    const candidate =
      precision === 'DAY'
        ? day + (long ? random.int(30, 2000) : random.heavyTail(1, 365, 1.2))
        : precision === 'MONTH'
          ? addMonths(start, long ? random.int(2, 60) : random.int(1, 8))
          : dayOf(yearOf(start) + random.int(1, long ? 6 : 4), 1, 1);
    const last = truncateDay(latest, precision);
    const clamped = Math.min(candidate, last);
    if (clamped > start) end = clamped;
  }
  const approximate = random.chance(profile.approximate);
  const uncertain = random.chance(profile.uncertain);
  const asReported = random.chance(profile.asReported) ? reportedDate(random, start, end, precision, openEnd) : null;
  return { start, end, precision, openEnd, cells: [isoOf(start), end === null ? null : isoOf(end), precision, approximate, uncertain, openEnd, asReported] };
}

function spoken(day: number, precision: Precision, withYear = true): string {
  const year = withYear ? ` ${yearOf(day)}` : '';
  if (precision === 'YEAR') return String(yearOf(day));
  if (precision === 'MONTH') return `${MONTH_NAMES[monthOf(day) - 1]}${year}`;
  return `${dayOfMonth(day)} ${MONTH_NAMES[monthOf(day) - 1]}${year}`;
}

/** The date in a report's own words, consistent with the stored fields. */
function reportedDate(random: Random, start: number, end: number | null, precision: Precision, openEnd: boolean): string {
  if (openEnd) return `${random.pick(['since', 'from', 'ever since'])} ${spoken(start, precision)}`;
  if (end !== null) return `${random.pick(['between', 'from'])} ${spoken(start, precision)} ${random.pick(['and', 'to', 'until'])} ${spoken(end, precision)}`;
  if (precision === 'YEAR') return random.pick([`in ${yearOf(start)}`, `some time in ${yearOf(start)}`, `earlier in ${yearOf(start)}`, `around ${yearOf(start)}`]);
  if (precision === 'MONTH') {
    const month = MONTH_NAMES[monthOf(start) - 1];
    return random.pick([`in early ${month}`, `late ${month}`, `in mid-${month}`, `in ${month} ${yearOf(start)}`, `at the end of ${month}`]);
  }
  return random.pick([
    `on ${spoken(start, 'DAY')}`,
    `on the night of ${spoken(start, 'DAY', false)}`,
    `last ${weekdayOf(start)}`,
    `on ${weekdayOf(start)} (${spoken(start, 'DAY', false)})`,
    `early on ${weekdayOf(start)} morning`,
  ]);
}
