import { DatePrecision } from '../dates/date-precision';

/**
 * Knight Lab TimelineJS3's JSON format (https://timeline.knightlab.com/docs/json-format.html).
 * TimelineJS renders headlines, texts, captions and display dates as HTML, so every text from
 * the database is HTML-escaped, and only http(s) URLs become media links.
 */

export interface TimelineJsDate {
  year: number;
  month?: number;
  day?: number;
  display_date?: string;
}

export interface TimelineJsEvent {
  start_date: TimelineJsDate;
  end_date?: TimelineJsDate;
  text: { headline: string; text: string };
  group: string;
  unique_id: string;
}

/** A source a record's visible citations cite, with the fields the viewer may read. */
export interface TimelineSource {
  publisher?: string | null;
  title?: string | null;
  url?: string | null;
}

/** One row of the timeline export query (TimelineService.exportQuery). */
export interface TimelineRow {
  kind: 'INCIDENT' | 'RESPONSE';
  id: string;
  date_start: string;
  date_end: string | null;
  date_precision: DatePrecision;
  date_approximate: boolean;
  date_uncertain: boolean;
  date_open_end: boolean;
  date_as_reported: string | null;
  headline: string;
  description: string | null;
  record_kind: string;
  region_name: string | null;
  sources: TimelineSource[] | null;
}

export const GROUPS: Readonly<Record<TimelineRow['kind'], string>> = { INCIDENT: 'Incidents', RESPONSE: 'Responses' };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A URL TimelineJS may load or link: http or https only (a `javascript:` link would run). */
export function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A stored date (`YYYY-MM-DD`, first day of its period) as TimelineJS's date object: a
 * month-precision date has no day, a year-precision date only the year. */
export function timelineDate(iso: string, precision: DatePrecision): TimelineJsDate {
  const [year, month, day] = iso.split('-').map(Number);
  if (precision === DatePrecision.YEAR) return { year };
  if (precision === DatePrecision.MONTH) return { year, month };
  return { year, month, day };
}

function spoken(iso: string, precision: DatePrecision): string {
  const [year, month, day] = iso.split('-').map(Number);
  if (precision === DatePrecision.YEAR) return String(year);
  if (precision === DatePrecision.MONTH) return `${MONTHS[month - 1]} ${year}`;
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** The date in words at its precision: "14 March 2023", "April 2017", "About December 2018",
 * "Since April 2017", "2019 (uncertain)". Always given, so TimelineJS never shows a day or month
 * the sources do not give. */
export function displayDate(row: Pick<TimelineRow, 'date_start' | 'date_end' | 'date_precision' | 'date_approximate' | 'date_uncertain' | 'date_open_end'>): string {
  let text = spoken(row.date_start, row.date_precision);
  if (row.date_open_end) text = `since ${text}`;
  else if (row.date_end && row.date_end !== row.date_start) text = `${text} – ${spoken(row.date_end, row.date_precision)}`;
  if (row.date_approximate) text = `about ${text}`;
  if (row.date_uncertain) text = `${text} (uncertain)`;
  return escapeHtml(text.charAt(0).toUpperCase() + text.slice(1));
}

/** Letters and digits only, lower case: "14 March 2023." and "14 march 2023" say the same. */
const gist = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** The source's own words for the date, when they say more than the display date (never the same
 * date twice: "14 March 2023" reported as "14 March 2023" is shown once). */
export function reportedDate(row: Pick<TimelineRow, 'date_as_reported'>, display: string): string | null {
  const reported = row.date_as_reported?.trim();
  if (!reported) return null;
  const shown = gist(display.replace(/&[a-z]+;|&#\d+;/g, ' '));
  return shown.includes(gist(reported)) ? null : reported;
}

/** "Sources: Publisher, Title; ..." with each linked (as text, never as media) when it has an
 * http(s) URL. Every slide has one. */
export function sourceLine(sources: readonly TimelineSource[] | null): string {
  const named = (sources ?? []).map((s) => {
    const words = [s.publisher, s.title].filter((p): p is string => !!p?.trim()).map((p) => escapeHtml(p.trim()));
    const url = safeUrl(s.url ?? null);
    const text = words.length ? words.join(', ') : url ? escapeHtml(url) : 'Untitled source';
    return url ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${text}</a>` : text;
  });
  if (named.length === 0) return '<p class="vigil-sources">Sources: none that you may see.</p>';
  return `<p class="vigil-sources">${named.length === 1 ? 'Source' : 'Sources'}: ${named.join('; ')}</p>`;
}

/** One incident or response as a TimelineJS event. */
export function timelineEvent(row: TimelineRow): TimelineJsEvent {
  const display = displayDate(row);
  const start: TimelineJsDate = { ...timelineDate(row.date_start, row.date_precision), display_date: display };
  const end = !row.date_open_end && row.date_end && row.date_end !== row.date_start ? timelineDate(row.date_end, row.date_precision) : undefined;
  const reported = reportedDate(row, display);
  const details = [row.record_kind.replace(/_/g, ' ').toLowerCase(), row.region_name, reported ? `reported as “${reported}”` : null]
    .filter((p): p is string => !!p)
    .map(escapeHtml)
    .join(' · ');
  const paragraphs = [row.description ? `<p>${escapeHtml(row.description).replace(/\r?\n/g, '<br>')}</p>` : null, details ? `<p><em>${details}</em></p>` : null, sourceLine(row.sources)];
  return {
    start_date: start,
    ...(end ? { end_date: end } : {}),
    text: { headline: escapeHtml(row.headline), text: paragraphs.filter((p) => p !== null).join('') },
    group: GROUPS[row.kind],
    unique_id: `${row.kind.toLowerCase()}-${row.id}`,
  };
}

/** The title slide, when the caller names one. */
export function timelineTitle(title: string): { text: { headline: string; text: string } } {
  return { text: { headline: escapeHtml(title), text: '<p>Incidents and advocacy responses from Vigil.</p>' } };
}
