import { escapeHtml } from './html';

/** TimelineJS 3's JSON (https://timeline.knightlab.com/docs/json-format.html), the shape that
 * /exports/timeline.json serves. */
export interface TimelineJsDate {
  year: number;
  month?: number;
  day?: number;
  display_date?: string;
}
export interface TimelineJsEvent {
  start_date: TimelineJsDate;
  end_date?: TimelineJsDate;
  text?: { headline?: string; text?: string };
  group?: string;
  unique_id?: string;
  media?: { url?: string; caption?: string; link?: string; credit?: string };
}
export interface TimelineJson {
  title?: { text?: { headline?: string; text?: string } };
  events: TimelineJsEvent[];
}

export function httpUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** What the pages show of the export's JSON, whatever version of the service wrote it: nothing
 * loads from another site (a page with no network must not show a broken image), so a slide's
 * media becomes a source line of text linked to the article; a display date that only repeats
 * itself ("14 March 2023: “14 March 2023”") is said once. The export itself names its sources on
 * every slide (issue 15); this keeps older exports honest too. */
export function forDisplay(json: TimelineJson): TimelineJson {
  return {
    ...json,
    events: json.events.map((event) => {
      const { media, ...rest } = event;
      let text = rest.text?.text ?? '';
      const link = httpUrl(media?.link ?? media?.url);
      if (media && (link || media.caption)) {
        // The caption is HTML the export already escaped; the link is re-checked and escaped here.
        const caption = media.caption || escapeHtml(link ?? '');
        const line = link ? `<a href="${escapeHtml(link)}" target="_blank" rel="noopener noreferrer">${caption}</a>` : caption;
        text += `<p class="vigil-source">Source: ${line}</p>`;
      }
      const start = { ...rest.start_date };
      const repeated = start.display_date ? /^(.*): “(.*)”$/.exec(start.display_date) : null;
      if (repeated && repeated[1].trim().toLowerCase() === repeated[2].trim().toLowerCase()) start.display_date = repeated[1];
      return { ...rest, start_date: start, text: { ...rest.text, text } };
    }),
  };
}
