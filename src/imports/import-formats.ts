import { CITATION_COLUMNS, ExportColumn, INCIDENT_COLUMNS, RESPONSE_COLUMNS, SOURCE_COLUMNS } from '../exports/columns';
import { VigilRecord } from '../common/vigil-record';
import { IncidentInput } from '../incidents/dto/incident.inputs';
import { Incident } from '../incidents/incident.entity';
import { AdvocacyResponse } from '../responses/advocacy-response.entity';
import { CreateAdvocacyResponseInput } from '../responses/dto/response.inputs';
import { Citation } from '../sources/citation.entity';
import { CreateCitationInput, SourceInput } from '../sources/dto/source.inputs';
import { Source } from '../sources/source.entity';

/**
 * The CSV files an import reads are the ones the exports write (src/exports/columns.ts): the same
 * header, the same cells. Each export column has one role on import, decided here once; a column
 * added to an export without a role here stops the import module from loading (and its spec
 * fails), so the two formats cannot drift apart silently.
 */

export type ImportKind = 'sources' | 'incidents' | 'responses' | 'citations';

/** What an import does with one column of the file. */
export type ColumnRole =
  /** The record's id, a UUID: the import creates the record with it or finds it by it. An empty
   * cell, or no id column, creates a new record with a new id. */
  | { role: 'id' }
  /** created_at and updated_at are kept on creation; deleted_at says whether the record is deleted. */
  | { role: 'timestamp'; property: 'createdAt' | 'updatedAt' | 'deletedAt' }
  /** Computed by the export from other records (counts, names, URLs) or from other columns (EDTF,
   * latest day): read from the file, never written. */
  | { role: 'derived' }
  /** A field of the write input, at `path` (['date', 'start'] for date_start). */
  | { role: 'field'; path: [string] | [string, string] }
  /** A response's links, written as the createAdvocacyResponse input takes them. */
  | { role: 'link'; property: 'incidentIds' | 'situationIds' | 'organizers' };

export interface ImportFormat {
  kind: ImportKind;
  /** The name the export gives the file, for messages. */
  file: string;
  entity: new () => VigilRecord;
  /** The GraphQL write input a row becomes and is validated as: the API's rules, unchanged. */
  input: new () => object;
  columns: readonly ExportColumn[];
  /** Columns computed by the export (ignored on import). */
  derived: readonly string[];
  /** Columns a file must have: the input's required fields (not the id: a row without one is new). */
  required: readonly string[];
  /** References an export leaves empty when the record they name is deleted or hidden from the
   * exporting viewer ("empty when none or you may not see it"). An empty cell is therefore no
   * reason to remove a stored reference: it is null on creation and left alone on update. */
  keptWhenEmpty: readonly string[];
  /** Input properties an update may not change (the API's changes input leaves them out). */
  fixed: readonly string[];
  /** Input properties that are links, not columns of the record. */
  links: readonly string[];
}

const TIMESTAMPS: Record<string, 'createdAt' | 'updatedAt' | 'deletedAt'> = {
  created_at: 'createdAt',
  updated_at: 'updatedAt',
  deleted_at: 'deletedAt',
};

/** Per export, in the order an import loads them: what a record refers to comes first. */
export const IMPORT_FORMATS: readonly ImportFormat[] = [
  {
    kind: 'sources',
    file: 'sources.csv',
    entity: Source,
    input: SourceInput,
    columns: SOURCE_COLUMNS,
    derived: ['published_latest', 'published_edtf', 'citation_count'],
    required: ['kind', 'publisher', 'title', 'published_start', 'published_precision'],
    keptWhenEmpty: ['publisher_organization_id'],
    fixed: [],
    links: [],
  },
  {
    kind: 'incidents',
    file: 'incidents.csv',
    entity: Incident,
    input: IncidentInput,
    columns: INCIDENT_COLUMNS,
    derived: [
      'date_latest', 'date_edtf', 'year', 'month', 'time_precision', 'region_name', 'country_code', 'country_name', 'subdivision_code', 'subdivision_name',
      'geo_precision', 'source_count', 'independent_source_count', 'source_urls', 'source_publishers', 'response_count',
    ],
    required: ['kind', 'headline', 'date_start', 'date_precision', 'region_code'],
    keptWhenEmpty: ['situation_id'],
    fixed: [],
    links: [],
  },
  {
    kind: 'responses',
    file: 'responses.csv',
    entity: AdvocacyResponse,
    input: CreateAdvocacyResponseInput,
    columns: RESPONSE_COLUMNS,
    derived: [
      'date_latest', 'date_edtf', 'time_precision', 'region_name', 'country_code', 'country_name', 'subdivision_code', 'subdivision_name',
      'source_count', 'independent_source_count', 'source_urls', 'source_publishers',
    ],
    required: ['kind', 'title', 'date_start', 'date_precision'],
    keptWhenEmpty: [],
    fixed: [],
    links: ['incidentIds', 'situationIds', 'organizers', 'citations'],
  },
  {
    kind: 'citations',
    file: 'citations.csv',
    entity: Citation,
    input: CreateCitationInput,
    columns: CITATION_COLUMNS,
    derived: [],
    required: ['source_id'],
    keptWhenEmpty: [],
    // What a citation cites is fixed (UpdateCitationInput has no such fields): delete and cite again.
    fixed: ['sourceId', 'incidentId', 'situationId', 'responseId'],
    links: [],
  },
];

const LINK_COLUMNS: Record<string, 'incidentIds' | 'situationIds' | 'organizers'> = {
  incident_ids: 'incidentIds',
  situation_ids: 'situationIds',
  organizer_names: 'organizers',
};

const snake = (property: string) => property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The role of `column` in `format`; throws for a column nothing here accounts for. */
export function roleOf(format: ImportFormat, column: ExportColumn): ColumnRole {
  if (column.name === 'id') return { role: 'id' };
  if (TIMESTAMPS[column.name]) return { role: 'timestamp', property: TIMESTAMPS[column.name] };
  if (format.derived.includes(column.name)) return { role: 'derived' };
  if (format.kind === 'responses' && LINK_COLUMNS[column.name]) return { role: 'link', property: LINK_COLUMNS[column.name] };
  if (column.entity === format.entity) {
    // A column of the record itself: a property (region_code), or a part of an embedded date or
    // count (date_start, victims_at_least), as columns.ts names them.
    const base = snake(column.property);
    if (column.name === base) return { role: 'field', path: [column.property] };
    if (column.name.startsWith(`${base}_`)) return { role: 'field', path: [column.property, camel(column.name.slice(base.length + 1))] };
  }
  throw new Error(`${format.file}: the export column ${column.name} has no import rule (src/imports/import-formats.ts)`);
}

/** Every column of `format` with its role. */
export function columnRoles(format: ImportFormat): Map<string, { column: ExportColumn; role: ColumnRole }> {
  return new Map(format.columns.map((column) => [column.name, { column, role: roleOf(format, column) }]));
}

/** The path of a field role as written in problems (`date.start`). */
export const pathText = (path: readonly string[]) => path.join('.');

/**
 * The format a header belongs to: the one that names most of its columns (an export's header is
 * a subset of its columns, in its order). Null when no format names at least two columns, or two
 * formats tie.
 */
export function recogniseHeader(header: readonly string[]): ImportFormat | null {
  const scored = IMPORT_FORMATS.map((format) => {
    const names = new Set(format.columns.map((c) => c.name));
    return { format, score: header.filter((h) => names.has(h)).length };
  }).sort((a, b) => b.score - a.score);
  const [best, next] = scored;
  if (best.score < 2 || best.score === next.score) return null;
  return best.format;
}

const SEPARATORS: [string, string][] = [
  [';', '";"'],
  ['\t', 'tabs'],
  ['|', '"|"'],
];

/** For a header that is not an export's: the separator its one cell seems to use instead of
 * commas (a spreadsheet saved in a locale whose lists use ";"), or null. */
export function otherSeparator(header: readonly string[]): string | null {
  if (header.length !== 1) return null;
  const [cell] = header;
  const found = SEPARATORS.map(([sep, name]) => ({ name, count: cell.split(sep).length - 1 })).sort((a, b) => b.count - a.count)[0];
  return found.count > 0 ? found.name : null;
}

// Checked when the module loads: an export column without an import rule is a programming error.
for (const format of IMPORT_FORMATS) columnRoles(format);
