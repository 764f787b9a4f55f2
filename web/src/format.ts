const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export interface DateValue {
  start: string;
  end?: string | null;
  precision: 'DAY' | 'MONTH' | 'YEAR';
  approximate?: boolean;
  uncertain?: boolean;
  openEnd?: boolean;
  asReported?: string | null;
}

/** One day, month or year at its precision: a month-precision date never shows a day. */
function spoken(iso: string, precision: DateValue['precision']): string {
  const [year, month, day] = iso.split('-').map(Number);
  if (precision === 'YEAR') return String(year);
  if (precision === 'MONTH') return `${MONTHS[month - 1]} ${year}`;
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** A record's date at its real precision, with its span, "about" and "uncertain". */
export function formatDate(d: DateValue): string {
  let text = spoken(d.start, d.precision);
  if (d.openEnd) text = `since ${text}`;
  else if (d.end && d.end !== d.start) text = `${text} – ${spoken(d.end, d.precision)}`;
  if (d.approximate) text = `about ${text}`;
  if (d.uncertain) text = `${text} (uncertain)`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface CountValue {
  atLeast?: number | null;
  atMost?: number | null;
  best?: number | null;
  basis?: string | null;
  asReported?: string | null;
}

/** A count as the range it is known to lie in, with its basis: "3–5 (documented)". Null when
 * nothing is known. */
export function formatCount(c: CountValue): string | null {
  const { atLeast, atMost, best } = c;
  let range: string | null = null;
  if (atLeast != null && atMost != null) range = atLeast === atMost ? String(atLeast) : `${atLeast}–${atMost}`;
  else if (atLeast != null) range = `at least ${atLeast}`;
  else if (atMost != null) range = `at most ${atMost}`;
  else if (best != null) range = `about ${best}`;
  if (range === null) return c.asReported ? `“${c.asReported}”` : null;
  return c.basis ? `${range} (${c.basis.toLowerCase()})` : range;
}

/** An enum value in words: TORTURE_OR_ILL_TREATMENT → "torture or ill treatment". */
export function words(value: string | null | undefined): string {
  return (value ?? '').replace(/_/g, ' ').toLowerCase();
}
