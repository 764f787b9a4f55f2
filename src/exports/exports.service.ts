import { once } from 'node:events';
import { pipeline, Readable, Transform } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, type ClientConfig, type PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AccessLevel } from '../access/access-level';
import { MAX_AUDITED_SUBJECTS } from '../access/access-recorder';
import { levelOf, readableColumns } from '../access/field-access';
import { ProtectedUse } from '../access/field-access';
import { onlyVisible, visibleCondition } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { AuditAction } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { applyUpdatedSince, DatedOrder, datedOrderKeys } from '../common/filters';
import { SortKey } from '../common/keyset';
import { IncidentFilter, IncidentOrder } from '../incidents/dto/incident-filter.input';
import { CONNECT_TIMEOUT_MS } from '../database/data-source';
import { IncidentsService } from '../incidents/incidents.service';
import { OrganizationFilter } from '../organizations/dto/organization-filter.input';
import { OrganizationsService } from '../organizations/organizations.service';
import { ResponseFilter } from '../responses/dto/response-filter.input';
import { SituationFilter } from '../situations/dto/situation-filter.input';
import { SituationsService } from '../situations/situations.service';
import { ResponsesService } from '../responses/responses.service';
import { LimitStore } from '../security/limit-store';
import { LIMIT_STORE } from '../security/limits.module';
import { Citation } from '../sources/citation.entity';
import { SourceFilter } from '../sources/dto/source-filter.input';
import { SourcesService } from '../sources/sources.service';
import { TimelineEntryKind, TimelineOrder } from '../timeline/dto/timeline';
import { TimelineService } from '../timeline/timeline.service';
import {
  ACLED_COLUMNS,
  atViewerPrecision,
  CITATION_COLUMNS,
  CITATION_IN_LANGUAGE,
  columnsFor,
  csvCellSql,
  EXPORT_LANGUAGES,
  EXPORT_LEVELS,
  ExportColumn,
  ExportJoin,
  GEOJSON_PROPERTIES,
  INCIDENT_COLUMNS,
  INCIDENT_IN_LANGUAGE,
  INCIDENT_JOINS,
  INCIDENT_POSITION,
  joinsFor,
  mapPointSql,
  ORGANIZATION_COLUMNS,
  ORGANIZATION_JOINS,
  SITUATION_COLUMNS,
  SITUATION_IN_LANGUAGE,
  SITUATION_JOINS,
  RESPONSE_COLUMNS,
  RESPONSE_IN_LANGUAGE,
  RESPONSE_JOINS,
  InLanguageExport,
  SOURCE_COLUMNS,
  SOURCE_JOINS,
} from './columns';
import { AuditedValue, ExportAccessRecorder, ProtectedCounts } from './export-audit';

/** Whether `viewer` may read an incident's exact coordinates (both of them). */
function located(viewer: Viewer): boolean {
  return readableColumns(viewer, INCIDENT_POSITION).length === INCIDENT_POSITION.length;
}
import { AuditUnavailableError, ClientGoneError, ExportsBusyError } from './export-errors';
import { inlineParameters } from './sql-literals';
import { TimelineRow, timelineEvent, timelineTitle } from './timelinejs';

/** Who asks, and how the audit log names the request. */
export interface ExportContext {
  viewer: Viewer;
  /** Aborted when the client goes away: the export's statement is then cancelled. */
  signal?: AbortSignal;
  /** `GET /exports/incidents.csv`: the audit entry's operation (the row count is appended). */
  operation: string;
  requestId: string | null;
  /** Who is exporting, for the per-caller share of the export slots: the token's account, or the
   * address of a caller without one. */
  caller: string;
  /** The protected filters and sorts the query string used, for the audit log. */
  probes?: ProtectedUse[];
}

/** What an export writes that the audit log must hear of, counted in its snapshot first. */
interface AuditedRows {
  /** The protected values its columns (or geometry) write, and its rows of records above PUBLIC. */
  audited: AuditedValue[];
  /** SQL of the export's records with `id` and, per audited value k, `p<k>`; and its parameters. */
  rows(): [string, unknown[]];
}

/** An export's rows: the list's own query with the export's columns selected and its order. */
interface ExportQuery {
  qb: SelectQueryBuilder<ObjectLiteral>;
  audit: AuditedRows;
}

/** Parameters for the record rule at the levels below RESTRICTED and below CONFIDENTIAL. */
const BELOW = { [AccessLevel.RESTRICTED]: 'audit_below_restricted', [AccessLevel.CONFIDENTIAL]: 'audit_below_confidential' } as const;
const BELOW_LEVELS = { [AccessLevel.RESTRICTED]: [AccessLevel.PUBLIC], [AccessLevel.CONFIDENTIAL]: [AccessLevel.PUBLIC, AccessLevel.RESTRICTED] };

/** The rows of records above PUBLIC an export writes for `viewer` (none for the public): a row is
 * at RESTRICTED or above when the public could not see it, by the one record rule (its own level
 * and those of the records it links), and at CONFIDENTIAL when a researcher could not. Deleted
 * rows are the editor's includeDeleted, audited as that filter. */
function recordsAudited(viewer: Viewer, entity: string, alias: string): AuditedValue[] {
  return ([AccessLevel.RESTRICTED, AccessLevel.CONFIDENTIAL] as const)
    .filter((level) => viewer.mayRead(level))
    .map((level) => ({
      coordinate: entity,
      level,
      record: true,
      sql: `CASE WHEN NOT (${visibleCondition(entity, alias, BELOW[level], { deleted: false, deletedLinks: true })}) THEN 1 END`,
    }));
}

/** The audit of an export whose rows are `base`'s (the matching records alone: no joins, no
 * order; the audited SQL reads the record's own columns). */
function auditedRows(base: SelectQueryBuilder<ObjectLiteral>, idSql: string, audited: AuditedValue[]): AuditedRows {
  return {
    audited,
    rows: () => {
      const q = base.clone();
      select(q, [[idSql, 'id'], ...audited.map((a, k): [string, string] => [a.sql, `p${k}`])]);
      q.setParameters({ [BELOW.RESTRICTED]: BELOW_LEVELS.RESTRICTED, [BELOW.CONFIDENTIAL]: BELOW_LEVELS.CONFIDENTIAL });
      return q.getQueryAndParameters();
    },
  };
}

const UTF8_BOM = '\uFEFF';
/** Longest an export's statement may run. The service's own limit (DATABASE_STATEMENT_TIMEOUT_SECONDS)
 * is for requests that read a page; an export streams a whole table to a client that may read it
 * slowly, and COPY is one statement. */
const EXPORT_STATEMENT_TIMEOUT = '1h';
/** PostgreSQL's work_mem for an export's statement (the default, 4MB, sends its sorts to disk). */
const EXPORT_WORK_MEM = '64MB';
/** Rows fetched per round trip by the JSON exports' cursors (pg-query-stream's default is 100). */
const CURSOR_BATCH = 2000;
/** Bytes of mapped rows sent as one piece (framed). */
const BATCH_BYTES = 64 * 1024;

function auditedOf(columns: readonly ExportColumn[]): AuditedValue[] {
  return columns
    .filter((c) => levelOf(c) !== AccessLevel.PUBLIC)
    .map((c) => ({ coordinate: `${c.entity.name}.${c.property}`, level: levelOf(c), sql: c.sql }));
}

/** Selects exactly `expressions`, in order. Each is parenthesised: TypeORM takes a bare
 * `alias.column` for an entity column and moves it among the entity's columns. */
function select(qb: SelectQueryBuilder<ObjectLiteral>, expressions: [sql: string, alias: string][]): void {
  expressions.forEach(([sql, alias], k) => (k === 0 ? qb.select(`(${sql})`, alias) : qb.addSelect(`(${sql})`, alias)));
}

/** Joins what `columns` read to the rows of `qb` (alias `alias`), with the viewer's levels for
 * their visibility conditions. Call before ordering: the aggregates cover the matching ids.
 * Returns the matching records as they were before the joins. */
function join(
  qb: SelectQueryBuilder<ObjectLiteral>,
  alias: string,
  joins: readonly ExportJoin[],
  columns: readonly ExportColumn[],
  viewer: Viewer,
): SelectQueryBuilder<ObjectLiteral> {
  qb.setParameter(EXPORT_LEVELS, viewer.readableLevels);
  const base = qb.clone();
  const ids = qb.clone().select(`${alias}.id`).getQuery();
  // onlyVisible asked for deleted rows: the editor's includeDeleted, checked there.
  const deletedLinks = qb.expressionMap.withDeleted;
  for (const j of joinsFor(joins, columns)) qb.leftJoin(j.sql(ids, deletedLinks), j.alias, j.on);
  return base;
}

/** The columns and joins of a CSV export, with its `language` columns when the reader named
 * languages (bound to EXPORT_LANGUAGES on `qb`). */
function withLanguageColumns(
  qb: SelectQueryBuilder<ObjectLiteral>,
  viewer: Viewer,
  columns: ExportColumn[],
  joins: readonly ExportJoin[],
  text: InLanguageExport,
  languages: readonly string[] | undefined,
): { columns: ExportColumn[]; joins: readonly ExportJoin[] } {
  if (!languages) return { columns, joins };
  qb.setParameter(EXPORT_LANGUAGES, languages);
  return { columns: [...columns, ...columnsFor(viewer, text.columns)], joins: [...joins, text.join] };
}

/** Orders by the list's sort keys, then the id in the last key's direction, as paginate does. */
function order(qb: SelectQueryBuilder<ObjectLiteral>, keys: SortKey[], id: string): void {
  const all: SortKey[] = [...keys, { expression: id, direction: keys.at(-1)?.direction ?? 'ASC' }];
  all.forEach((key, k) => (k === 0 ? qb.orderBy(key.expression, key.direction) : qb.addOrderBy(key.expression, key.direction)));
}

/** A pass-through that writes `prefix` before the first byte and `suffix` after the last, and
 * maps object rows to text when given `map`. Mapped rows are written as UTF-8 into a buffer that
 * goes out when it holds BATCH_BYTES: a chunk per row cost a buffer and a socket write each (5% of
 * the timeline export's CPU), and a piece built by `+=` cost more to encode than to build (Node
 * encodes a string made of thousands of concatenations several times slower than a flat one:
 * 40-90 ms of a 2.5 MB timeline export). */
export function framed(prefix: string, suffix: string, map?: (row: unknown, index: number) => string): Transform {
  let index = 0;
  if (!map) {
    return new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (index++ === 0 && prefix) this.push(prefix);
        done(null, chunk);
      },
      flush(done) {
        if (index === 0 && prefix) this.push(prefix);
        done(null, suffix || undefined);
      },
    });
  }
  const batch = Buffer.allocUnsafe(2 * BATCH_BYTES);
  let used = 0;
  const send = (stream: Transform) => {
    if (used === 0) return;
    stream.push(Buffer.from(batch.subarray(0, used)));
    used = 0;
  };
  const write = (stream: Transform, text: string) => {
    // At most three UTF-8 bytes per UTF-16 unit.
    if (used + 3 * text.length > batch.length) {
      send(stream);
      if (3 * text.length > batch.length) {
        stream.push(Buffer.from(text));
        return;
      }
    }
    used += batch.write(text, used);
    if (used >= BATCH_BYTES) send(stream);
  };
  return new Transform({
    writableObjectMode: true,
    transform(chunk: unknown, _encoding, done) {
      let text: string;
      try {
        text = map(chunk, index);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (index++ === 0 && prefix) write(this, prefix);
      write(this, text);
      done();
    },
    flush(done) {
      if (index === 0 && prefix) write(this, prefix);
      write(this, suffix);
      send(this);
      done();
    },
  });
}

/**
 * The exports' SQL and streaming. Rows come from each list's own matching query (so an export
 * holds exactly the rows the GraphQL list shows the same viewer), with columns chosen by the
 * fields' declarations (readableColumns). Each export reads one REPEATABLE READ snapshot on its
 * own connection: protected values are counted and audited in it before the first byte is sent,
 * then the rows are streamed from it with constant memory.
 */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger('Exports');
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** Export slots, counted across every instance on the database (src/security/limit-store.ts). */
    @Inject(LIMIT_STORE) private readonly slots: LimitStore,
    private readonly incidents: IncidentsService,
    private readonly responses: ResponsesService,
    private readonly sources: SourcesService,
    private readonly situations: SituationsService,
    private readonly organizations: OrganizationsService,
    private readonly timeline: TimelineService,
    private readonly audit: AuditService,
  ) {}

  /** The visible incidents matching `filter` in the list's order, with what `columns` read. */
  private async incidentRows(filter: IncidentFilter, orderBy: IncidentOrder, viewer: Viewer, wanted: ExportColumn[], languages?: readonly string[]) {
    const keys = this.incidents.sortKeys(orderBy, filter, viewer);
    const qb = (await this.incidents.matching(filter, viewer, 'filter', orderBy)) as unknown as SelectQueryBuilder<ObjectLiteral>;
    const { columns, joins } = withLanguageColumns(qb, viewer, wanted, INCIDENT_JOINS, INCIDENT_IN_LANGUAGE, languages);
    const base = join(qb, 'i', joins, columns, viewer);
    order(qb, keys, 'i.id');
    return { qb, base, columns };
  }

  private csvQuery(
    rows: { qb: SelectQueryBuilder<ObjectLiteral>; base: SelectQueryBuilder<ObjectLiteral> },
    columns: readonly ExportColumn[],
    alias: string,
    viewer: Viewer,
  ): ExportQuery {
    select(rows.qb, columns.map((c) => [csvCellSql(c), c.name]));
    const entity = rows.base.expressionMap.mainAlias!.metadata.name;
    return { qb: rows.qb, audit: auditedRows(rows.base, `${alias}.id`, [...auditedOf(columns), ...recordsAudited(viewer, entity, alias)]) };
  }

  async incidentsCsv(filter: IncidentFilter, orderBy: IncidentOrder, ctx: ExportContext, bom: boolean, languages?: readonly string[]): Promise<Readable> {
    const rows = await this.incidentRows(filter, orderBy, ctx.viewer, atViewerPrecision(columnsFor(ctx.viewer, INCIDENT_COLUMNS), located(ctx.viewer)), languages);
    return this.csv(this.csvQuery(rows, rows.columns, 'i', ctx.viewer), ctx, bom);
  }

  /** incidents.csv in ACLED's shape (columns.ts ACLED_COLUMNS); the exact coordinates it writes
   * for those who may read them are audited as incidents.csv's are. */
  async acledCsv(filter: IncidentFilter, orderBy: IncidentOrder, ctx: ExportContext, bom: boolean): Promise<Readable> {
    const exact = located(ctx.viewer);
    const columns = atViewerPrecision(readableColumns(ctx.viewer, ACLED_COLUMNS), exact);
    const query = this.csvQuery(await this.incidentRows(filter, orderBy, ctx.viewer, columns), columns, 'i', ctx.viewer);
    if (exact) {
      const has = 'i.latitude IS NOT NULL AND i.longitude IS NOT NULL';
      query.audit.audited.push(...INCIDENT_POSITION.map((c) => ({ coordinate: `${c.entity.name}.${c.property}`, level: levelOf(c), sql: `CASE WHEN ${has} THEN 1 END` })));
    }
    return this.csv(query, ctx, bom);
  }

  async responsesCsv(filter: ResponseFilter, orderBy: DatedOrder, ctx: ExportContext, bom: boolean, languages?: readonly string[]): Promise<Readable> {
    const keys = datedOrderKeys(orderBy, 'r', filter.search, ctx.viewer);
    const qb = (await this.responses.matching(filter, ctx.viewer)) as unknown as SelectQueryBuilder<ObjectLiteral>;
    const { columns, joins } = withLanguageColumns(qb, ctx.viewer, columnsFor(ctx.viewer, RESPONSE_COLUMNS), RESPONSE_JOINS, RESPONSE_IN_LANGUAGE, languages);
    const base = join(qb, 'r', joins, columns, ctx.viewer);
    order(qb, keys, 'r.id');
    return this.csv(this.csvQuery({ qb, base }, columns, 'r', ctx.viewer), ctx, bom);
  }

  async sourcesCsv(filter: SourceFilter, orderBy: DatedOrder, ctx: ExportContext, bom: boolean): Promise<Readable> {
    const keys = datedOrderKeys(orderBy, 's', filter.search, ctx.viewer, 'published');
    const columns = columnsFor(ctx.viewer, SOURCE_COLUMNS);
    const qb = this.sources.matching(filter, ctx.viewer) as unknown as SelectQueryBuilder<ObjectLiteral>;
    const base = join(qb, 's', SOURCE_JOINS, columns, ctx.viewer);
    order(qb, keys, 's.id');
    return this.csv(this.csvQuery({ qb, base }, columns, 's', ctx.viewer), ctx, bom);
  }

  async situationsCsv(filter: SituationFilter, orderBy: DatedOrder, ctx: ExportContext, bom: boolean, languages?: readonly string[]): Promise<Readable> {
    const keys = datedOrderKeys(orderBy, 's', filter.search, ctx.viewer);
    const qb = (await this.situations.matching(filter, ctx.viewer)) as unknown as SelectQueryBuilder<ObjectLiteral>;
    const { columns, joins } = withLanguageColumns(qb, ctx.viewer, columnsFor(ctx.viewer, SITUATION_COLUMNS), SITUATION_JOINS, SITUATION_IN_LANGUAGE, languages);
    const base = join(qb, 's', joins, columns, ctx.viewer);
    order(qb, keys, 's.id');
    return this.csv(this.csvQuery({ qb, base }, columns, 's', ctx.viewer), ctx, bom);
  }

  async organizationsCsv(filter: OrganizationFilter, ctx: ExportContext, bom: boolean): Promise<Readable> {
    const columns = columnsFor(ctx.viewer, ORGANIZATION_COLUMNS);
    const qb = this.organizations.matching(filter, ctx.viewer) as unknown as SelectQueryBuilder<ObjectLiteral>;
    const base = join(qb, 'o', ORGANIZATION_JOINS, columns, ctx.viewer);
    order(qb, [{ expression: 'o.name', direction: 'ASC' }], 'o.id');
    return this.csv(this.csvQuery({ qb, base }, columns, 'o', ctx.viewer), ctx, bom);
  }

  /** Citations of the sources matching `filter` (every visible citation without one). Its
   * updatedSince applies to the citation itself, so a copy of citations.csv can be kept current. */
  async citationsCsv(filter: SourceFilter, ctx: ExportContext, bom: boolean, languages?: readonly string[]): Promise<Readable> {
    const { updatedSince, includeDeleted, ...sourceFields } = filter;
    const qb = onlyVisible(this.dataSource.getRepository(Citation).createQueryBuilder('c'), 'c', ctx.viewer, { includeDeleted }) as unknown as SelectQueryBuilder<ObjectLiteral>;
    if (Object.values(sourceFields).some((v) => v !== undefined && v !== null)) {
      const sources = this.sources.matching(Object.assign(new SourceFilter(), sourceFields, { includeDeleted }), ctx.viewer).select('s.id');
      qb.andWhere(`c.source_id IN (${sources.getQuery()})`).setParameters(sources.getParameters());
    }
    applyUpdatedSince(qb, 'c', updatedSince, ctx.viewer);
    const { columns, joins } = withLanguageColumns(qb, ctx.viewer, columnsFor(ctx.viewer, CITATION_COLUMNS), [], CITATION_IN_LANGUAGE, languages);
    const base = join(qb, 'c', joins, columns, ctx.viewer);
    order(qb, [{ expression: 'c.created_at', direction: 'ASC' }], 'c.id');
    return this.csv(this.csvQuery({ qb, base }, columns, 'c', ctx.viewer), ctx, bom);
  }

  /** RFC 7946 FeatureCollection. PostgreSQL writes each feature's JSON; the geometry is the exact
   * position for viewers who may read both coordinates (when known), and the representative point
   * of the incident's region otherwise; `geo_precision` says which. */
  async incidentsGeoJson(filter: IncidentFilter, orderBy: IncidentOrder, ctx: ExportContext, languages?: readonly string[]): Promise<Readable> {
    const exact = located(ctx.viewer);
    const point = mapPointSql(exact);
    // The geometry reads the region's point: its join comes with a column that reads it.
    const geometry = { ...INCIDENT_POSITION[0], sql: point.latitude };
    const rows = await this.incidentRows(filter, orderBy, ctx.viewer, [...atViewerPrecision(columnsFor(ctx.viewer, GEOJSON_PROPERTIES), exact), geometry], languages);
    const { qb, base } = rows;
    const properties = rows.columns.filter((c) => c !== geometry);
    const json = (sql: string) => `coalesce(to_json(${sql})::text, 'null')`;
    const propertiesSql = `'{' || ${properties.map((c, k) => `'${k ? ',' : ''}"${c.name}":' || ${json(c.sql)}`).join(' || ')} || '}'`;
    const hasPosition = 'i.latitude IS NOT NULL AND i.longitude IS NOT NULL';
    const geometrySql =
      `CASE WHEN (${point.latitude}) IS NOT NULL AND (${point.longitude}) IS NOT NULL ` +
      `THEN json_build_object('type', 'Point', 'coordinates', json_build_array(${point.longitude}, ${point.latitude}))::text ELSE 'null' END`;
    select(qb, [[`'{"type":"Feature","id":' || to_json(i.id)::text || ',"geometry":' || ${geometrySql} || ',"properties":' || ${propertiesSql} || '}'`, 'feature']]);
    const position = readableColumns(ctx.viewer, INCIDENT_POSITION);
    const audited = exact ? position.map((c) => ({ coordinate: `${c.entity.name}.${c.property}`, level: levelOf(c), sql: `CASE WHEN ${hasPosition} THEN 1 END` })) : [];
    audited.push(...recordsAudited(ctx.viewer, 'Incident', 'i'));
    return this.session(auditedRows(base, 'i.id', audited), ctx, (client) => {
      const [sql, parameters] = qb.getQueryAndParameters();
      return {
        source: client.query(new QueryStream(sql, parameters, { batchSize: CURSOR_BATCH, rowMode: 'array' })),
        through: framed('{"type":"FeatureCollection","features":[\n', '\n]}\n', (row, k) => `${k ? ',\n' : ''}${(row as [string])[0]}`),
      };
    });
  }

  /** Knight Lab TimelineJS JSON: incidents and responses merged in date order. No protected
   * field is written; its rows of records above PUBLIC are audited (records are the lists'
   * visible ones). */
  async timelineJson(
    filter: IncidentFilter,
    entryKinds: TimelineEntryKind[] | undefined,
    orderBy: TimelineOrder,
    title: string | undefined,
    ctx: ExportContext,
    responsesToIncidents = true,
    languages?: readonly string[],
  ): Promise<Readable> {
    const { sql, parameters } = await this.timeline.exportQuery(filter, entryKinds, orderBy, ctx.viewer, responsesToIncidents, languages);
    const prefix = `{${title ? `"title":${JSON.stringify(timelineTitle(title))},` : ''}"events":[\n`;
    // The rows carry their record's type, id and level (`Incident:<id>`, `confidentiality`).
    const levels = ([AccessLevel.RESTRICTED, AccessLevel.CONFIDENTIAL] as const).filter((level) => ctx.viewer.mayRead(level));
    const audited: AuditedValue[] = (['Incident', 'AdvocacyResponse'] as const).flatMap((type) =>
      levels.map((level) => ({
        coordinate: type,
        level,
        record: true,
        typedIds: true,
        sql: `CASE WHEN t.kind = '${type === 'Incident' ? TimelineEntryKind.INCIDENT : TimelineEntryKind.RESPONSE}' AND t.confidentiality::text <> ALL ('{${BELOW_LEVELS[level].join(',')}}') THEN 1 END`,
      })),
    );
    const audit: AuditedRows = {
      audited,
      rows: () => [
        `SELECT (CASE t.kind WHEN '${TimelineEntryKind.INCIDENT}' THEN 'Incident:' ELSE 'AdvocacyResponse:' END) || t.id AS id, ` +
          `${audited.map((a, k) => `${a.sql} AS p${k}`).join(', ') || 'NULL AS p0'} FROM (${sql}) t`,
        parameters,
      ],
    };
    return this.session(audit, ctx, (client) => ({
      source: client.query(new QueryStream(sql, parameters, { batchSize: CURSOR_BATCH })),
      through: framed(prefix, '\n]}\n', (row, k) => `${k ? ',\n' : ''}${JSON.stringify(timelineEvent(row as TimelineRow))}`),
    }));
  }

  /** CSV written by PostgreSQL itself (COPY ... TO STDOUT), which takes no bind parameters: they
   * are inlined with pg's own escaping (sql-literals.ts). */
  private csv(query: ExportQuery, ctx: ExportContext, bom: boolean): Promise<Readable> {
    return this.session(query.audit, ctx, (client) => {
      const [sql, parameters] = query.qb.getQueryAndParameters();
      return {
        source: client.query(copyTo(`COPY (${inlineParameters(sql, parameters)}) TO STDOUT WITH (FORMAT csv, HEADER)`)),
        through: framed(bom ? UTF8_BOM : '', ''),
      };
    });
  }

  /**
   * Runs an export on a connection of its own, in one read-only REPEATABLE READ snapshot: audits
   * the protected values `query` writes (failing closed: nothing is sent when the audit log cannot
   * be written), starts the stream, and waits for its first bytes so that a failing statement is an
   * error response rather than a cut-off body. The connection is committed and returned when the
   * stream ends, and discarded if it fails or the client goes away.
   */
  private async session(
    query: AuditedRows,
    ctx: ExportContext,
    open: (client: PoolClient) => { source: Readable; through: Transform },
  ): Promise<Readable> {
    const slot = await this.slots.takeExportSlot(ctx.caller);
    if (!slot) throw new ExportsBusyError();
    let client: PoolClient;
    let release: (error?: Error) => void;
    try {
      // A replica's when there are replicas (an export is long, and a snapshot a moment old will
      // do); the audit entry is written on the primary, through the audit service.
      const driver = this.dataSource.driver as PostgresDriver;
      [client, release] = (await (driver.isReplicated ? driver.obtainSlaveConnection() : driver.obtainMasterConnection())) as [PoolClient, (error?: Error) => void];
    } catch (error) {
      slot();
      throw error;
    }
    let released = false;
    const finish = (error?: Error) => {
      if (released) return;
      released = true;
      ctx.signal?.removeEventListener('abort', cancel);
      release(error);
      slot();
    };
    // A client that goes away must not leave its statement running (a sort over a million rows
    // produces nothing for a while): cancel it, then drop the connection.
    const cancel = () => {
      if (released) return;
      const pid = (client as unknown as { processID?: number | null }).processID;
      if (pid) this.cancelBackend(client, pid).catch(() => undefined);
      finish(new ClientGoneError());
    };
    ctx.signal?.addEventListener('abort', cancel, { once: true });
    try {
      // One round trip (the simple protocol runs several statements). An export's plan hashes and
      // sorts whole tables: more memory than a page of a list needs. Parallel workers would each
      // rebuild the same aggregates, and compete with the service for the cores; one process
      // streams faster. COPY's parameters are inlined as literals (sql-literals.ts), which are
      // escaped for standard_conforming_strings = on: make sure it is, whatever the server's default.
      // Memoize is off: with the larger work_mem the planner joined a whole table's citations to
      // their sources by one index probe each behind a Memoize cache (it expects 5 times fewer
      // incidents with citations than there are), and a million-incident CSV export took 61 s
      // instead of 30-36 (bench/README.md, "Round 4"). An export reads whole sets; hash joins
      // serve it, and a filtered export still gets plain index lookups.
      await client.query(
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ' +
          `SET LOCAL work_mem = '${EXPORT_WORK_MEM}'; SET LOCAL statement_timeout = '${EXPORT_STATEMENT_TIMEOUT}'; ` +
          'SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL enable_memoize = off; SET LOCAL standard_conforming_strings = on',
      );
      if (query.audited.length || ctx.probes?.length) await this.recordExport(client, query, ctx);
      const { source, through } = open(client);
      // Once the connection is dropped (client gone, failure), the stream reports it; nothing is
      // left to tell, and an unheard 'error' would bring the process down.
      source.on('error', () => undefined);
      await once(source, 'readable', ctx.signal ? { signal: ctx.signal } : {});
      return pipeline(source, through, (error) => {
        if (error) {
          finish(error);
          return;
        }
        // The body is out: the slot is free for the caller's next export now, not one round trip
        // later (a client that reads to the end and asks again must not find its own slot held).
        slot();
        client.query('COMMIT').then(() => finish(), (e: Error) => finish(e));
      });
    } catch (error) {
      finish(error instanceof Error ? error : new Error('export failed'));
      throw ctx.signal?.aborted ? new ClientGoneError() : error;
    }
  }

  /** Cancels the statement of backend `pid` on the server `client` is connected to: the primary
   * through the pool, or the replica the export reads from, on a connection of its own. */
  private async cancelBackend(client: PoolClient, pid: number): Promise<void> {
    if (!(this.dataSource.driver as PostgresDriver).isReplicated) {
      await this.dataSource.query('SELECT pg_cancel_backend($1)', [pid]);
      return;
    }
    const { host, port, user, password, database, ssl } = (client as unknown as { connectionParameters: ClientConfig }).connectionParameters;
    const canceller = new Client({ host, port, user, password, database, ssl, application_name: 'vigil', connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    await canceller.connect();
    try {
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await canceller.end();
    }
  }

  /** Counts, in the export's snapshot, the rows and the protected values it will write, and
   * records them in the audit log before anything is sent. */
  private async recordExport(client: PoolClient, query: AuditedRows, ctx: ExportContext): Promise<void> {
    const counts = await this.countProtected(client, query);
    const recorder = new ExportAccessRecorder(query.audited, counts, ctx.probes);
    try {
      await this.audit.recordAccess(ctx.viewer, AuditAction.EXPORT, recorder, {
        operation: `${ctx.operation} (${counts.rows} rows)`,
        requestId: ctx.requestId,
      });
    } catch (error) {
      this.logger.error(`Could not write the audit log (${(error as { code?: string }).code ?? 'no code'}); withholding the export`);
      throw new AuditUnavailableError();
    }
  }

  /** One pass over the export's matching records, in its snapshot: rows, rows carrying each
   * protected value, and the first subjects by id. */
  private async countProtected(client: PoolClient, query: AuditedRows): Promise<ProtectedCounts> {
    const [sql, parameters] = query.rows();
    const carries = query.audited.map((_, k) => `p${k} IS NOT NULL`).join(' OR ') || 'FALSE';
    const perValue = query.audited.map((_, k) => `, count(p${k}) AS v${k}`).join('');
    const {
      rows: [counted],
    } = await client.query<Record<string, string> & { ids: string[] | null }>(
      `SELECT count(*) AS rows, count(*) FILTER (WHERE ${carries}) AS subjects${perValue}, ` +
        `(array_agg(id::text ORDER BY id) FILTER (WHERE ${carries}))[1:${MAX_AUDITED_SUBJECTS}] AS ids FROM (${sql}) m`,
      parameters,
    );
    return {
      rows: Number(counted.rows),
      subjects: Number(counted.subjects),
      perValue: query.audited.map((_, k) => Number(counted[`v${k}`])),
      ids: counted.ids ?? [],
    };
  }
}
