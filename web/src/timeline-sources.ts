import { request } from './api';
import { type IncidentFilter } from './filters';
import { graphql, type ResultOf } from './graphql';
import { escapeHtml } from './html';
import { httpUrl, type TimelineJson } from './timeline-json';

const SOURCES = graphql(`
  query TimelineSources($filter: IncidentFilter, $after: String) {
    timeline(filter: $filter, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node {
        id kind
        incident { citations { source { publisher title url } } }
        advocacyResponse { citations { source { publisher title url } } }
      } }
    }
  }
`);

function sourceLink(source: { publisher: string; title: string; url: string | null }): string {
  const text = escapeHtml(`${source.publisher}: ${source.title}`);
  const href = httpUrl(source.url ?? undefined);
  return href ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${text}</a>` : text;
}

/** Whether a slide already names a source (the export's own line, or one made of its media). */
const named = (text: string | undefined) => /\bSources?\b/.test(text ?? '');

/** Names the sources of the slides that name none, from the GraphQL API: an export written
 * before issue 15 named a source only when it had a URL. Asks nothing when every slide names its
 * sources, as the export does since. */
export async function nameSources(json: TimelineJson, filter: IncidentFilter, options: { anonymous: boolean }): Promise<TimelineJson> {
  const missing = new Set(json.events.filter((e) => !named(e.text?.text) && e.unique_id).map((e) => e.unique_id!));
  if (missing.size === 0) return json;
  const lines = new Map<string, string>();
  let after: string | null = null;
  for (let page = 0; page < 20 && lines.size < missing.size; page++) {
    const { timeline }: ResultOf<typeof SOURCES> = await request(SOURCES, { filter, after }, options);
    for (const { node } of timeline.edges) {
      const key = `${node.kind.toLowerCase()}-${node.id}`;
      if (!missing.has(key)) continue;
      const citations = (node.incident ?? node.advocacyResponse)?.citations ?? [];
      const sources = citations.map((c) => c.source).filter((s) => s !== null);
      if (sources.length === 0) continue;
      lines.set(key, `<p class="vigil-source">Source${sources.length > 1 ? 's' : ''}: ${sources.map(sourceLink).join('; ')}</p>`);
    }
    if (!timeline.pageInfo.hasNextPage) break;
    after = timeline.pageInfo.endCursor;
  }
  return {
    ...json,
    events: json.events.map((e) => (e.unique_id && lines.has(e.unique_id) ? { ...e, text: { ...e.text, text: `${e.text?.text ?? ''}${lines.get(e.unique_id)}` } } : e)),
  };
}
