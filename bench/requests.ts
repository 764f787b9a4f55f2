/* The three representative reads of issue 7, as Vigil's GraphQL and as the equivalent PostGraphile
 * GraphQL over bench/postgraphile.sql (PostGraphile 4, and PostGraphile 5, whose schema differs only
 * in names: a column `id` is `rowId` there, `id` being the Node ID), each with a normal form of its
 * answer so the harness can check that every server returns the same data before measuring them. */

export interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
}

export type ReadName = 'page' | 'monthly' | 'search' | 'searchCountry';

export interface Read {
  name: ReadName;
  title: string;
  vigil(first: number): GraphQLBody;
  postgraphile4(first: number): GraphQLBody;
  postgraphile5(first: number): GraphQLBody;
  /** Page sizes at which statements are counted; null when the read has no page. */
  pageSizes: number[] | null;
  /** The answer's `data` in a form both servers share. */
  normalizeVigil(data: unknown): unknown;
  normalizePostGraphile4(data: unknown): unknown;
  normalizePostGraphile5(data: unknown): unknown;
}

export const PAGE_SIZE = 50;
export const COUNTRY = 'RU';
export const YEAR = 2017;
export const SEARCH = 'detained prison';
/** A word that many incidents hold (the kind TORTURE_OR_ILL_TREATMENT is searched too), in a large country. */
export const COMMON_WORD = 'torture';

// The answers are walked loosely: a wrong shape fails the comparison, which is the point.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

const PAGE_VIGIL = `query Page($first: Int!, $regions: [String!], $from: String, $to: String) {
  incidents(first: $first, filter: { regions: $regions, dateFrom: $from, dateTo: $to }) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id headline kind date { start precision } regionCode victims { atLeast atMost best }
      citations { excerpt source { publisher title } }
      responses { kind title }
    } }
  }
}`;

/** PostGraphile's names of the `id` column: the field, and its order. */
interface IdNames {
  id: 'id' | 'rowId';
  ID: 'ID' | 'ROW_ID';
}
const V4: IdNames = { id: 'id', ID: 'ID' };
const V5: IdNames = { id: 'rowId', ID: 'ROW_ID' };

const pagePostGraphile = ({ id, ID }: IdNames) => `query Page($first: Int!, $regions: [String], $from: Date, $to: Date) {
  incidentsIn(regions: $regions, dateFrom: $from, dateTo: $to, first: $first) {
    pageInfo { hasNextPage endCursor }
    nodes {
      ${id} headline kind dateStart datePrecision regionCode victimsAtLeast victimsAtMost victimsBest
      citationsByIncidentId(orderBy: [CREATED_AT_ASC, ${ID}_ASC]) { nodes { excerpt sourceBySourceId { publisher title } } }
      responseIncidentsByIncidentId(orderBy: [CREATED_AT_ASC, ${ID}_ASC]) { nodes { advocacyResponseByResponseId { kind title } } }
    }
  }
}`;

const MONTHLY_VIGIL = `query Monthly($regions: [String!]) {
  incidentStats(filter: { regions: $regions }, groupBy: [MONTH]) {
    month incidents
    victims { atLeast atMost best unknown }
    deaths { atLeast atMost best unknown }
    responses
  }
}`;

const MONTHLY_POSTGRAPHILE = `query Monthly($regions: [String]) {
  incidentMonthlyStats(regions: $regions) {
    nodes {
      month incidents victimsAtLeast victimsAtMost victimsBest victimsUnknown
      deathsAtLeast deathsAtMost deathsBest deathsUnknown responses
    }
  }
}`;

const SEARCH_VIGIL = `query Search($first: Int!, $search: String, $regions: [String!]) {
  incidents(first: $first, filter: { search: $search, regions: $regions }, orderBy: RELEVANCE) {
    pageInfo { hasNextPage endCursor }
    edges { node { id headline kind date { start precision } regionCode } }
  }
}`;

const searchPostGraphile = ({ id }: IdNames) => `query Search($first: Int!, $search: String, $regions: [String]) {
  searchIncidents(search: $search, regions: $regions, first: $first) {
    pageInfo { hasNextPage endCursor }
    nodes { ${id} headline kind dateStart datePrecision regionCode }
  }
}`;

const normalizePagePostGraphile = (data: Loose, { id }: IdNames) => ({
  hasNextPage: data.incidentsIn.pageInfo.hasNextPage,
  incidents: data.incidentsIn.nodes.map((n: Loose) => ({
    id: n[id],
    headline: n.headline,
    kind: n.kind,
    date: [n.dateStart, n.datePrecision],
    regionCode: n.regionCode,
    victims: [n.victimsAtLeast, n.victimsAtMost, n.victimsBest],
    citations: n.citationsByIncidentId.nodes.map((c: Loose) => [c.excerpt, c.sourceBySourceId?.publisher, c.sourceBySourceId?.title]),
    responses: n.responseIncidentsByIncidentId.nodes.map((r: Loose) => [r.advocacyResponseByResponseId.kind, r.advocacyResponseByResponseId.title]),
  })),
});

const normalizeMonthlyPostGraphile = (data: Loose) =>
  data.incidentMonthlyStats.nodes.map((b: Loose) => [
    b.month,
    b.incidents,
    ...['victims', 'deaths'].flatMap((k) => [b[`${k}AtLeast`], b[`${k}AtMost`], b[`${k}Best`], b[`${k}Unknown`]].map(num)),
    b.responses,
  ]);

const normalizeSearchPostGraphile = (data: Loose, { id }: IdNames) => ({
  hasNextPage: data.searchIncidents.pageInfo.hasNextPage,
  incidents: data.searchIncidents.nodes.map((n: Loose) => [n[id], n.headline, n.kind, n.dateStart, n.datePrecision, n.regionCode]),
});

const pageVariables = (first: number) => ({ first, regions: [COUNTRY], from: `${YEAR}-01-01`, to: `${YEAR}-12-31` });

/** A ranked search read: the same query for each server, with its variables. */
function searchRead(name: 'search' | 'searchCountry', title: string, variables: { search: string; regions?: string[] }): Read {
  return {
    name,
    title,
    vigil: (first) => ({ query: SEARCH_VIGIL, variables: { first, ...variables } }),
    postgraphile4: (first) => ({ query: searchPostGraphile(V4), variables: { first, ...variables } }),
    postgraphile5: (first) => ({ query: searchPostGraphile(V5), variables: { first, ...variables } }),
    pageSizes: [10, PAGE_SIZE],
    normalizeVigil: (data: Loose) => ({
      hasNextPage: data.incidents.pageInfo.hasNextPage,
      incidents: data.incidents.edges.map(({ node: n }: Loose) => [n.id, n.headline, n.kind, n.date.start, n.date.precision, n.regionCode]),
    }),
    normalizePostGraphile4: (data: Loose) => normalizeSearchPostGraphile(data, V4),
    normalizePostGraphile5: (data: Loose) => normalizeSearchPostGraphile(data, V5),
  };
}

export const READS: Read[] = [
  {
    name: 'page',
    title: `page of ${PAGE_SIZE} incidents in ${COUNTRY} in ${YEAR} with citations, sources and responses`,
    vigil: (first) => ({ query: PAGE_VIGIL, variables: pageVariables(first) }),
    postgraphile4: (first) => ({ query: pagePostGraphile(V4), variables: pageVariables(first) }),
    postgraphile5: (first) => ({ query: pagePostGraphile(V5), variables: pageVariables(first) }),
    pageSizes: [10, PAGE_SIZE],
    normalizeVigil: (data: Loose) => ({
      hasNextPage: data.incidents.pageInfo.hasNextPage,
      incidents: data.incidents.edges.map(({ node: n }: Loose) => ({
        id: n.id,
        headline: n.headline,
        kind: n.kind,
        date: [n.date.start, n.date.precision],
        regionCode: n.regionCode,
        victims: [n.victims.atLeast, n.victims.atMost, n.victims.best],
        citations: n.citations.map((c: Loose) => [c.excerpt, c.source?.publisher, c.source?.title]),
        responses: n.responses.map((r: Loose) => [r.kind, r.title]),
      })),
    }),
    normalizePostGraphile4: (data: Loose) => normalizePagePostGraphile(data, V4),
    normalizePostGraphile5: (data: Loose) => normalizePagePostGraphile(data, V5),
  },
  {
    name: 'monthly',
    title: `monthly aggregate for ${COUNTRY} (counts, victims and deaths as ranges, responses)`,
    vigil: () => ({ query: MONTHLY_VIGIL, variables: { regions: [COUNTRY] } }),
    postgraphile4: () => ({ query: MONTHLY_POSTGRAPHILE, variables: { regions: [COUNTRY] } }),
    postgraphile5: () => ({ query: MONTHLY_POSTGRAPHILE, variables: { regions: [COUNTRY] } }),
    pageSizes: null,
    normalizeVigil: (data: Loose) =>
      data.incidentStats.map((b: Loose) => [
        b.month,
        b.incidents,
        ...['victims', 'deaths'].flatMap((k) => [b[k].atLeast, b[k].atMost, b[k].best, b[k].unknown].map(num)),
        b.responses,
      ]),
    normalizePostGraphile4: (data: Loose) => normalizeMonthlyPostGraphile(data),
    normalizePostGraphile5: (data: Loose) => normalizeMonthlyPostGraphile(data),
  },
  searchRead('search', `full-text search "${SEARCH}", ${PAGE_SIZE} most relevant`, { search: SEARCH }),
  searchRead('searchCountry', `full-text search "${COMMON_WORD}" in ${COUNTRY}, ${PAGE_SIZE} most relevant`, { search: COMMON_WORD, regions: [COUNTRY] }),
];

/** Posts a GraphQL request; throws on an HTTP error or GraphQL errors. */
export async function graphql(url: string, body: GraphQLBody): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  let parsed: { data?: unknown; errors?: unknown[] };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new Error(`${url}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  }
  if (!response.ok || parsed.errors) throw new Error(`${url}: HTTP ${response.status}: ${JSON.stringify(parsed.errors ?? parsed).slice(0, 600)}`);
  return parsed.data;
}
