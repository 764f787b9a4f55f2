import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Driver, SelectQueryBuilder } from 'typeorm';
import { AUDITED_AS } from '../access/access-recorder';
import { readableProperties } from '../access/field-access';
import { visibleCondition } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { ConnectionShape, DEFAULT_PAGE_SIZE, PageArgs } from '../common/connection';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { UserInputError } from '../common/errors';
import { shiftPlaceholders } from '../exports/sql-literals';
import { IncidentsService } from '../incidents/incidents.service';
import { Incident } from '../incidents/incident.entity';
import { Region } from '../regions/region.entity';
import { AdvocacyResponse } from '../responses/advocacy-response.entity';
import { ResponseFilter } from '../responses/dto/response-filter.input';
import { ResponsesService } from '../responses/responses.service';
import { Source } from '../sources/source.entity';
import { IncidentFilter } from '../incidents/dto/incident-filter.input';
import { RESPONSE_FILTER_FIELDS, TimelineEntry, TimelineEntryKind, TimelineOrder } from './dto/timeline';

/** Where each kind sorts among records of the same day: incidents before the responses to them. */
const RANK: Record<TimelineEntryKind, number> = { [TimelineEntryKind.INCIDENT]: 0, [TimelineEntryKind.RESPONSE]: 1 };

/** The viewer's readable levels for the sources subquery of the export. */
const LEVELS = 'timeline_levels';
/** The viewer's readable levels for the links from responses to the incidents they answer. */
const ANSWER_LEVELS = 'answer_levels';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MALFORMED = 'malformed cursor; pass an endCursor or edge cursor from this timeline, with the same orderBy';

interface Position {
  date: string;
  rank: number;
  id: string;
}

/** The response filter of an incident filter: the fields that mean the same for responses. */
export function responseFilterOf(filter: IncidentFilter | null | undefined): ResponseFilter {
  const response = new ResponseFilter();
  for (const field of RESPONSE_FILTER_FIELDS) {
    if (filter?.[field] !== undefined) Object.assign(response, { [field]: filter[field] });
  }
  return response;
}

function compare(a: Position, b: Position): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.rank !== b.rank) return a.rank - b.rank;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Incidents and advocacy responses in date order. Every SQL statement of the module is here; the
 * records come from IncidentsService.matching and ResponsesService.matching, so the timeline shows
 * exactly what the two lists show the same viewer. */
/** The parameter the timeline export's `language` tags are bound to. */
const TIMELINE_LANGUAGES = 'timeline_languages';

@Injectable()
export class TimelineService {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly responses: ResponsesService,
  ) {}

  /** The records of each kind asked for (both when none is named), each as its list's query over
   * alias `i` or `r`. With `responsesToIncidents`, the responses are those the filter selects plus
   * those that answer the incidents it selects, wherever and whenever they took place (a timeline
   * of Chechnya shows the petition handed in in London). */
  private async sides(
    filter: IncidentFilter | null | undefined,
    entryKinds: TimelineEntryKind[] | null | undefined,
    viewer: Viewer,
    responsesToIncidents = true,
  ) {
    const all = Object.values(TimelineEntryKind);
    if (entryKinds && entryKinds.length > all.length) throw UserInputError.of('entryKinds', `must name at most ${all.length} kinds, each once`);
    const kinds = new Set(entryKinds?.length ? entryKinds : all);
    const sides: { kind: TimelineEntryKind; alias: string; qb: SelectQueryBuilder<Incident> | SelectQueryBuilder<AdvocacyResponse> }[] = [];
    if (kinds.has(TimelineEntryKind.INCIDENT)) sides.push({ kind: TimelineEntryKind.INCIDENT, alias: 'i', qb: await this.incidents.matching(filter, viewer) });
    if (kinds.has(TimelineEntryKind.RESPONSE)) {
      const selected = await this.responses.matching(responseFilterOf(filter), viewer);
      const filtered = filter && Object.values(filter).some((v) => v !== undefined && v !== null);
      sides.push({ kind: TimelineEntryKind.RESPONSE, alias: 'r', qb: responsesToIncidents && filtered ? await this.withAnswers(selected, filter, viewer) : selected });
    }
    return sides;
  }

  /** The visible responses of `selected`, or answering an incident `filter` selects through a
   * visible link. The subqueries hold their own records to the rule (both are the lists' queries). */
  private async withAnswers(selected: SelectQueryBuilder<AdvocacyResponse>, filter: IncidentFilter, viewer: Viewer): Promise<SelectQueryBuilder<AdvocacyResponse>> {
    const incidents = (await this.incidents.matching(filter, viewer)).select('i.id');
    const own = selected.select('r.id');
    const qb = await this.responses.matching(Object.assign(new ResponseFilter(), { includeDeleted: filter.includeDeleted }), viewer);
    const deletedLinks = qb.expressionMap.withDeleted;
    // One IN over a UNION, not `IN (own) OR IN (answers)`: PostgreSQL runs an OR of two IN lists
    // as a filter over every response (walking the whole date index for a timeline page), and a
    // single IN as a join from the few ids both lists give. The selected incidents as an array:
    // as `IN (subquery)`, PostgreSQL hashed them and read response_incident whole; `= ANY` of the
    // array probes its incident_id index once per incident.
    qb.andWhere(
      `r.id IN (${own.getQuery()} UNION SELECT a.response_id FROM response_incident a WHERE a.incident_id = ANY(ARRAY(${incidents.getQuery()})) ` +
        `AND ${visibleCondition('ResponseIncident', 'a', ANSWER_LEVELS, { reachedBy: 'incident_id', deletedLinks })})`,
    );
    for (const [name, value] of Object.entries({ ...own.getParameters(), ...incidents.getParameters(), [ANSWER_LEVELS]: viewer.readableLevels })) {
      // The lists name their parameters after what they bind (regionCodes, search...): one filter
      // gives both lists the same values. A clash would silently change a query: refuse it.
      const bound = qb.getParameters()[name];
      if (bound !== undefined && JSON.stringify(bound) !== JSON.stringify(value)) throw new Error(`timeline: parameter ${name} bound twice with different values`);
      qb.setParameter(name, value);
    }
    return qb;
  }

  /** One page of the timeline. Keyset over (first day, kind, id): each kind's query fetches
   * first+1 rows after the cursor, and the two are merged. */
  async page(
    filter: IncidentFilter | null | undefined,
    entryKinds: TimelineEntryKind[] | null | undefined,
    orderBy: TimelineOrder,
    page: PageArgs,
    viewer: Viewer,
    responsesToIncidents = true,
  ): Promise<ConnectionShape<TimelineEntry>> {
    const descending = orderBy === TimelineOrder.DATE_DESC;
    const signature = createHash('sha256').update(`timeline ${orderBy}`).digest('base64url').slice(0, 8);
    const first = page.first ?? DEFAULT_PAGE_SIZE;
    const after = page.after ? this.position(page.after, signature) : null;
    const sides = await this.sides(filter, entryKinds, viewer, responsesToIncidents);
    const counts = sides.map((s) => s.qb.clone());

    const fetched = await Promise.all(
      sides.map(async ({ kind, alias, qb }) => {
        const rank = RANK[kind];
        if (after) {
          // Index-friendly forms of (start, rank, id) > (cursor) for a side whose rank is fixed.
          const [gt, ge] = descending ? ['<', '<='] : ['>', '>='];
          const condition =
            rank === after.rank
              ? `(${alias}.date_start, ${alias}.id) ${gt} (CAST(:tl_date AS date), CAST(:tl_id AS uuid))`
              : `${alias}.date_start ${(rank > after.rank) !== descending ? ge : gt} CAST(:tl_date AS date)`;
          qb.andWhere(condition, { tl_date: after.date, tl_id: after.id });
        }
        const direction = descending ? 'DESC' : 'ASC';
        if (kind === TimelineEntryKind.INCIDENT) {
          // The page's ids first, selected by id alone, then their records. Asked for whole rows
          // in date order with a limit, PostgreSQL walks the date index from the oldest incident
          // and tests each row: for one country and year, tens of thousands of rows before the
          // first that overlaps the year (it assumes the matches are spread evenly over time). The
          // ids alone come from an index that holds every column the usual filters read
          // (incident_region_stats), sorted after. The outer query keeps the whole condition.
          const ids = qb.clone().select(`${alias}.id`).orderBy(`${alias}.date_start`, direction).addOrderBy(`${alias}.id`, direction).limit(first + 1);
          qb.andWhere(`${alias}.id IN (${ids.getQuery()})`);
        }
        qb.orderBy(`${alias}.date_start`, direction).addOrderBy(`${alias}.id`, direction).limit(first + 1);
        const records: (Incident | AdvocacyResponse)[] = await qb.getMany();
        return records.map((record) => ({ kind, record, position: { date: record.date.start, rank, id: record.id } }));
      }),
    );
    const merged = fetched.flat().sort((a, b) => (descending ? -1 : 1) * compare(a.position, b.position));
    const edges = merged.slice(0, first).map(({ kind, record, position }) => ({
      cursor: encodeCursor([signature, position.date, position.rank, position.id]),
      node: Object.assign(new TimelineEntry(), {
        kind,
        id: record.id,
        date: record.date,
        headline: record instanceof Incident ? record.headline : record.title,
        recordKind: record.kind,
        regionCode: record.regionCode,
        confidentiality: record.confidentiality,
        [AUDITED_AS]: record instanceof Incident ? 'Incident' : 'AdvocacyResponse',
      }),
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: merged.length > first,
        hasPreviousPage: Boolean(after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      // A getter: the COUNTs run only when totalCount is selected.
      get totalCount() {
        return Promise.all(counts.map((qb) => qb.getCount())).then((n) => n.reduce((a, b) => a + b, 0));
      },
    };
  }

  private position(cursor: string, signature: string): Position {
    const [given, date, rank, id] = decodeCursor(cursor, 4);
    const valid =
      given === signature &&
      typeof date === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(date) &&
      !Number.isNaN(Date.parse(date)) &&
      (rank === 0 || rank === 1) &&
      typeof id === 'string' &&
      UUID.test(id);
    if (!valid) throw UserInputError.of('after', MALFORMED);
    return { date: date as string, rank: rank as number, id: id as string };
  }

  /**
   * The whole timeline as one statement for the timeline.json export, in order: a row per record
   * with its date, headline, description, region name and the sources its visible citations cite
   * (in the order of `citations` in GraphQL; a hidden source is left out, and so are the source
   * fields the viewer may not read). Rows are TimelineRow (src/exports/timelinejs.ts).
   */
  async exportQuery(
    filter: IncidentFilter | null | undefined,
    entryKinds: TimelineEntryKind[] | null | undefined,
    orderBy: TimelineOrder,
    viewer: Viewer,
    responsesToIncidents = true,
    languages?: readonly string[],
  ): Promise<{ sql: string; parameters: unknown[] }> {
    const parts: [string, unknown[]][] = [];
    const sourceFields = readableProperties(viewer, Source, ['publisher', 'title', 'url']);
    const cited: string[] = [];
    let driver: Driver | undefined;
    for (const side of await this.sides(filter, entryKinds, viewer, responsesToIncidents)) {
      const { kind, alias } = side;
      let qb = side.qb;
      driver = qb.connection.driver;
      if (kind === TimelineEntryKind.INCIDENT) {
        // The matching ids first (an array built once), then their rows by primary key. Asked for
        // whole rows, PostgreSQL ANDs a bitmap of the region index with one of every incident
        // whose date_latest is after dateFrom (most of the table); the ids alone come from an
        // index holding every column the usual filters read (incident_region_stats).
        const ids = qb.clone().select(`${alias}.id`);
        qb = qb.clone().where(`${alias}.id = ANY(ARRAY(${ids.getQuery()}))`);
      }
      // The sources of every chosen record of this kind in one grouped read (a subquery per record
      // was a loop of index scans and sorts per entry: most of the statement's time).
      const subject = kind === TimelineEntryKind.INCIDENT ? 'incident_id' : 'response_id';
      cited.push(
        `SELECT '${kind}'::text AS kind, c.${subject} AS subject, s.id, ${sourceFields.map((f) => `s.${f}`).join(', ')}, min((c.created_at, c.id)::text) AS first_cited ` +
          `FROM citation c JOIN source s ON s.id = c.source_id WHERE c.${subject} = ANY(ARRAY(SELECT e.subject FROM entries e WHERE e.kind = '${kind}')) ` +
          `AND ${visibleCondition('Citation', 'c', LEVELS, { reachedBy: subject })} GROUP BY c.${subject}, s.id`,
      );
      // In the reader's languages (`language`), where the record has one: vigil_in_language makes
      // the choice GraphQL's inLanguage makes, and the slide says it is a translation and by whom.
      const title = kind === TimelineEntryKind.INCIDENT ? 'headline' : 'title';
      const text = (field: string) => `${alias}.${field}`;
      let headline = text(title);
      let description = text('description');
      let translation = 'NULL::json';
      if (languages) {
        qb.setParameter(TIMELINE_LANGUAGES, languages);
        const t = `vigil_in_language(${alias}.language, ${alias}.translations, :${TIMELINE_LANGUAGES})`;
        headline = `coalesce(${t}->>'${title}', ${headline})`;
        description = `coalesce(${t}->>'description', ${description})`;
        translation =
          `CASE WHEN ${t} IS NOT NULL THEN json_build_object('language', ${t}->>'language', 'original', ${alias}.language, 'translator', ${t}->>'translator', ` +
          `'method', ${t}->>'method', 'untranslated', ${t}->>'${title}' IS NULL OR (${t}->>'description' IS NULL AND ${alias}.description IS NOT NULL)) END`;
      }
      const columns: [string, string][] = [
        [`'${kind}'::text`, 'kind'],
        [`${RANK[kind]}`, 'rank'],
        [`${alias}.id::text`, 'id'],
        [`to_char(${alias}.date_start, 'YYYY-MM-DD')`, 'date_start'],
        [`to_char(${alias}.date_end, 'YYYY-MM-DD')`, 'date_end'],
        [`${alias}.date_precision::text`, 'date_precision'],
        [`${alias}.date_approximate`, 'date_approximate'],
        [`${alias}.date_uncertain`, 'date_uncertain'],
        [`${alias}.date_open_end`, 'date_open_end'],
        [`${alias}.date_as_reported`, 'date_as_reported'],
        [headline, 'headline'],
        [description, 'description'],
        [translation, 'translation'],
        [`${alias}.kind::text`, 'record_kind'],
        // For the export's audit (rows of records above PUBLIC); not written.
        [`${alias}.confidentiality`, 'confidentiality'],
        [`coalesce(reg.names->>'en', reg.name)`, 'region_name'],
        // The record's id as stored, for the sources' join.
        [`${alias}.id`, 'subject'],
      ];
      qb.leftJoin(Region, 'reg', `reg.code = ${alias}.region_code`);
      // Parenthesised, so TypeORM keeps the order (a bare `alias.column` would be moved among the
      // entity's columns) and both sides of the UNION line up.
      columns.forEach(([sql, name], k) => (k === 0 ? qb.select(`(${sql})`, name) : qb.addSelect(`(${sql})`, name)));
      parts.push(qb.getQueryAndParameters());
    }
    const parameters: unknown[] = [];
    const shift = ([sql, params]: [string, unknown[]]) => {
      const shifted = shiftPlaceholders(sql, parameters.length);
      parameters.push(...params);
      return shifted;
    };
    const selects = parts.map((part) => `(${shift(part)})`);
    const direction = orderBy === TimelineOrder.DATE_DESC ? 'DESC' : 'ASC';
    const sources =
      `SELECT x.kind, x.subject, json_agg(json_build_object(${sourceFields.map((f) => `'${f}', x.${f}`).join(', ')}) ORDER BY x.first_cited, x.id) AS sources ` +
      `FROM (${shift(driver!.escapeQueryWithParameters(cited.join(' UNION ALL '), { [LEVELS]: viewer.readableLevels }, {}))}) x GROUP BY x.kind, x.subject`;
    const entryColumns = ['kind', 'rank', 'id', 'date_start', 'date_end', 'date_precision', 'date_approximate', 'date_uncertain', 'date_open_end', 'date_as_reported', 'headline', 'description', 'translation', 'record_kind', 'confidentiality', 'region_name'];
    return {
      sql:
        `WITH entries AS MATERIALIZED (${selects.join(' UNION ALL ')}), cited AS (${sources}) ` +
        `SELECT ${entryColumns.map((c) => `e.${c}`).join(', ')}, cited.sources FROM entries e LEFT JOIN cited ON cited.kind = e.kind AND cited.subject = e.subject ` +
        `ORDER BY e.date_start ${direction}, e.rank ${direction}, e.id ${direction}`,
      parameters,
    };
  }
}
