import '@knight-lab/timelinejs/dist/css/timeline.css';
import '../timeline-contrast.css';
import { Timeline } from '@knight-lab/timelinejs/src/js/timeline/Timeline';
import { useEffect, useRef, useState } from 'preact/hooks';
import { download, exportUrl, fetchExport } from '../api';
import { Failure, languageName, Loading, readerLanguages } from '../components';
import { type Filters, type IncidentFilter, exportParameters, filtersFromUrl, filtersToUrl, incidentFilter } from '../filters';
import { navigate, useLocation } from '../router';
import { token } from '../session';
import { forDisplay, type TimelineJson } from '../timeline-json';
import { FilterForm } from './filter-form';

/** The builder's choices beyond the incident filter, in the page's URL. */
interface Options {
  withResponses: boolean;
  title: string;
  /** The text's languages, first preferred first (`ru,en`); empty: each record's original. */
  language: string;
}

/** `fallback`: the languages when the URL names none (the builder's reader's; the embed's none, so
 * that it shows exactly what its snippet says). */
function optionsFromUrl(search: string, fallback = ''): Options {
  const p = new URLSearchParams(search);
  return { withResponses: p.get('responses') !== '0', title: p.get('title') ?? '', language: p.get('language') ?? fallback };
}

/** The languages a builder may choose for the text. */
const LANGUAGES = ['en', 'ru', 'fr', 'es', 'ar'];

function pageUrl(path: string, filters: Filters, options: Options): string {
  const p = new URLSearchParams(filtersToUrl(filters));
  if (!options.withResponses) p.set('responses', '0');
  if (options.title) p.set('title', options.title);
  // Always said (empty for the originals), so the builder's choice is not its reader's default.
  p.set('language', options.language);
  const text = p.toString();
  return `${path}${text ? `?${text}` : ''}`;
}

/** The export's parameters: the incident filter; with responses, the export adds those that
 * answer the chosen incidents; without, only incidents. */
function timelineParameters(filters: Filters, options: Options): URLSearchParams {
  const p = exportParameters(filters);
  if (!options.withResponses) p.set('entryKinds', 'INCIDENT');
  if (options.title) p.set('title', options.title);
  if (options.language) p.set('language', options.language);
  return p;
}

/** Renders TimelineJS from the export's JSON into `container`; answers the time it took. */
function useTimeline(url: string, filter: IncidentFilter, publicOnly: boolean) {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ loading: boolean; error: string | null; count: number | null }>({ loading: true, error: null, count: null });
  useEffect(() => {
    let live = true;
    setState({ loading: true, error: null, count: null });
    const started = performance.now();
    // The embed reads public data only: it never sends the token, even when the embedding tab
    // has one in its sessionStorage.
    fetchExport(url, { anonymous: publicOnly })
      .then((r) => r.json() as Promise<TimelineJson>)
      .then((json) => forDisplay(json))
      .then((json) => {
        if (!live || !container.current) return;
        const rendering = performance.now();
        container.current.replaceChildren();
        if (json.events.length === 0) {
          setState({ loading: false, error: null, count: 0 });
          return;
        }
        const timeline = new Timeline(container.current, json, {
          // Everything TimelineJS would fetch (fonts, themes, languages) is bundled or off: it
          // must load nothing from another site.
          script_path: `${window.location.origin}/assets/`,
          font: null,
          theme: null,
          language: 'en',
          hash_bookmark: false,
          ga_measurement_id: null,
          ga_property_id: null,
          track_events: [],
          timenav_height_percentage: 30,
        });
        timeline.on('loaded', () => {
          // Times for the measurement in web/README.md: in all, and TimelineJS's own part.
          requestAnimationFrame(() => {
            document.body.setAttribute('data-timeline-render-ms', String(Math.round(performance.now() - rendering)));
            document.body.setAttribute('data-timeline-ms', String(Math.round(performance.now() - started)));
          });
        });
        setState({ loading: false, error: null, count: json.events.length });
      })
      .catch((e: unknown) => live && setState({ loading: false, error: e instanceof Error ? e.message : String(e), count: null }));
    return () => {
      live = false;
    };
  }, [url, publicOnly]);
  return { container, ...state };
}

export function TimelinePage() {
  const { search } = useLocation();
  const filters = filtersFromUrl(search);
  const reader = readerLanguages().join(',');
  const options = optionsFromUrl(search, reader);
  const choices = [...new Set([reader, ...LANGUAGES, options.language].filter(Boolean))];
  const [title, setTitle] = useState(options.title);
  const json = exportUrl('timeline.json', timelineParameters(filters, options));
  const { container, loading, error, count } = useTimeline(json, incidentFilter(filters), false);
  const embedSrc = `${window.location.origin}${pageUrl('/timeline/embed', filters, options)}`;
  const snippet = `<iframe src="${embedSrc.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" title="${(options.title || 'Vigil timeline').replace(/"/g, '&quot;')}" width="100%" height="650" frameborder="0" allowfullscreen></iframe>`;
  const [copied, setCopied] = useState(false);
  const apply = (f: Filters, o: Options = options) => navigate(pageUrl('/timeline', f, o));

  return (
    <main id="main" class="timeline-page">
      <h1>Timeline builder</h1>
      <p>Pick a situation or filter the incidents; the timeline shows them in date order, each slide with its sources.</p>
      <FilterForm filters={filters} onApply={(f) => apply(f)} />
      <div class="timeline-options">
        <label class="check">
          <input type="checkbox" checked={options.withResponses} onChange={(e) => apply(filters, { ...options, withResponses: e.currentTarget.checked })} /> With the responses that answer these incidents
        </label>
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            apply(filters, { ...options, title: title.trim() });
          }}
        >
          <label for="timeline-title">Title</label>
          <input id="timeline-title" type="text" value={title} onInput={(e) => setTitle(e.currentTarget.value)} placeholder="Chechnya, 2017" />
          <button type="submit">Set title</button>
        </form>
        <span class="inline">
          <label for="timeline-language">Text in</label>
          <select id="timeline-language" value={options.language} onChange={(e) => apply(filters, { ...options, language: e.currentTarget.value })}>
            <option value="">each record's original language</option>
            {choices.map((tags) => (
              <option key={tags} value={tags}>
                {tags === reader ? `your languages (${tags.split(',').map(languageName).join(', ')})` : languageName(tags)}, where translated
              </option>
            ))}
          </select>
        </span>
      </div>
      <p class="actions">
        {token() ? (
          <button type="button" class="link" onClick={() => void download(json, 'timeline.json')}>
            Download JSON
          </button>
        ) : (
          <a href={json} download="timeline.json">
            Download JSON
          </a>
        )}
        {count !== null ? <span role="status"> · {count} {count === 1 ? 'entry' : 'entries'}</span> : null}
      </p>
      {error ? <Failure error={error} /> : null}
      {loading ? <Loading what="the timeline" /> : null}
      {count === 0 ? <p role="status">Nothing matches these filters.</p> : null}
      <div class="timeline-frame">
        <div id="timeline" ref={container} />
      </div>
      <section class="embed">
        <h2>Embed</h2>
        <p>
          Paste this into a page of your own. The embedded timeline shows public data only, whoever views it
          {token() ? ' (not what your token lets you see)' : ''}.
        </p>
        <label for="embed-snippet">Embed snippet</label>
        <textarea id="embed-snippet" readOnly rows={3} value={snippet} />
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(snippet).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          Copy snippet
        </button>
        {copied ? <span role="status"> Copied.</span> : null}
      </section>
    </main>
  );
}

/** /timeline/embed: the timeline alone, for an <iframe> on another site. */
export function TimelineEmbed() {
  const { search } = useLocation();
  const filters = filtersFromUrl(search);
  const options = optionsFromUrl(search);
  const { container, loading, error, count } = useTimeline(exportUrl('timeline.json', timelineParameters(filters, options)), incidentFilter(filters), true);
  return (
    <main id="main" class="embed-page">
      <h1 class="visually-hidden">{options.title || 'Vigil timeline'}</h1>
      {error ? <Failure error={error} /> : null}
      {loading ? <Loading what="the timeline" /> : null}
      {count === 0 ? <p role="status">Nothing matches these filters.</p> : null}
      <div class="timeline-frame embedded">
        <div ref={container} />
      </div>
      <p class="credit">
        Data:{' '}
        <a href={pageUrl('/timeline', filters, options)} target="_blank" rel="noopener">
          Vigil
        </a>
      </p>
    </main>
  );
}
