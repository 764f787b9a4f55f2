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
  media?: { url: string; caption: string; link: string; link_target: string };
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
  source_url: string | null;
  source_title: string | null;
  source_publisher: string | null;
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

/** Words for a date TimelineJS would otherwise show as certain and closed: "About December
 * 2018", "Since April 2017", "2019 (uncertain)", with the source's own words. Undefined for a
 * plain date, which TimelineJS formats itself. */
export function displayDate(row: Pick<TimelineRow, 'date_start' | 'date_end' | 'date_precision' | 'date_approximate' | 'date_uncertain' | 'date_open_end' | 'date_as_reported'>): string | undefined {
  if (!row.date_approximate && !row.date_uncertain && !row.date_open_end && !row.date_as_reported) return undefined;
  let text = spoken(row.date_start, row.date_precision);
  if (row.date_open_end) text = `since ${text}`;
  else if (row.date_end && row.date_end !== row.date_start) text = `${text} – ${spoken(row.date_end, row.date_precision)}`;
  if (row.date_approximate) text = `about ${text}`;
  if (row.date_uncertain) text = `${text} (uncertain)`;
  text = text.charAt(0).toUpperCase() + text.slice(1);
  if (row.date_as_reported) text = `${text}: “${row.date_as_reported}”`;
  return escapeHtml(text);
}

/** One incident or response as a TimelineJS event. */
export function timelineEvent(row: TimelineRow): TimelineJsEvent {
  const display = displayDate(row);
  const start: TimelineJsDate = { ...timelineDate(row.date_start, row.date_precision), ...(display ? { display_date: display } : {}) };
  const end = !row.date_open_end && row.date_end && row.date_end !== row.date_start ? timelineDate(row.date_end, row.date_precision) : undefined;
  const details = [row.record_kind.replace(/_/g, ' ').toLowerCase(), row.region_name].filter((p): p is string => !!p).map(escapeHtml).join(' · ');
  const paragraphs = [row.description ? escapeHtml(row.description).replace(/\r?\n/g, '<br>') : null, details ? `<em>${details}</em>` : null];
  const url = safeUrl(row.source_url);
  const caption = [row.source_publisher, row.source_title].filter((p): p is string => !!p).join(': ');
  return {
    start_date: start,
    ...(end ? { end_date: end } : {}),
    text: { headline: escapeHtml(row.headline), text: paragraphs.filter((p) => p !== null).map((p) => `<p>${p}</p>`).join('') },
    group: GROUPS[row.kind],
    unique_id: `${row.kind.toLowerCase()}-${row.id}`,
    ...(url ? { media: { url, caption: escapeHtml(caption || url), link: url, link_target: '_blank' } } : {}),
  };
}

/** The title slide, when the caller names one. */
export function timelineTitle(title: string): { text: { headline: string; text: string } } {
  return { text: { headline: escapeHtml(title), text: '<p>Incidents and advocacy responses from Vigil.</p>' } };
}
