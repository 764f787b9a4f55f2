import { useEffect, useRef, useState } from 'preact/hooks';
import { download, exportUrl, request } from '../api';
import { DateText, Failure, Loading, Passage, languageName, readerLanguages } from '../components';
import { type Filters, dateRange, exportParameters, filtersFromUrl, filtersToUrl, incidentFilter } from '../filters';
import { formatCount, words } from '../format';
import { graphql, type ResultOf } from '../graphql';
import { navigate, useLocation } from '../router';
import { token } from '../session';
import { useAsync } from '../viewer';
import { FilterForm } from './filter-form';

const EXPLORE = graphql(`
  query Explore($filter: IncidentFilter, $after: String, $search: String!, $languages: [String!]!) {
    incidents(filter: $filter, first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          headline
          language
          inLanguage(preferred: $languages) { language headline isTranslation }
          matchedPassage(search: $search) { parts { text matched } language isTranslation recordType }
          kind
          verificationStatus
          locality
          date { start end precision approximate uncertain openEnd asReported }
          region { code name country { code name } }
          victims { atLeast atMost best basis asReported }
          deaths { atLeast atMost best basis asReported }
          independentSourceCount
          situation { id name }
        }
      }
    }
    byYear: incidentStats(filter: $filter, groupBy: [YEAR]) { year incidents }
    byCountry: incidentStats(filter: $filter, groupBy: [COUNTRY]) { countryCode country { name } incidents }
    byKind: incidentStats(filter: $filter, groupBy: [KIND]) { kind incidents }
  }
`);

type Incident = ResultOf<typeof EXPLORE>['incidents']['edges'][number]['node'];

function IncidentItem({ incident }: { incident: Incident }) {
  const victims = formatCount(incident.victims);
  const deaths = formatCount(incident.deaths);
  const place = [incident.locality, incident.region.name, incident.region.country.code !== incident.region.code ? incident.region.country.name : null]
    .filter(Boolean)
    .join(', ');
  return (
    <li class="result">
      <h3>
        <a href={`/incidents/${incident.id}`} lang={incident.inLanguage.language}>
          {incident.inLanguage.headline}
        </a>
      </h3>
      {incident.inLanguage.isTranslation ? (
        <p class="original" lang={incident.language}>
          {languageName(incident.language)} original: {incident.headline}
        </p>
      ) : null}
      {incident.matchedPassage ? <Passage passage={incident.matchedPassage} /> : null}
      <p class="meta">
        <DateText date={incident.date} /> · {place} · {words(incident.kind)} · {words(incident.verificationStatus)}
      </p>
      <p class="meta">
        {victims ? <span>Victims: {victims}. </span> : null}
        {deaths ? <span>Deaths: {deaths}. </span> : null}
        <span>
          {incident.independentSourceCount} independent source{incident.independentSourceCount === 1 ? '' : 's'}
        </span>
        {incident.situation ? (
          <span>
            {' '}
            · <a href={`/situations/${incident.situation.id}`}>{incident.situation.name}</a>
          </span>
        ) : null}
      </p>
    </li>
  );
}

function Facet<T>({ title, buckets, label, onPick }: { title: string; buckets: T[]; label: (b: T) => string | null; onPick: (b: T) => void }) {
  const shown = buckets.filter((b) => label(b) !== null);
  if (shown.length === 0) return null;
  return (
    <section class="facet" aria-label={title}>
      <h3>{title}</h3>
      <ul>
        {shown.map((b) => (
          <li key={label(b)}>
            <button type="button" class="link" onClick={() => onPick(b)}>
              {label(b)} <span class="count">{(b as { incidents: number }).incidents}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ExplorePage() {
  const { search } = useLocation();
  const filters = filtersFromUrl(search);
  const key = filtersToUrl(filters);
  const [extra, setExtra] = useState<{ items: Incident[]; endCursor: string | null; hasNext: boolean } | null>(null);
  const started = useRef(0);
  const { data, error, loading } = useAsync(() => {
    started.current = performance.now();
    return request(EXPLORE, { filter: incidentFilter(filters), after: null, search: filters.q.trim(), languages: readerLanguages() });
  }, [key]);
  useEffect(() => setExtra(null), [key]);
  useEffect(() => {
    // Time from asking to the results on screen, for the measurement in web/README.md.
    if (data) requestAnimationFrame(() => document.body.setAttribute('data-explore-ms', String(Math.round(performance.now() - started.current))));
  }, [data]);

  const apply = (next: Filters) => navigate(`/${filtersToUrl(next)}`);
  const csv = exportUrl('incidents.csv', exportParameters(filters));
  const badDate = filters.date && !dateRange(filters.date);
  const page = data?.incidents;
  const nextCursor = extra ? extra.endCursor : (page?.pageInfo.endCursor ?? null);
  const hasNext = extra ? extra.hasNext : !!page?.pageInfo.hasNextPage;

  const loadMore = async () => {
    const result = await request(EXPLORE, { filter: incidentFilter(filters), after: nextCursor, search: filters.q.trim(), languages: readerLanguages() });
    setExtra((x) => ({
      items: [...(x?.items ?? []), ...result.incidents.edges.map((e) => e.node)],
      endCursor: result.incidents.pageInfo.endCursor,
      hasNext: result.incidents.pageInfo.hasNextPage,
    }));
  };

  return (
    <main id="main" class="explore">
      <h1>Explore incidents</h1>
      <FilterForm filters={filters} onApply={apply} />
      {badDate ? <Failure error={`The date "${filters.date}" is not a year, a month or a day (2017, 2017-04, 2017-04-03), nor two of them (2017-04/2018).`} /> : null}
      <div class="explore-body">
        <aside class="facets" aria-label="Facets">
          {data ? (
            <>
              <Facet title="Year" buckets={[...data.byYear].sort((a, b) => (b.year ?? 0) - (a.year ?? 0))} label={(b) => (b.year === null ? null : String(b.year))} onPick={(b) => apply({ ...filters, date: String(b.year) })} />
              <Facet title="Country" buckets={data.byCountry} label={(b) => b.country?.name ?? b.countryCode ?? null} onPick={(b) => b.countryCode && apply({ ...filters, regions: [...new Set([...filters.regions, b.countryCode])] })} />
              <Facet title="Kind" buckets={data.byKind} label={(b) => (b.kind ? words(b.kind) : null)} onPick={(b) => b.kind && apply({ ...filters, kinds: [b.kind] })} />
            </>
          ) : null}
        </aside>
        <div class="results">
          <p class="actions">
            {token() ? (
              <button type="button" class="link" onClick={() => void download(csv, 'incidents.csv')}>
                Download CSV
              </button>
            ) : (
              <a href={csv} download="incidents.csv">
                Download CSV
              </a>
            )}{' '}
            · <a href={`/timeline${filtersToUrl(filters)}`}>Timeline of these</a> · <a href={`/map${filtersToUrl(filters)}`}>Map of these</a>
          </p>
          {error ? <Failure error={error} /> : null}
          {loading && !data ? <Loading what="incidents" /> : null}
          {page ? (
            <>
              <p role="status" class="total">
                {page.totalCount} incident{page.totalCount === 1 ? '' : 's'}
              </p>
              <ol class="result-list">
                {[...page.edges.map((e) => e.node), ...(extra?.items ?? [])].map((incident) => (
                  <IncidentItem key={incident.id} incident={incident} />
                ))}
              </ol>
              {hasNext && nextCursor ? (
                <button type="button" onClick={() => void loadMore()}>
                  More incidents
                </button>
              ) : null}
            </>
          ) : null}
        </div>
      </div>
    </main>
  );
}
