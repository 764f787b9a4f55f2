import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { updatedAtSql } from '../access/change-stamps';
import { clearanceScope, onlyVisible, readsDeleted, rollupVisibleCondition, textMatchSql, visibleCondition } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { applyBoundingBox } from '../common/bounding-box';
import { PageArgs } from '../common/connection';
import { UserInputError } from '../common/errors';
import { applyCountRange, applyDateRange, applyUpdatedSince, countBoundsSql } from '../common/filters';
import { paginate, SortKey } from '../common/keyset';
import { selectColumns } from '../common/loaders';
import { columnsFor, Selection } from '../common/record-columns';
import { likePattern } from '../common/like';
import { EditingService, inside, valuesOf, WriteContext } from '../editing/editing.service';
import { Involvement } from '../people/involvement.entity';
import { Person } from '../people/person.entity';
import { RegionsService } from '../regions/regions.service';
import { ResponseIncident } from '../responses/response-links.entity';
import { cite } from '../sources/citing';
import { CreateIncidentInput } from './dto/incident.inputs';
import { IncidentFilter, IncidentOrder } from './dto/incident-filter.input';
import { IncidentBucket, IncidentDimension } from './dto/incident-stats';
import { Incident, INCIDENT_TEXT } from './incident.entity';
import { Citation, CITATION_TEXT } from '../sources/citation.entity';
import { checkedSearch, MatchedPassage, passageOf, passagesSql } from '../common/passage';
import { VigilContext } from '../common/vigil-context';
import { MONTH_SQL, YEAR_SQL } from './periods';
import { OWN_TEXT, searchDocumentsHoldDeleted, searchDocumentTable } from './search-document';

/** The viewer's readable levels, bound once per query for every visibility subquery. */
const LEVELS = 'viewer_levels';

/** Visible citations of incident `i`, with their (visible) sources as `s`. */
const CITED = `FROM citation c JOIN source s ON s.id = c.source_id
  WHERE c.incident_id = i.id AND ${visibleCondition('Citation', 'c', LEVELS, { reachedBy: 'incident_id' })}`;

/** Visible responses answering incident `i`, as `r`. */
const ANSWERED = `FROM response_incident ri JOIN advocacy_response r ON r.id = ri.response_id
  WHERE ri.incident_id = i.id AND ${visibleCondition('ResponseIncident', 'ri', LEVELS, { reachedBy: 'incident_id' })}`;

/** The search as the query vigil_search_query reads it (src/common/search.ts), computed once per
 * request and bound as text: folded in the statement, it was planned once per use (four). */
const SEARCH_QUERY = 'search_query';
const QUERY = `CAST(:${SEARCH_QUERY} AS tsquery)`;
/** Relevance, in two tiers: first the incidents whose own text (headline and description, any
 * language: OWN_TEXT) matches, then those found only through their kind, their visible citations
 * or the name of their place or situation; within a tier, ts_rank of the incident's search document
 * in the viewer's clearance (its own text, and its visible citations' with the lowest weight:
 * src/incidents/search-document.ts), 0 for an incident found by a name only; ties by id. */
type SearchPlan = 'rankFirst' | 'filterFirst';

/** Filters the search documents narrow by themselves (a region inside the GIN scan). */
const DOCUMENT_FILTERS: ReadonlySet<string> = new Set(['search', 'includeDeleted', 'regions']);

/** How a search finds and ranks its incidents (hitsSql): `rankFirst` for a page by relevance with
 * no filter but regions; `filterFirst` otherwise, so that the other filters narrow the matches
 * before anything is ranked. */
function searchPlan(filter: IncidentFilter, orderBy: IncidentOrder | undefined): SearchPlan {
  return orderBy === IncidentOrder.RELEVANCE && !narrowedBeyondDocuments(filter) ? 'rankFirst' : 'filterFirst';
}

/** Whether a filter other than those the documents apply themselves narrows the list. */
function narrowedBeyondDocuments(filter: IncidentFilter): boolean {
  return Object.entries(filter).some(
    ([field, value]) => !DOCUMENT_FILTERS.has(field) && value !== undefined && value !== null && !(Array.isArray(value) && !value.length),
  );
}

/** Incidents that match through the name of their place (their region or one enclosing it, in any
 * language: "Chechnya", "Чечня") or of their situation (its name, weight A, or a translation of it;
 * not its description), when the viewer may see it: all of them, ranked 0 unless their document
 * matches too. Each incident in the viewer's clearance scope; the outer query applies the
 * visibility rule. */
const namedSql = (viewer: Viewer) => `SELECT m.id FROM incident m WHERE ${clearanceScope('m', viewer)} AND m.region_code IN (
      SELECT r.code FROM region r WHERE r.path && ARRAY(SELECT n.code FROM region n WHERE n.search_vector @@ ${QUERY}))
    UNION SELECT m.id FROM incident m WHERE ${clearanceScope('m', viewer)} AND m.situation_id IN (
      SELECT s.id FROM situation s WHERE ${textMatchSql('s', 'search_vector', `@@ ${QUERY}`, viewer)} AND ts_filter(s.search_vector, '{a}') @@ ${QUERY}
        AND ${visibleCondition('Situation', 's', LEVELS)})`;
/** The documents of the viewer's clearance that match (one GIN scan of that clearance's index; a
 * filter's regions narrow it there: `regions`). A hidden record is in no row of that table. */
const REGIONS_MATCH = ' AND ARRAY[d.region_code] && ARRAY[:...regionCodes]';
const documentMatchSql = (viewer: Viewer, regions: boolean) => `FROM ${searchDocumentTable(viewer)} d WHERE d.document @@ ${QUERY}${regions ? REGIONS_MATCH : ''}`;
/** Of a matching document `d`, whether the incident's own text matches too (the first tier). */
const OWN_MATCH = `${OWN_TEXT('d')} @@ ${QUERY}`;
/** A parameter of a list's page (paginate's `bound`): how many incidents the page reads. Null
 * elsewhere (counts, exports): then every match is ranked. */
const HIT_LIMIT = 'hit_limit';
/** A later page's cursor (paginate's `boundAfter`): the tier, rank and id of the last incident of
 * the page before; null on a first page. */
const HIT_AFTER = ['hit_after_tier', 'hit_after_rank', 'hit_after_id'] as const;
/** Of the first tier's documents, those after the cursor: none when the cursor is in the second. */
const OWN_AFTER = `(CAST(:${HIT_AFTER[0]} AS int) IS NULL OR (CAST(:${HIT_AFTER[0]} AS int) = 1
        AND (ts_rank(d.document, ${QUERY})::float8, d.incident_id) < (CAST(:${HIT_AFTER[1]} AS float8), CAST(:${HIT_AFTER[2]} AS uuid))))`;

/** The incidents matching the search with their tier and rank, for a page by relevance. The first
 * tier is read from the index of the incidents' own text; when a page's `HIT_LIMIT` is bound and
 * that tier alone fills it, only its best are kept and the other tier is never read, so a common
 * word ranks a few thousand documents rather than every match (bench/README.md). A later page
 * keeps the first tier's documents after its cursor (`HIT_AFTER`: none when the cursor is in the
 * second tier, which is then ranked whole). The first tier holds exactly the incidents the outer
 * query shows (a clearance whose documents hold deleted incidents leaves them out unless
 * `includeDeleted`), so its best are the page. The
 * whole document must match too (an excluded word may be in a citation), tested row by row
 * (ts_match_vq is `@@` in a form no index serves): ANDed with the document index, the common word's
 * every match went into a bitmap first (130 of 350 ms at a million incidents). */
const hitsSql = (viewer: Viewer, regions: boolean, withDeleted: boolean) => {
  const deleted =
    searchDocumentsHoldDeleted(viewer) && !withDeleted ? ' AND NOT EXISTS (SELECT 1 FROM incident x WHERE x.id = d.incident_id AND x.deleted_at IS NOT NULL)' : '';
  return `WITH own AS MATERIALIZED (
      SELECT d.incident_id, ts_rank(d.document, ${QUERY})::float8 AS rank FROM ${searchDocumentTable(viewer)} d
       WHERE ${OWN_MATCH}${regions ? REGIONS_MATCH : ''} AND ts_match_vq(d.document, ${QUERY})${deleted} AND ${OWN_AFTER}
      ORDER BY rank DESC, d.incident_id DESC LIMIT CAST(:${HIT_LIMIT} AS int))
    SELECT own.incident_id, 1 AS tier, own.rank FROM own
    UNION ALL
    SELECT h.incident_id, 0, max(h.rank)::float8 FROM (
      SELECT d.incident_id, ts_rank(d.document, ${QUERY}) AS rank ${documentMatchSql(viewer, regions)} AND NOT (${OWN_MATCH})
      UNION ALL
      SELECT named.id, 0::real FROM (${namedSql(viewer)}) named WHERE named.id NOT IN (SELECT own.incident_id FROM own)
    ) h WHERE CAST(:${HIT_LIMIT} AS int) IS NULL OR (SELECT count(*) FROM own) < CAST(:${HIT_LIMIT} AS int)
    GROUP BY h.incident_id`;
};
/** `filterFirst`: the ids only, as a condition; the sort keys rank the incidents that pass every
 * filter (afterFilters). With no other filter (`alone`), the matches are read first, as an array,
 * and the page's incidents by primary key: PostgreSQL cannot estimate the union with the named
 * incidents, and given a semi-join it walked the list's order through every incident for a rare
 * word (0.8 s at 200,000 incidents, 4 s at a million, against 2 ms). With other filters the
 * semi-join lets their index narrow first (a hash join), which the array would not. */
const matchesSql = (viewer: Viewer, regions: boolean, alone: boolean) => {
  const matches = `SELECT d.incident_id ${documentMatchSql(viewer, regions)} UNION ${namedSql(viewer)}`;
  return alone ? `i.id = ANY(ARRAY(${matches}))` : `i.id IN (${matches})`;
};
/** The tier and rank of a `filterFirst` search, for the incidents that pass every filter: the
 * same values as `hit.tier` and `hit.rank`, from the incident's document in the viewer's clearance. */
const afterFilters = (viewer: Viewer, value: string) =>
  `coalesce((SELECT CASE WHEN d.document @@ ${QUERY} THEN ${value} ELSE 0 END FROM ${searchDocumentTable(viewer)} d WHERE d.incident_id = i.id), 0)`;
const tierAfterFilters = (viewer: Viewer) => afterFilters(viewer, `CASE WHEN ${OWN_MATCH} THEN 1 ELSE 0 END`);
const rankAfterFilters = (viewer: Viewer) => `${afterFilters(viewer, `ts_rank(d.document, ${QUERY})`)}::float8`;

/** Group keys: a period only when the whole date span lies in it (precision honoured, periods.ts). */
const DIMENSIONS: Record<IncidentDimension, { column: string; sql: string }> = {
  [IncidentDimension.YEAR]: {
    column: 'year',
    sql: YEAR_SQL,
  },
  [IncidentDimension.MONTH]: {
    column: 'month',
    sql: MONTH_SQL,
  },
  [IncidentDimension.COUNTRY]: { column: 'country_code', sql: '(SELECT reg.country_code FROM region reg WHERE reg.code = i.region_code)' },
  [IncidentDimension.REGION]: { column: 'region_code', sql: 'i.region_code' },
  [IncidentDimension.KIND]: { column: 'kind', sql: 'i.kind' },
  [IncidentDimension.STATUS]: { column: 'verification_status', sql: 'i.verification_status' },
};

/** What the rollup (migration IncidentStatsRollup: incident_stats_rollup and incident_response_stats,
 * kept current by triggers) holds per group, for the dimensions and filters it represents exactly:
 * anything else is answered live. Over the alias `u` of both tables' rows. */
const ROLLUP_DIMENSIONS: Partial<Record<IncidentDimension, string>> = {
  [IncidentDimension.YEAR]: 'u.year',
  [IncidentDimension.MONTH]: 'u.month',
  [IncidentDimension.COUNTRY]: '(SELECT reg.country_code FROM region reg WHERE reg.code = u.region_code)',
  [IncidentDimension.REGION]: 'u.region_code',
  [IncidentDimension.KIND]: 'u.kind',
};
const ROLLUP_FILTERS: ReadonlySet<string> = new Set(['regions', 'kinds', 'includeDeleted']);
const ROLLUP_SUMS = ['incidents', ...['victims', 'deaths'].flatMap((p) => ['lower', 'upper', 'unbounded', 'best', 'unknown'].map((s) => `${p}_${s}`))];

/** More groups than this is a request to narrow, not to answer. */
export const MAX_BUCKETS = 10_000;

const countKey = (prefix: string) => `coalesce(i.${prefix}_best, i.${prefix}_at_least, i.${prefix}_at_most, -1)`;

const ORDERS: Record<Exclude<IncidentOrder, IncidentOrder.UPDATED_DESC | IncidentOrder.RELEVANCE>, SortKey[]> = {
  [IncidentOrder.DATE_DESC]: [{ expression: 'i.date_start', direction: 'DESC' }],
  [IncidentOrder.DATE_ASC]: [{ expression: 'i.date_start', direction: 'ASC' }],
  [IncidentOrder.VICTIMS_DESC]: [{ expression: countKey('victims'), direction: 'DESC' }],
  [IncidentOrder.DEATHS_DESC]: [{ expression: countKey('deaths'), direction: 'DESC' }],
};

/** Reads incidents. Every SQL statement of the module is built here. */
@Injectable()
export class IncidentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly editing: EditingService,
  ) {}

  /** An incident with its citations (and their new sources), people (and new people) and the
   * responses that answer it: one transaction, so all of it is written or none. */
  create(input: CreateIncidentInput, ctx: WriteContext): Promise<Incident> {
    return this.editing.transaction(async (m) => {
      const incident = await this.editing.create(m, Incident, valuesOf(input, ['citations', 'involvements', 'responseIds']), ctx);
      // What is written with the incident is written inside it: at least its level (docs/access.md).
      const within = inside(ctx, incident.confidentiality);
      for (const citation of input.citations ?? []) await cite(this.editing, m, citation, { incidentId: incident.id }, within);
      for (const involvement of input.involvements ?? []) {
        await this.editing.createNested(m, Involvement, { ...valuesOf(involvement, ['personId', 'person']), incidentId: incident.id }, within, {
          key: 'personId',
          entity: Person,
          id: involvement.personId,
          values: involvement.person ? valuesOf(involvement.person) : null,
        });
      }
      for (const responseId of new Set(input.responseIds ?? [])) {
        await this.editing.create(m, ResponseIncident, { responseId, incidentId: incident.id }, within);
      }
      return incident;
    });
  }

  /** The visible incidents matching `filter`: the one query behind the list, the stats and the
   * exports, so they always agree. Related records (citations, sources, responses) count only
   * when the viewer may see them, so no filter reveals a hidden record. `orderBy`: the order the
   * caller will ask sortKeys for (how a search ranks depends on it: searchPlan). */
  async matching(given: IncidentFilter | null | undefined, viewer: Viewer, argument = 'filter', orderBy?: IncidentOrder): Promise<SelectQueryBuilder<Incident>> {
    const filter = given ?? {};
    const qb = onlyVisible(this.dataSource.getRepository(Incident).createQueryBuilder('i'), 'i', viewer, { includeDeleted: filter.includeDeleted });
    qb.setParameter(LEVELS, viewer.readableLevels);
    if (filter.regions?.length) {
      qb.andWhere('i.region_code IN (:...regionCodes)', { regionCodes: await this.regions.expand(filter.regions, `${argument}.regions`) });
    }
    applyDateRange(qb, 'i', filter, argument);
    applyUpdatedSince(qb, 'i', filter.updatedSince, viewer);
    if (filter.kinds?.length) qb.andWhere('i.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter.verificationStatuses?.length) qb.andWhere('i.verification_status IN (:...statuses)', { statuses: filter.verificationStatuses });
    if (filter.situationId) {
      // Only a situation the viewer may see: otherwise the filter would tell which incidents
      // belong to a hidden one (their situationId answers null).
      qb.andWhere(`i.situation_id = :situationId AND EXISTS (SELECT 1 FROM situation v WHERE v.id = :situationId AND ${visibleCondition('Situation', 'v', LEVELS)})`, {
        situationId: filter.situationId,
      });
    }
    if (filter.perpetrator) {
      // In the trigram index of the viewer's clearance, like the search.
      qb.andWhere(textMatchSql('i', 'perpetrator_description', 'ILIKE :perpetrator', viewer), { perpetrator: likePattern(filter.perpetrator) });
    }
    applyCountRange(qb, 'i', 'victims', filter.victims, `${argument}.victims`);
    applyCountRange(qb, 'i', 'deaths', filter.deaths, `${argument}.deaths`);
    if (filter.hasResponse !== undefined && filter.hasResponse !== null) {
      qb.andWhere(`${filter.hasResponse ? '' : 'NOT '}EXISTS (SELECT 1 ${ANSWERED})`);
    }
    if (filter.responseKinds?.length) qb.andWhere(`EXISTS (SELECT 1 ${ANSWERED} AND r.kind IN (:...responseKinds))`, { responseKinds: filter.responseKinds });
    if (filter.responseOrganizationId) {
      qb.andWhere(
        `EXISTS (SELECT 1 ${ANSWERED} AND EXISTS (SELECT 1 FROM response_organizer o WHERE o.response_id = r.id
           AND o.organization_id = :responseOrganizationId AND ${visibleCondition('ResponseOrganizer', 'o', LEVELS, { reachedBy: 'response_id' })}))`,
        { responseOrganizationId: filter.responseOrganizationId },
      );
    }
    if (filter.sourcePublisher) {
      const publisher = textMatchSql('s', 'publisher', 'ILIKE :publisher', viewer);
      qb.andWhere(`EXISTS (SELECT 1 ${CITED} AND ${publisher})`, { publisher: likePattern(filter.sourcePublisher) });
    }
    if (filter.sourceKinds?.length) qb.andWhere(`EXISTS (SELECT 1 ${CITED} AND s.kind IN (:...sourceKinds))`, { sourceKinds: filter.sourceKinds });
    if (filter.minIndependentSources) {
      qb.andWhere(`(SELECT count(DISTINCT lower(btrim(s.publisher))) ${CITED}) >= :minSources`, { minSources: filter.minIndependentSources });
    }
    if (filter.within) applyBoundingBox(qb, 'i', filter.within, `${argument}.within`);
    if (filter.search) {
      qb.setParameter(SEARCH_QUERY, await this.searchQuery(filter.search));
      const regions = Boolean(filter.regions?.length);
      if (searchPlan(filter, orderBy) === 'rankFirst') {
        qb.innerJoin(`(${hitsSql(viewer, regions, readsDeleted(viewer, filter.includeDeleted))})`, 'hit', 'hit.incident_id = i.id');
        qb.setParameters({ [HIT_LIMIT]: null, ...Object.fromEntries(HIT_AFTER.map((name) => [name, null])) });
      } else qb.andWhere(matchesSql(viewer, regions, !narrowedBeyondDocuments(filter)));
    }
    return qb;
  }

  /** The search's query (vigil_search_query), as text to bind: read once per request. */
  private async searchQuery(search: string): Promise<string> {
    const [{ query }]: { query: string }[] = await this.dataSource.query('SELECT vigil_search_query($1)::text AS query', [search]);
    return query;
  }

  /** The sort keys of `orderBy`, for the list and the exports alike. */
  sortKeys(orderBy: IncidentOrder, filter: IncidentFilter | null | undefined, viewer: Viewer): SortKey[] {
    if (orderBy === IncidentOrder.RELEVANCE && !filter?.search) throw UserInputError.of('orderBy', 'RELEVANCE needs filter.search');
    // The last change the viewer may know of (src/access/change-stamps.ts).
    if (orderBy === IncidentOrder.UPDATED_DESC) return [{ expression: updatedAtSql('i', viewer), direction: 'DESC' }];
    if (orderBy === IncidentOrder.RELEVANCE) {
      // Ties by id, descending like the rank.
      if (searchPlan(filter ?? {}, orderBy) === 'rankFirst') return [{ expression: 'hit.tier', direction: 'DESC' }, { expression: 'hit.rank', direction: 'DESC' }];
      return [{ expression: tierAfterFilters(viewer), direction: 'DESC' }, { expression: rankAfterFilters(viewer), direction: 'DESC' }];
    }
    return ORDERS[orderBy];
  }

  /** A page of the visible incidents matching `filter`; with only the columns `nodes` (the
   * selection of each incident) needs, when given. */
  async list(filter: IncidentFilter | null | undefined, orderBy: IncidentOrder, page: PageArgs, viewer: Viewer, nodes?: Selection) {
    const qb = await this.matching(filter, viewer, 'filter', orderBy);
    if (nodes) selectColumns(qb, 'i', columnsFor(this.dataSource, Incident, nodes));
    return paginate(qb, 'i', this.sortKeys(orderBy, filter, viewer), page, { bound: HIT_LIMIT, boundAfter: HIT_AFTER });
  }

  /** Incidents matching `filter`, grouped by `groupBy`: counts, victims and deaths summed as
   * ranges, and distinct responses. One statement: from the rollup when it holds the answer
   * (rollupServes), else live over the same visible set as the list. Both give the same numbers
   * (test/stats-rollup.e2e-spec.ts). */
  async stats(filter: IncidentFilter | null | undefined, groupBy: IncidentDimension[], viewer: Viewer): Promise<IncidentBucket[]> {
    // Naming a dimension twice changes nothing; a list longer than there are dimensions is no grouping.
    const most = Object.keys(DIMENSIONS).length;
    if (groupBy.length > most) throw UserInputError.of('groupBy', `must name at most ${most} dimensions, each once`);
    const rows = this.rollupServes(filter, groupBy) ? await this.statsFromRollup(filter ?? {}, [...new Set(groupBy)], viewer) : await this.liveStats(filter, groupBy, viewer);
    if (rows.length > MAX_BUCKETS) throw UserInputError.of('groupBy', `more than ${MAX_BUCKETS} groups; narrow the filter or group by less`);
    const int = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    // Column names written out rather than built per row (`${prefix}_at_least`): an aggregate has
    // thousands of groups, and a computed key is a string made and looked up for each.
    return rows.map((row) => ({
      year: int(row.k_year),
      month: (row.k_month as string | undefined) ?? null,
      countryCode: (row.k_country_code as string | undefined) ?? null,
      regionCode: (row.k_region_code as string | undefined) ?? null,
      kind: (row.k_kind as IncidentBucket['kind'] | undefined) ?? null,
      verificationStatus: (row.k_verification_status as IncidentBucket['verificationStatus'] | undefined) ?? null,
      incidents: Number(row.incidents),
      victims: {
        atLeast: int(row.victims_at_least) ?? 0,
        atMost: int(row.victims_at_most),
        best: int(row.victims_best_sum) ?? 0,
        unknown: int(row.victims_unknown) ?? 0,
      },
      deaths: {
        atLeast: int(row.deaths_at_least) ?? 0,
        atMost: int(row.deaths_at_most),
        best: int(row.deaths_best_sum) ?? 0,
        unknown: int(row.deaths_unknown) ?? 0,
      },
      responses: Number(row.responses),
    }));
  }

  /** The matched passage of incident `id` for `search` (src/common/passage.ts): batched over the
   * incidents of one request, from the text the viewer may read. */
  passage(id: string, search: string, ctx: VigilContext): Promise<MatchedPassage | null> {
    const query = checkedSearch(search);
    if (query === null) return Promise.resolve(null);
    const viewer = ctx.viewer;
    return ctx.loaders.batched(`passage:Incident:${query}`, id, async (ids) => {
      const sql = passagesSql(
        { entity: Incident, name: 'Incident', table: 'incident', fields: INCIDENT_TEXT.fields, citedBy: 'incidentId' },
        { entity: Citation, fields: CITATION_TEXT.fields },
        viewer,
        LEVELS,
      );
      const [statement, parameters] = this.dataSource.driver.escapeQueryWithParameters(sql, { ids, search: query, [LEVELS]: viewer.readableLevels }, {});
      const rows: (Parameters<typeof passageOf>[0] & { subject: string })[] = await this.dataSource.query(statement, parameters);
      const bySubject = new Map(rows.map((row) => [row.subject, passageOf(row)]));
      return ids.map((key) => bySubject.get(key) ?? null);
    });
  }

  /** Whether the rollup holds the answer: every dimension asked for is one of its keys, and every
   * filter given one it narrows by exactly (regions, kinds, includeDeleted). */
  private rollupServes(filter: IncidentFilter | null | undefined, groupBy: IncidentDimension[]): boolean {
    const given = Object.entries(filter ?? {}).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0));
    return groupBy.every((d) => ROLLUP_DIMENSIONS[d]) && given.every(([k]) => ROLLUP_FILTERS.has(k));
  }

  /** The same groups as liveStats, from the rollup: the incidents' sums added up over the rows the
   * viewer may see, and the distinct responses counted over the visible answering links of the
   * visible incidents (one row each). */
  private async statsFromRollup(filter: IncidentFilter, groupBy: IncidentDimension[], viewer: Viewer): Promise<Record<string, unknown>[]> {
    const parameters: unknown[] = [];
    const conditions: string[] = [];
    if (filter.regions?.length) {
      parameters.push(await this.regions.expand(filter.regions, 'filter.regions'));
      conditions.push(`u.region_code = ANY($${parameters.length}::text[])`);
    }
    if (filter.kinds?.length) {
      parameters.push(filter.kinds);
      conditions.push(`u.kind = ANY($${parameters.length}::incident_kind[])`);
    }
    const where = (visible: string) => [visible, ...conditions].join(' AND ');
    const incidents = rollupVisibleCondition('u', { levels: ['confidentiality'], deleted: 'deleted' }, viewer, filter);
    const answers = rollupVisibleCondition('u', { levels: ['incident_confidentiality', 'link_confidentiality'], deleted: 'incident_deleted' }, viewer, filter);
    const keys = groupBy.map((d) => ({ sql: ROLLUP_DIMENSIONS[d]!, column: `k_${DIMENSIONS[d].column}` }));
    const sum = (prefix: string) =>
      `sum(${prefix}_lower)::bigint AS ${prefix}_at_least,
       CASE WHEN sum(${prefix}_unbounded) > 0 THEN NULL ELSE sum(${prefix}_upper) END::bigint AS ${prefix}_at_most,
       sum(${prefix}_best)::bigint AS ${prefix}_best_sum, sum(${prefix}_unknown)::int AS ${prefix}_unknown`;
    const columns = keys.map((k) => `${k.sql} AS ${k.column}, `).join('');
    const grouped = keys.length ? `GROUP BY ${keys.map((k) => k.sql).join(', ')}` : '';
    // Each table grouped on its own (a hash aggregate for the sums, a distinct count over the few
    // links), then the groups put together: faster than one sort of every row for the distinct count.
    return this.dataSource.query(
      `SELECT ${keys.map((k) => `${k.column}, `).join('')}sum(incidents)::int AS incidents, ${sum('victims')}, ${sum('deaths')},
              sum(responses)::int AS responses
         FROM (SELECT ${columns}${ROLLUP_SUMS.map((c) => `sum(u.${c}) AS ${c}`).join(', ')}, NULL::bigint AS responses
                 FROM incident_stats_rollup u WHERE ${where(incidents)} ${grouped}
               UNION ALL
               SELECT ${columns}${ROLLUP_SUMS.map((c) => `NULL AS ${c}`).join(', ')}, count(DISTINCT u.response_id) AS responses
                 FROM incident_response_stats u WHERE ${where(answers)} ${grouped}) g
        ${keys.length ? `GROUP BY ${keys.map((k) => k.column).join(', ')} HAVING sum(incidents) > 0` : ''}
        ${keys.length ? `ORDER BY ${keys.map((k) => `${k.column} NULLS LAST`).join(', ')}` : ''}
        LIMIT ${MAX_BUCKETS + 1}`,
      parameters,
    );
  }

  /** The groups computed from the incidents themselves (every filter, every dimension). */
  private async liveStats(filter: IncidentFilter | null | undefined, groupBy: IncidentDimension[], viewer: Viewer): Promise<Record<string, unknown>[]> {
    const dims = [...new Set(groupBy)].map((d) => DIMENSIONS[d]);
    const qb = (await this.matching(filter, viewer)).select('i.id', 'id');
    for (const prefix of ['victims', 'deaths']) {
      const { lower, upper } = countBoundsSql('i', prefix);
      qb.addSelect(lower, `${prefix}_lower`).addSelect(upper, `${prefix}_upper`).addSelect(`i.${prefix}_best`, `${prefix}_best`);
    }
    for (const d of dims) qb.addSelect(d.sql, `k_${d.column}`);
    qb.addSelect(`ARRAY(SELECT ri.response_id ${ANSWERED})`, 'response_ids');
    const [matchingSql, parameters] = qb.getQueryAndParameters();
    const keys = dims.map((d) => `k_${d.column}`);
    const keyList = keys.length ? keys.join(', ') : 'NULL::int';
    const sum = (prefix: string) =>
      `sum(coalesce(${prefix}_lower, 0))::bigint AS ${prefix}_at_least,
       CASE WHEN bool_or(${prefix}_upper IS NULL) THEN NULL ELSE sum(${prefix}_upper) END::bigint AS ${prefix}_at_most,
       coalesce(sum(${prefix}_best), 0)::bigint AS ${prefix}_best_sum,
       count(*) FILTER (WHERE ${prefix}_lower IS NULL AND ${prefix}_upper IS NULL)::int AS ${prefix}_unknown`;
    return this.dataSource.query(
      `WITH m AS (${matchingSql}),
       agg AS (SELECT ${keyList === 'NULL::int' ? '' : `${keyList}, `}count(*)::int AS incidents, ${sum('victims')}, ${sum('deaths')}
               FROM m ${keys.length ? `GROUP BY ${keyList}` : ''}),
       resp AS (SELECT ${keyList === 'NULL::int' ? '' : `${keyList}, `}count(DISTINCT rid)::int AS responses
                FROM m, unnest(m.response_ids) rid ${keys.length ? `GROUP BY ${keyList}` : ''})
       SELECT agg.*, coalesce(resp.responses, 0) AS responses
         FROM agg LEFT JOIN resp ON ${keys.length ? keys.map((k) => `agg.${k} IS NOT DISTINCT FROM resp.${k}`).join(' AND ') : 'true'}
        ${keys.length ? `ORDER BY ${keys.map((k) => `agg.${k} NULLS LAST`).join(', ')}` : ''}
        LIMIT ${MAX_BUCKETS + 1}`,
      parameters,
    );
  }
}
