import type { VariablesOf } from 'gql.tada';
import { graphql } from './graphql';

/** The incident filter every page shares, as it stands in a page's URL (`?q=...&region=RU-CE&
 * date=2017-04&kind=ABDUCTION`): a filtered page is a link that can be shared. */
export interface Filters {
  q: string;
  regions: string[];
  date: string;
  kinds: string[];
  situation: string;
  statuses: string[];
}

export const EMPTY: Filters = { q: '', regions: [], date: '', kinds: [], situation: '', statuses: [] };

export function filtersFromUrl(search: string): Filters {
  const p = new URLSearchParams(search);
  return {
    q: p.get('q') ?? '',
    regions: p.getAll('region'),
    date: p.get('date') ?? '',
    kinds: p.getAll('kind'),
    situation: p.get('situation') ?? '',
    statuses: p.getAll('status'),
  };
}

export function filtersToUrl(f: Filters): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  f.regions.forEach((r) => p.append('region', r));
  if (f.date) p.set('date', f.date);
  f.kinds.forEach((k) => p.append('kind', k));
  if (f.situation) p.set('situation', f.situation);
  f.statuses.forEach((s) => p.append('status', s));
  const text = p.toString();
  return text ? `?${text}` : '';
}

/** A date as a year, a month or a day ("2017", "2017-04", "2017-04-03"), or an interval of two
 * of them ("2017-04/2018", as in EDTF), as the range it spans; null when it is none of those. */
export function dateRange(text: string): { dateFrom: string; dateTo: string } | null {
  const parts = text.split('/');
  if (parts.length === 2) {
    const [from, to] = parts.map(period);
    return from && to && from.dateFrom <= to.dateTo ? { dateFrom: from.dateFrom, dateTo: to.dateTo } : null;
  }
  return period(text);
}

function period(text: string): { dateFrom: string; dateTo: string } | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  const year = Number(y);
  if (mo && (Number(mo) < 1 || Number(mo) > 12)) return null;
  if (d) {
    const day = new Date(Date.UTC(year, Number(mo) - 1, Number(d)));
    if (day.getUTCDate() !== Number(d)) return null;
    return { dateFrom: `${y}-${mo}-${d}`, dateTo: `${y}-${mo}-${d}` };
  }
  if (mo) {
    const last = new Date(Date.UTC(year, Number(mo), 0)).getUTCDate();
    return { dateFrom: `${y}-${mo}-01`, dateTo: `${y}-${mo}-${String(last).padStart(2, '0')}` };
  }
  return { dateFrom: `${y}-01-01`, dateTo: `${y}-12-31` };
}

const FILTER_SHAPE = graphql(`
  query FilterShape($filter: IncidentFilter) { incidents(filter: $filter, first: 1) { totalCount } }
`);
export type IncidentFilter = NonNullable<VariablesOf<typeof FILTER_SHAPE>['filter']>;
type Kind = NonNullable<IncidentFilter['kinds']>[number];
type Status = NonNullable<IncidentFilter['verificationStatuses']>[number];

/** The GraphQL IncidentFilter for these filters. */
export function incidentFilter(f: Filters): IncidentFilter {
  const range = dateRange(f.date);
  return {
    ...(f.q.trim() ? { search: f.q.trim() } : {}),
    ...(f.regions.length ? { regions: f.regions } : {}),
    ...(range ?? {}),
    ...(f.kinds.length ? { kinds: f.kinds as Kind[] } : {}),
    ...(f.situation ? { situationId: f.situation } : {}),
    ...(f.statuses.length ? { verificationStatuses: f.statuses as Status[] } : {}),
  };
}

/** The same filter as export parameters (`regions=RU-CE&dateFrom=...`), so a download holds
 * exactly what the page shows. */
export function exportParameters(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  for (const [name, value] of Object.entries(incidentFilter(f))) {
    if (Array.isArray(value)) value.forEach((v) => p.append(name, String(v)));
    else p.set(name, String(value));
  }
  return p;
}

export const INCIDENT_KINDS: readonly Kind[] = [
  'ABDUCTION', 'DETENTION', 'ENFORCED_DISAPPEARANCE', 'KILLING', 'SEXUAL_VIOLENCE', 'THREAT_OR_HARASSMENT', 'TORTURE_OR_ILL_TREATMENT', 'OTHER',
] satisfies Kind[];
export const STATUSES: readonly Status[] = ['REPORTED', 'CORROBORATED', 'VERIFIED', 'DISPUTED', 'RETRACTED'] satisfies Status[];
