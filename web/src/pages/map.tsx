import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { iso31661NumericToAlpha2 } from 'iso-3166';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';
import { download, exportUrl, fetchExport } from '../api';
import { Failure, Loading, readerLanguages, useClearance } from '../components';
import { type Filters, exportParameters, filtersFromUrl, filtersToUrl } from '../filters';
import { words } from '../format';
import { navigate, useLocation } from '../router';
import { token } from '../session';
import { useAsync } from '../viewer';
import { FilterForm } from './filter-form';

/** Country shapes from the bundled world-atlas (Natural Earth 1:110m): no tile server. */
const countries = feature(world as unknown as Topology, (world as unknown as Topology).objects.countries as GeometryCollection) as FeatureCollection<Polygon | MultiPolygon, { name: string }>;

function polygonsOf(geometry: Polygon | MultiPolygon): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** SVG path of a shape in degrees (x = longitude, y = -latitude); a ring that crosses the
 * antimeridian is broken there rather than drawn across the map. */
function pathOf(geometry: Polygon | MultiPolygon): string {
  let d = '';
  for (const polygon of polygonsOf(geometry)) {
    for (const ring of polygon) {
      ring.forEach(([x, y], k) => {
        const jump = k > 0 && Math.abs(x - ring[k - 1][0]) > 180;
        d += `${k === 0 || jump ? 'M' : 'L'}${x.toFixed(2)},${(-y).toFixed(2)}`;
      });
      d += 'Z';
    }
  }
  return d;
}

/** A country's middle, for an incident whose export gives no position (older exports gave none
 * to the public): the mean of its largest ring's points. */
const countryPoint = new Map<string, Position>();
for (const country of countries.features) {
  const alpha2 = (iso31661NumericToAlpha2 as Record<string, string>)[String(country.id)];
  if (!alpha2 || !country.geometry) continue;
  const largest = polygonsOf(country.geometry).map((p) => p[0]).sort((a, b) => b.length - a.length)[0];
  const sum = largest.reduce(([sx, sy], [x, y]) => [sx + x, sy + y], [0, 0]);
  countryPoint.set(alpha2, [sum[0] / largest.length, sum[1] / largest.length]);
}

interface Properties {
  id?: string;
  headline?: string;
  /** With `language`: the headline in the reader's language, and that language. */
  headline_in_language?: string;
  text_language?: string;
  kind?: string;
  region_code?: string;
  region_name?: string;
  country_code?: string;
  locality?: string | null;
  date_start?: string;
  geo_precision?: string;
}

interface Placed {
  id: string;
  headline: string;
  language: string | undefined;
  kind: string;
  place: string;
  position: Position;
  precision: string;
}

function place(features: Feature<Geometry | null, Properties>[]): { placed: Placed[]; unplaced: number } {
  const placed: Placed[] = [];
  let unplaced = 0;
  for (const f of features) {
    const p = f.properties ?? {};
    const id = String(f.id ?? p.id ?? '');
    let position: Position | undefined;
    let precision = p.geo_precision ?? '';
    if (f.geometry?.type === 'Point') position = (f.geometry as Point).coordinates;
    else if (p.country_code && countryPoint.has(p.country_code)) {
      position = countryPoint.get(p.country_code);
      precision = 'country';
    }
    if (!position) {
      unplaced++;
      continue;
    }
    placed.push({
      id,
      headline: p.headline_in_language ?? p.headline ?? id,
      language: p.text_language,
      kind: p.kind ?? '',
      place: [p.locality, p.region_name].filter(Boolean).join(', '),
      position,
      precision: precision || 'exact',
    });
  }
  return { placed, unplaced };
}

export function MapPage() {
  const { search } = useLocation();
  const filters = filtersFromUrl(search);
  const clearance = useClearance();
  const parameters = exportParameters(filters);
  // Headlines in the reader's language where a record has it (the export's `language`).
  const languages = readerLanguages();
  if (languages.length) parameters.set('language', languages.join(','));
  const url = exportUrl('incidents.geojson', parameters);
  const { data, error, loading } = useAsync(async () => (await (await fetchExport(url)).json()) as FeatureCollection<Geometry | null, Properties>, [url]);
  const apply = (f: Filters) => navigate(`/map${filtersToUrl(f)}`);
  const { placed, unplaced } = data ? place(data.features) : { placed: [], unplaced: 0 };

  // Frame the incidents (the whole world when there are none), at least 60° wide: enough of the
  // map around them to know where they are.
  const xs = placed.map((p) => p.position[0]);
  const ys = placed.map((p) => -p.position[1]);
  let [x0, x1, y0, y1] = placed.length ? [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)] : [-180, 180, -85, 85];
  const pad = Math.max(30 - (x1 - x0) / 2, (x1 - x0) * 0.15, (y1 - y0) * 0.15);
  [x0, x1, y0, y1] = [x0 - pad, x1 + pad, y0 - pad, y1 + pad];
  const width = Math.max(x1 - x0, (y1 - y0) * 1.6);
  const height = width / 1.6;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const viewBox = `${cx - width / 2} ${cy - height / 2} ${width} ${height}`;
  const r = width / 120;
  // Incidents at the same point (a region's point) are drawn as one dot with their number.
  const stacks = new Map<string, { position: Position; count: number }>();
  for (const p of placed) {
    const key = `${p.position[0].toFixed(3)},${p.position[1].toFixed(3)}`;
    stacks.set(key, { position: p.position, count: (stacks.get(key)?.count ?? 0) + 1 });
  }

  return (
    <main id="main" class="map-page">
      <h1>Map</h1>
      <p>
        {clearance.restricted
          ? 'Incidents at their exact coordinates where they are known (your role may read them), otherwise at their region.'
          : 'Incidents at the representative point of their region: exact coordinates are never shown to the public.'}
      </p>
      <FilterForm filters={filters} onApply={apply} />
      <p class="actions">
        {token() ? (
          <button type="button" class="link" onClick={() => void download(url, 'incidents.geojson')}>
            Download GeoJSON
          </button>
        ) : (
          <a href={url} download="incidents.geojson">
            Download GeoJSON
          </a>
        )}
        {data ? (
          <span role="status">
            {' '}
            · {placed.length} incident{placed.length === 1 ? '' : 's'} on the map{unplaced ? `, ${unplaced} without a known place` : ''}
          </span>
        ) : null}
      </p>
      {error ? <Failure error={error} /> : null}
      {loading ? <Loading what="the map" /> : null}
      <svg class="map" viewBox={viewBox} role="group" aria-labelledby="map-title" preserveAspectRatio="xMidYMid meet">
        <title id="map-title">Map of {placed.length} incidents</title>
        <g class="countries">
          {countries.features.map((c) => (c.geometry ? <path key={String(c.id)} d={pathOf(c.geometry)} /> : null))}
        </g>
        <g class="incidents">
          {placed.map((p) => (
            <a key={p.id} href={`/incidents/${p.id}`} aria-label={`${p.headline} (${p.place})`}>
              <circle cx={p.position[0]} cy={-p.position[1]} r={(stacks.get(`${p.position[0].toFixed(3)},${p.position[1].toFixed(3)}`)?.count ?? 1) > 1 ? r * 1.4 : r} class={`point ${p.precision}`}>
                <title>{`${p.headline} (${p.place}; ${p.precision})`}</title>
              </circle>
            </a>
          ))}
        </g>
        <g class="stack-counts" aria-hidden="true">
          {[...stacks.entries()]
            .filter(([, stack]) => stack.count > 1)
            .map(([key, stack]) => (
              <text key={key} x={stack.position[0]} y={-stack.position[1]} font-size={r * 1.3} dy={r * 0.45} text-anchor="middle">
                {stack.count}
              </text>
            ))}
        </g>
      </svg>
      <table class="map-list">
        <caption>The incidents on the map</caption>
        <thead>
          <tr>
            <th scope="col">Incident</th>
            <th scope="col">Place</th>
            <th scope="col">Kind</th>
            <th scope="col">Placed at</th>
          </tr>
        </thead>
        <tbody>
          {placed.map((p) => (
            <tr key={p.id}>
              <td>
                <a href={`/incidents/${p.id}`} lang={p.language}>
                  {p.headline}
                </a>
              </td>
              <td>{p.place}</td>
              <td>{words(p.kind)}</td>
              <td>{p.precision}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
