import { useEffect, useState } from 'preact/hooks';
import { request } from '../api';
import { type Filters, INCIDENT_KINDS, STATUSES } from '../filters';
import { words } from '../format';
import { graphql } from '../graphql';
import { useAsync } from '../viewer';

const REGIONS = graphql(`
  query RegionSearch($search: String!) {
    regions(search: $search, first: 8) { edges { node { code name kind country { name } } } }
  }
`);
const REGION = graphql(`query RegionName($code: String!) { region(code: $code) { code name } }`);
const SITUATIONS = graphql(`
  query SituationChoices { situations(first: 100) { edges { node { id name } } } }
`);

function RegionChip({ code, onRemove }: { code: string; onRemove: () => void }) {
  const { data } = useAsync(() => request(REGION, { code }), [code]);
  const name = data?.region?.name ?? code;
  return (
    <li class="chip">
      {name} ({code})
      <button type="button" aria-label={`Remove region ${name}`} onClick={onRemove}>
        ×
      </button>
    </li>
  );
}

/** Finds a region by its name ("Chechnya") or code through `regions(search:)`. */
function RegionPicker({ onPick }: { onPick: (code: string) => void }) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<{ code: string; name: string; country: string; kind: string }[]>([]);
  useEffect(() => {
    const search = text.trim();
    if (search.length < 2) {
      setFound([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      request(REGIONS, { search }).then(
        (r) => live && setFound(r.regions.edges.map(({ node }) => ({ code: node.code, name: node.name, country: node.country.name, kind: node.kind }))),
        () => live && setFound([]),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text]);
  return (
    <div class="region-picker">
      <label for="region-search">Region</label>
      <input id="region-search" type="search" autoComplete="off" placeholder="Chechnya, Russia, RU-CE…" value={text} onInput={(e) => setText(e.currentTarget.value)} aria-describedby="region-hint" />
      <span id="region-hint" class="hint">
        Type a name, then pick the region below.
      </span>
      {found.length > 0 ? (
        <ul class="suggestions" aria-label="Matching regions">
          {found.map((r) => (
            <li key={r.code}>
              <button
                type="button"
                class="link"
                onClick={() => {
                  onPick(r.code);
                  setText('');
                  setFound([]);
                }}
              >
                {r.name} ({r.code}){r.kind === 'COUNTRY' ? '' : `, ${r.country}`}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The incident filter of Explore, the timeline builder and the map. */
export function FilterForm({ filters, onApply, situations = true }: { filters: Filters; onApply: (f: Filters) => void; situations?: boolean }) {
  const [q, setQ] = useState(filters.q);
  const [date, setDate] = useState(filters.date);
  useEffect(() => setQ(filters.q), [filters.q]);
  useEffect(() => setDate(filters.date), [filters.date]);
  const choices = useAsync(() => (situations ? request(SITUATIONS, {}) : Promise.resolve(null)), [situations]);
  return (
    <form
      class="filters"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onApply({ ...filters, q, date: date.trim() });
      }}
    >
      <div class="field">
        <label for="q">Search</label>
        <input id="q" type="search" value={q} placeholder="abducted, Grozny, “human rights”…" onInput={(e) => setQ(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="date">Date</label>
        <input id="date" type="text" inputMode="numeric" value={date} placeholder="2017, 2017-04 or 2017-04-03" aria-describedby="date-hint" onInput={(e) => setDate(e.currentTarget.value)} />
        <span id="date-hint" class="hint">
          A year, a month or a day; or two, as 2017-04/2018
        </span>
      </div>
      <div class="field">
        <label for="kind">Kind</label>
        <select id="kind" value={filters.kinds[0] ?? ''} onChange={(e) => onApply({ ...filters, q, date, kinds: e.currentTarget.value ? [e.currentTarget.value] : [] })}>
          <option value="">Any kind</option>
          {INCIDENT_KINDS.map((k) => (
            <option key={k} value={k}>
              {words(k)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="status">Verification</label>
        <select id="status" value={filters.statuses[0] ?? ''} onChange={(e) => onApply({ ...filters, q, date, statuses: e.currentTarget.value ? [e.currentTarget.value] : [] })}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {words(s)}
            </option>
          ))}
        </select>
      </div>
      {situations ? (
        <div class="field">
          <label for="situation">Situation</label>
          <select id="situation" value={filters.situation} onChange={(e) => onApply({ ...filters, q, date, situation: e.currentTarget.value })}>
            <option value="">Any situation</option>
            {choices.data?.situations.edges.map(({ node }) => (
              <option key={node.id} value={node.id}>
                {node.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <RegionPicker onPick={(code) => onApply({ ...filters, q, date, regions: [...new Set([...filters.regions, code])] })} />
      {filters.regions.length > 0 ? (
        <ul class="chips" aria-label="Chosen regions">
          {filters.regions.map((code) => (
            <RegionChip key={code} code={code} onRemove={() => onApply({ ...filters, q, date, regions: filters.regions.filter((r) => r !== code) })} />
          ))}
        </ul>
      ) : null}
      <div class="buttons">
        <button type="submit">Apply</button>
        <button type="button" class="secondary" onClick={() => onApply({ q: '', regions: [], date: '', kinds: [], situation: '', statuses: [] })}>
          Clear
        </button>
      </div>
    </form>
  );
}
