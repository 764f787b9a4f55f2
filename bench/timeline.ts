/* Issue 18: the timeline of one country and one year, as a reader gets it. Two ways, both Vigil's,
 * both anonymous: the GraphQL `timeline` query (a page of entries with what a slide shows: date,
 * headline, description, region, the sources its citations cite; the selection the web page's
 * GraphQL query had), and `GET /exports/timeline.json` with the same filter (the whole timeline,
 * every entry, as the web timeline page loads it). Each under load and at one connection, taking
 * turns in rounds. The export is loaded at fewer connections than the export slots one caller
 * may hold (src/exports/export-slots.ts): more would measure the refusals. */
import { MAX_EXPORTS_PER_CALLER } from '../src/exports/export-slots';
import type { BenchServer } from './processes';
import { LoadFigures, LoadTarget, run, Series } from './load';
import { COUNTRY, graphql, YEAR } from './requests';

/** The GraphQL page: the API's largest (MAX_PAGE_SIZE). */
export const TIMELINE_PAGE_SIZE = 100;

export type TimelineTarget = 'graphql' | 'export';

export interface TimelineFigures {
  title: string;
  /** Entries of the whole timeline (the export's events; GraphQL's totalCount). */
  entries: number;
  graphqlPageSize: number;
  /** The GraphQL page is the export's first entries, in the same order, and both count the same. */
  sameData: boolean;
  difference?: string;
  /** SQL statements Vigil sends for one request of each. */
  statements: Record<TimelineTarget, number>;
  connections: Record<TimelineTarget, number>;
  load: Record<TimelineTarget, { loaded: LoadFigures; single: LoadFigures }>;
}

const TIMELINE_QUERY = `query Timeline($filter: IncidentFilter, $first: Int) {
  timeline(filter: $filter, first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      kind id date { start end precision } headline recordKind regionCode
      incident { description citations { source { publisher title url } } }
      advocacyResponse { description citations { source { publisher title url } } }
    } }
  }
}`;

const filter = { regions: [COUNTRY], dateFrom: `${YEAR}-01-01`, dateTo: `${YEAR}-12-31` };

export const timelineTitle = `timeline of ${COUNTRY} in ${YEAR} (incidents, and the responses that answer them)`;

function exportPath(): string {
  const p = new URLSearchParams();
  p.append('regions', COUNTRY);
  p.set('dateFrom', filter.dateFrom);
  p.set('dateTo', filter.dateTo);
  return `/exports/timeline.json?${p.toString()}`;
}

interface GraphQLTimeline {
  timeline: { totalCount?: number; edges: { node: { kind: string; id: string; date: { start: string } } }[] };
}

/** The first entries of both, as `kind-id start`, and both totals: they must agree. */
async function compare(vigil: BenchServer): Promise<{ entries: number; difference?: string }> {
  const page = (await graphql(`${vigil.baseUrl}/graphql`, {
    query: TIMELINE_QUERY.replace('pageInfo {', 'totalCount pageInfo {'),
    variables: { filter, first: TIMELINE_PAGE_SIZE },
  })) as GraphQLTimeline;
  const response = await fetch(vigil.baseUrl + exportPath());
  if (!response.ok) throw new Error(`timeline.json: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  const json = (await response.json()) as { events: { unique_id: string; start_date: { year: number; month?: number; day?: number } }[] };
  const fromGraphQL = page.timeline.edges.map(({ node }) => `${node.kind.toLowerCase()}-${node.id} ${node.date.start}`);
  const fromExport = json.events.slice(0, TIMELINE_PAGE_SIZE).map((e) => {
    const d = e.start_date;
    return `${e.unique_id} ${[d.year, d.month ?? 1, d.day ?? 1].map((n, k) => String(n).padStart(k ? 2 : 4, '0')).join('-')}`;
  });
  const entries = json.events.length;
  if (page.timeline.totalCount !== entries) return { entries, difference: `GraphQL totalCount ${page.timeline.totalCount}, export ${entries} events` };
  const k = fromGraphQL.findIndex((entry, i) => entry !== fromExport[i]);
  if (k >= 0 || fromGraphQL.length !== Math.min(entries, TIMELINE_PAGE_SIZE)) {
    return { entries, difference: `entry ${k}: GraphQL ${fromGraphQL[k] ?? 'none'}, export ${fromExport[k] ?? 'none'}` };
  }
  return { entries };
}

async function countStatements(vigil: BenchServer, request: () => Promise<unknown>): Promise<number> {
  await vigil.resetStatements(false);
  await request();
  await new Promise((r) => setTimeout(r, 50));
  return (await vigil.statements()).count;
}

export async function measureTimeline(
  vigil: BenchServer,
  options: { connections: number; duration: number; latencyDuration: number; rounds: number; warmup: number },
): Promise<TimelineFigures> {
  const { entries, difference } = await compare(vigil);
  const targets: Record<TimelineTarget, LoadTarget> = {
    graphql: { url: `${vigil.baseUrl}/graphql`, body: JSON.stringify({ query: TIMELINE_QUERY, variables: { filter, first: TIMELINE_PAGE_SIZE } }) },
    export: { url: vigil.baseUrl + exportPath() },
  };
  // One slot fewer than a caller may hold: a slot is given back just after the response has ended,
  // so a connection that asks again at once can find all of them still taken.
  const connections: Record<TimelineTarget, number> = { graphql: options.connections, export: Math.min(options.connections, MAX_EXPORTS_PER_CALLER - 1) };
  const statements: Record<TimelineTarget, number> = {
    graphql: await countStatements(vigil, () => graphql(targets.graphql.url, JSON.parse(targets.graphql.body!) as { query: string })),
    export: await countStatements(vigil, () => fetch(targets.export.url).then((r) => r.arrayBuffer())),
  };
  const series = {
    graphql: { loaded: new Series(connections.graphql), single: new Series(1) },
    export: { loaded: new Series(connections.export), single: new Series(1) },
  };
  const kinds: TimelineTarget[] = ['graphql', 'export'];
  const timed = async (target: TimelineTarget, kind: 'loaded' | 'single', seconds: number) => {
    const cpuBefore = vigil.cpuSeconds();
    const outcome = await run(targets[target], kind === 'loaded' ? connections[target] : 1, seconds);
    series[target][kind].add(outcome, vigil.cpuSeconds() - cpuBefore);
  };
  for (let round = 0; round < options.rounds; round++) {
    for (const target of kinds) {
      if (round === 0 && options.warmup > 0) await run(targets[target], connections[target], options.warmup);
      await timed(target, 'loaded', Math.max(1, options.duration / options.rounds));
    }
    for (const target of kinds) await timed(target, 'single', Math.max(1, options.latencyDuration / options.rounds));
  }
  return {
    title: timelineTitle,
    entries,
    graphqlPageSize: TIMELINE_PAGE_SIZE,
    sameData: !difference,
    ...(difference ? { difference } : {}),
    statements,
    connections,
    load: {
      graphql: { loaded: series.graphql.loaded.figures(), single: series.graphql.single.figures() },
      export: { loaded: series.export.loaded.figures(), single: series.export.single.figures() },
    },
  };
}
