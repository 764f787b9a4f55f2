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
  /** With `language`: the translation the headline and description come from (null: the original). */
  translation: TimelineTranslation | null;
  record_kind: string;
  region_name: string | null;
  sources: TimelineSource[] | null;
}

/** Who translated a slide's text, from which language, and whether a field stayed in it. */
export interface TimelineTranslation {
  language: string;
  original: string;
  translator: string;
  method: 'HUMAN' | 'MACHINE' | 'MACHINE_REVIEWED';
  untranslated: boolean;
}

const METHOD_WORDS: Readonly<Record<TimelineTranslation['method'], string>> = {
  HUMAN: '',
  MACHINE: ' (machine translation)',
  MACHINE_REVIEWED: ' (machine translation, reviewed)',
};

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** "Translated from English by DeepL (machine translation)." A translated slide says so. */
export function translationLine(translation: TimelineTranslation | null): string {
  if (!translation) return '';
  let from: string;
  try {
    from = LANGUAGE_NAMES.of(translation.original) ?? translation.original;
  } catch {
    from = translation.original;
  }
  const rest = translation.untranslated ? ' Some of the text is in the original.' : '';
  return `<p class="vigil-translation"><em>${escapeHtml(`Translated from ${from} by ${translation.translator}${METHOD_WORDS[translation.method] ?? ''}.${rest}`)}</em></p>`;
}

export const GROUPS: Readonly<Record<TimelineRow['kind'], string>> = { INCIDENT: 'Incidents', RESPONSE: 'Responses' };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const HTML_SPECIAL = /[&<>"']/;

export function escapeHtml(text: string): string {
  // Most texts have nothing to escape: a test is cheaper than a replace.
  return HTML_SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]) : text;
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

/** A stored date's year, month and day (`YYYY-MM-DD`). */
function partsOf(iso: string): [number, number, number] {
  const parts = iso.split('-');
  return [Number(parts[0]), Number(parts[1]), Number(parts[2])];
}

/** A stored date (`YYYY-MM-DD`, first day of its period) as TimelineJS's date object: a
 * month-precision date has no day, a year-precision date only the year. */
export function timelineDate(iso: string, precision: DatePrecision): TimelineJsDate {
  const [year, month, day] = partsOf(iso);
  if (precision === DatePrecision.YEAR) return { year };
  if (precision === DatePrecision.MONTH) return { year, month };
  return { year, month, day };
}

function spoken(iso: string, precision: DatePrecision): string {
  const [year, month, day] = partsOf(iso);
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

/** One incident or response as a TimelineJS event. Built without spreads and array pipelines:
 * the export builds thousands per request (its keys in this order, which is the JSON's). */
export function timelineEvent(row: TimelineRow): TimelineJsEvent {
  const display = displayDate(row);
  const start = timelineDate(row.date_start, row.date_precision) as TimelineJsDate;
  start.display_date = display;
  const reported = reportedDate(row, display);
  let details = escapeHtml(row.record_kind.replace(/_/g, ' ').toLowerCase());
  if (row.region_name) details = details ? `${details} · ${escapeHtml(row.region_name)}` : escapeHtml(row.region_name);
  if (reported) details = details ? `${details} · ${escapeHtml(`reported as “${reported}”`)}` : escapeHtml(`reported as “${reported}”`);
  let text = row.description ? `<p>${escapeHtml(row.description).replace(/\r?\n/g, '<br>')}</p>` : '';
  if (details) text += `<p><em>${details}</em></p>`;
  if (row.translation) text += translationLine(row.translation);
  text += sourceLine(row.sources);
  const event: TimelineJsEvent = { start_date: start } as TimelineJsEvent;
  if (!row.date_open_end && row.date_end && row.date_end !== row.date_start) event.end_date = timelineDate(row.date_end, row.date_precision);
  event.text = { headline: escapeHtml(row.headline), text };
  event.group = GROUPS[row.kind];
  event.unique_id = `${row.kind.toLowerCase()}-${row.id}`;
  return event;
}

/** The title slide, when the caller names one. */
export function timelineTitle(title: string): { text: { headline: string; text: string } } {
  return { text: { headline: escapeHtml(title), text: '<p>Incidents and advocacy responses from Vigil.</p>' } };
}
