import { AccessLevel } from '../access/access-level';
import { updatedAtSql } from '../access/change-stamps';
import { levelOf, readableColumns, ReadsProperty } from '../access/field-access';
import { Viewer } from '../access/viewer';
import { visibleCondition } from '../access/record-visibility';
import { Incident, INCIDENT_TEXT } from '../incidents/incident.entity';
import { INCIDENT_KIND_MAPPINGS } from '../incidents/incident-kind';
import { Organization } from '../organizations/organization.entity';
import { Region } from '../regions/region.entity';
import { AdvocacyResponse, RESPONSE_TEXT } from '../responses/advocacy-response.entity';
import { Citation, CITATION_TEXT } from '../sources/citation.entity';
import { Source } from '../sources/source.entity';
import { neutraliseFormulaSql } from './formula';
import { Situation, SITUATION_TEXT } from '../situations/situation.entity';
import { MONTH_SQL, YEAR_SQL } from '../incidents/periods';

/**
 * The columns of every export, in order: the header is stable, and a column is only ever added at
 * the end of a group or left out for a viewer who may not read it. Each column reads one entity
 * property, whose @Sensitive declaration decides who gets the column (readableColumns), so an
 * export never has a second access rule. Documented in docs/data-dictionary.md (generated).
 */

/** What a column holds, as written: uuid, text and enum as text; date as YYYY-MM-DD; timestamp
 * as ISO 8601 in UTC; integer and number as digits; boolean as true/false; list as values joined
 * by LIST_SEPARATOR. */
export type ColumnType = 'uuid' | 'text' | 'enum' | 'date' | 'timestamp' | 'integer' | 'number' | 'boolean' | 'list';

export interface ExportColumn extends ReadsProperty {
  name: string;
  type: ColumnType;
  /** SQL over the export's aliases, giving the value as JSON would hold it: dates and times are
   * already ISO 8601 text, numbers numeric, booleans boolean. */
  sql: string;
  description: string;
  /** The SQL for a given viewer, where it depends on who asks (a change stamp). */
  sqlFor?: (viewer: Viewer) => string;
  /** The SQL for a viewer who may read the incident's exact coordinates (atViewerPrecision), when
   * it differs: a position or its precision. `sql` is everyone else's. */
  sqlWithPosition?: string;
}

/** Joins the values of a list cell (source URLs, ids, names). */
export const LIST_SEPARATOR = ' | ';

/** The parameter every visibility subquery of an export binds the viewer's readable levels to. */
export const EXPORT_LEVELS = 'export_levels';

const isoDate = (sql: string) => `to_char(${sql}, 'YYYY-MM-DD')`;
const isoTimestamp = (sql: string) => `to_char(${sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The EDTF form of a stored date, the same as formatEdtf (tested against it). */
export function edtfSql(alias: string, prefix: string): string {
  const p = `${alias}.${prefix}`;
  const at = (d: string) =>
    `CASE ${p}_precision WHEN 'YEAR' THEN to_char(${d}, 'YYYY') WHEN 'MONTH' THEN to_char(${d}, 'YYYY-MM') ELSE to_char(${d}, 'YYYY-MM-DD') END`;
  const q = `CASE WHEN ${p}_approximate AND ${p}_uncertain THEN '%' WHEN ${p}_approximate THEN '~' WHEN ${p}_uncertain THEN '?' ELSE '' END`;
  return (
    `(${at(`${p}_start`)} || ${q} || CASE WHEN ${p}_open_end THEN '/..' ` +
    `WHEN ${p}_end IS NOT NULL AND ${p}_end <> ${p}_start THEN '/' || ${at(`${p}_end`)} || ${q} ELSE '' END)`
  );
}

/** The columns of an embedded DateWithPrecision (`prefix` is its column prefix and the columns'). */
function dateColumns(entity: Function, alias: string, prefix: string, property: string, what: string): ExportColumn[] {
  const p = `${alias}.${prefix}`;
  const c = (name: string, type: ColumnType, sql: string, description: string): ExportColumn => ({
    name: `${prefix}_${name}`,
    type,
    sql,
    description,
    entity,
    property,
  });
  return [
    c('start', 'date', isoDate(`${p}_start`), `First day of the period of ${what} the precision names ("2017-04" is 2017-04-01).`),
    c('end', 'date', isoDate(`${p}_end`), 'For an interval, the first day of its last period; empty for a single date or an open end.'),
    c('latest', 'date', `CASE WHEN ${p}_latest = 'infinity' THEN NULL ELSE ${isoDate(`${p}_latest`)} END`, 'Last day the date may refer to; empty when the span is open.'),
    c('precision', 'enum', `${p}_precision`, 'DAY, MONTH or YEAR: how much of the date the sources give.'),
    c('approximate', 'boolean', `${p}_approximate`, 'EDTF "~": the sources give the date roughly.'),
    c('uncertain', 'boolean', `${p}_uncertain`, 'EDTF "?": the sources are unsure of the date.'),
    c('open_end', 'boolean', `${p}_open_end`, 'The span continues with no known end ("since April 2017").'),
    c('edtf', 'text', edtfSql(alias, prefix), 'The date in EDTF (ISO 8601-2), e.g. 2018-12~ or 2017-04/..'),
    c('as_reported', 'text', `${p}_as_reported`, 'The date in the source\'s own words.'),
  ];
}

/** The columns of an embedded CountEstimate. */
function countColumns(entity: Function, alias: string, prefix: string, what: string): ExportColumn[] {
  const c = (name: string, type: ColumnType, description: string): ExportColumn => ({
    name: `${prefix}_${name}`,
    type,
    sql: `${alias}.${prefix}_${name}`,
    description,
    entity,
    property: prefix,
  });
  return [
    c('at_least', 'integer', `${what}: the lowest figure the sources support; empty when unknown.`),
    c('best', 'integer', `${what}: the most likely figure; empty when unknown.`),
    c('at_most', 'integer', `${what}: the highest figure the sources support; empty when unbounded or unknown.`),
    c('basis', 'enum', 'DOCUMENTED (a figure a source states) or ESTIMATED; empty when nothing is known.'),
    c('as_reported', 'text', 'The count in the source\'s own words.'),
  ];
}

const col = (entity: Function, name: string, type: ColumnType, sql: string, description: string, property?: string): ExportColumn => ({
  name,
  type,
  sql,
  description,
  entity,
  property: property ?? name.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase()),
});

/** Source columns shared by incidents and responses, over the joined aggregate `cs`
 * (provenanceJoin): visible citations of visible sources only, so no hidden source shows through
 * its URL or a count. */
function provenanceColumns(): ExportColumn[] {
  return [
    col(Citation, 'source_count', 'integer', 'coalesce(cs.source_count, 0)', 'Distinct sources cited that you may see.', 'sourceId'),
    col(Source, 'independent_source_count', 'integer', 'coalesce(cs.independent_source_count, 0)', 'Distinct publishers among the cited sources you may see.', 'publisher'),
    col(Source, 'source_urls', 'list', 'cs.source_urls', `URLs of the cited sources you may see, sorted, joined by "${LIST_SEPARATOR}".`, 'url'),
    col(Source, 'source_publishers', 'list', 'cs.source_publishers', `Publishers of the cited sources you may see, distinct, sorted, joined by "${LIST_SEPARATOR}".`, 'publisher'),
  ];
}

const recordColumns = (entity: Function, alias: string): ExportColumn[] => [
  col(entity, 'confidentiality', 'enum', `${alias}.confidentiality`, 'Who may see the record: PUBLIC, RESTRICTED or CONFIDENTIAL.'),
  col(entity, 'created_at', 'timestamp', isoTimestamp(`${alias}.created_at`), 'When the record was created (UTC).'),
  {
    ...col(entity, 'updated_at', 'timestamp', isoTimestamp(`${alias}.updated_at`), 'When the record last changed in a way you may see (UTC); see updatedSince.'),
    sqlFor: (viewer: Viewer) => isoTimestamp(updatedAtSql(alias, viewer)),
  },
  col(entity, 'deleted_at', 'timestamp', isoTimestamp(`${alias}.deleted_at`), 'When the record was deleted; set only in editors\' exports with includeDeleted=true.'),
];

/** Region columns over the joined region `reg`, its country `cty` and its first-level subdivision `sub`. */
const regionColumns = (entity: Function, alias: string, where: string): ExportColumn[] => [
  col(entity, 'region_code', 'text', `${alias}.region_code`, `ISO 3166 code of the country or subdivision ${where}.`),
  col(Region, 'region_name', 'text', `coalesce(reg.names->>'en', reg.name)`, 'The region\'s English common name (Chechnya; the ISO 3166 name where the name data has none).', 'isoName'),
  col(Region, 'country_code', 'text', 'reg.country_code', 'ISO 3166-1 alpha-2 code of the country the region is in.', 'countryCode'),
  col(Region, 'country_name', 'text', `coalesce(cty.names->>'en', cty.name)`, 'The country\'s English common name (Russia).', 'isoName'),
  col(Region, 'subdivision_code', 'text', 'sub.code', 'ISO 3166-2 code of the first-level subdivision the region is or lies in (RU-CE); empty for a country.', 'code'),
  col(Region, 'subdivision_name', 'text', `coalesce(sub.names->>'en', sub.name)`, 'That subdivision\'s English common name (Chechnya).', 'isoName'),
];

/** How precisely the region's representative point places a record: the point of a subdivision or
 * of a country (a region the point data lacks takes its nearest enclosing region's). */
const REGION_POINT_PRECISION = `CASE WHEN reg.point_code IS NULL THEN NULL WHEN strpos(reg.point_code, '-') > 0 THEN 'subdivision' ELSE 'country' END`;
const HAS_POSITION = 'i.latitude IS NOT NULL AND i.longitude IS NOT NULL';

/** geo_precision for a viewer who may read the exact coordinates: the coordinates' own precision. */
const GEO_PRECISION_WITH_POSITION =
  `CASE WHEN ${HAS_POSITION} THEN CASE i.location_precision WHEN 'EXACT' THEN 'exact' WHEN 'REGION' THEN ${REGION_POINT_PRECISION} ELSE 'locality' END ` +
  `ELSE ${REGION_POINT_PRECISION} END`;

/** How precisely the whole date span is known: the smallest period (day, month, year) it lies in,
 * or `longer`; the same rule as `year` and `month` (incidentStats). */
const timePrecisionSql = (alias: string) =>
  `CASE WHEN ${alias}.date_latest = ${alias}.date_start THEN 'day' WHEN (${MONTH_SQL.replace(/\bi\./g, `${alias}.`)}) IS NOT NULL THEN 'month' ` +
  `WHEN (${YEAR_SQL.replace(/\bi\./g, `${alias}.`)}) IS NOT NULL THEN 'year' ELSE 'longer' END`;

/** incidents.csv over `i` (the incident) and `reg` (its region). */
export const INCIDENT_COLUMNS: readonly ExportColumn[] = [
  col(Incident, 'id', 'uuid', 'i.id', 'The incident\'s id.'),
  col(Incident, 'kind', 'enum', 'i.kind', 'What happened (docs/vocabularies.md).'),
  col(Incident, 'headline', 'text', 'i.headline', 'One line saying what happened.'),
  col(Incident, 'description', 'text', 'i.description', 'What happened, in more words.'),
  ...dateColumns(Incident, 'i', 'date', 'date', 'the incident'),
  col(Incident, 'year', 'integer', YEAR_SQL, 'The year the whole date span lies in; empty when it spans years. The rule incidentStats counts by, so per-year counts agree.', 'date'),
  col(Incident, 'month', 'text', MONTH_SQL, 'The month (YYYY-MM) the whole date span lies in; empty when it spans months. As incidentStats.', 'date'),
  col(Incident, 'time_precision', 'enum', timePrecisionSql('i'), 'The smallest period the whole date span lies in: day, month, year, or longer (as year and month).', 'date'),
  ...regionColumns(Incident, 'i', 'where it happened'),
  col(Incident, 'locality', 'text', 'i.locality', 'Town, district or place, as precise as is safe to publish.'),
  col(Incident, 'latitude', 'number', 'i.latitude', 'Exact latitude (WGS 84).'),
  col(Incident, 'longitude', 'number', 'i.longitude', 'Exact longitude (WGS 84).'),
  col(Incident, 'location_precision', 'enum', 'i.location_precision', 'How exactly the place is known: EXACT, VICINITY, LOCALITY or REGION.'),
  {
    ...col(
      Incident,
      'geo_precision',
      'enum',
      REGION_POINT_PRECISION,
      'How precisely the position a map gets for you places the incident: exact (its exact coordinates), locality (coordinates of its town or vicinity), ' +
        'subdivision or country (the representative point of its region: all you get without access to exact coordinates).',
      'locationPrecision',
    ),
    sqlWithPosition: GEO_PRECISION_WITH_POSITION,
  },
  ...countColumns(Incident, 'i', 'victims', 'People harmed'),
  ...countColumns(Incident, 'i', 'deaths', 'People killed'),
  col(Incident, 'perpetrator_description', 'text', 'i.perpetrator_description', 'The perpetrator as the sources describe them.'),
  col(Incident, 'verification_status', 'enum', 'i.verification_status', 'REPORTED, CORROBORATED, VERIFIED, DISPUTED or RETRACTED.'),
  col(Incident, 'situation_id', 'uuid', 'sit.id', 'The situation (pattern of abuse) it belongs to; empty when none or you may not see it.'),
  ...provenanceColumns(),
  col(AdvocacyResponse, 'response_count', 'integer', 'coalesce(rs.response_count, 0)', 'Advocacy responses you may see that answer it.', 'id'),
  col(Incident, 'internal_notes', 'text', 'i.internal_notes', 'Editors\' working notes.'),
  col(Incident, 'language', 'text', 'i.language', 'BCP 47 language tag of its text (en, ru); search reads the text in this language.'),
  ...recordColumns(Incident, 'i'),
];

/** responses.csv over `r` (the response) and `reg` (its region, if any). */
export const RESPONSE_COLUMNS: readonly ExportColumn[] = [
  col(AdvocacyResponse, 'id', 'uuid', 'r.id', 'The response\'s id.'),
  col(AdvocacyResponse, 'kind', 'enum', 'r.kind', 'PETITION, STATEMENT, PROTEST, CAMPAIGN, FUNDRAISER, LEGAL_ACTION, LETTER, REPORT or OTHER.'),
  col(AdvocacyResponse, 'title', 'text', 'r.title', 'Its title.'),
  col(AdvocacyResponse, 'description', 'text', 'r.description', 'What was done, in more words.'),
  ...dateColumns(AdvocacyResponse, 'r', 'date', 'date', 'the response'),
  col(AdvocacyResponse, 'time_precision', 'enum', timePrecisionSql('r'), 'The smallest period the whole date span lies in: day, month, year, or longer.', 'date'),
  ...regionColumns(AdvocacyResponse, 'r', 'where it took place; empty for online or worldwide actions'),
  col(AdvocacyResponse, 'venue', 'text', 'r.venue', 'Venue ("Russian Embassy, London").'),
  col(AdvocacyResponse, 'organizers_description', 'text', 'r.organizers_description', 'Organizers not recorded as organizations, in the sources\' words.'),
  col(
    Organization,
    'organizer_names',
    'list',
    'os.organizer_names',
    `Names of the organizations you may see that organized it or took part, sorted, joined by "${LIST_SEPARATOR}".`,
    'name',
  ),
  col(AdvocacyResponse, 'target', 'text', 'r.target', 'Whom it addresses.'),
  ...countColumns(AdvocacyResponse, 'r', 'signatures', 'Signatures'),
  ...countColumns(AdvocacyResponse, 'r', 'participants', 'Participants'),
  col(AdvocacyResponse, 'outcome', 'text', 'r.outcome', 'What came of it.'),
  col(AdvocacyResponse, 'url', 'text', 'r.url', 'Its own web page.'),
  col(
    Incident,
    'incident_ids',
    'list',
    'ri.incident_ids',
    `Ids of the incidents you may see that it answers (the id column of incidents.csv), sorted, joined by "${LIST_SEPARATOR}".`,
    'id',
  ),
  col(
    Situation,
    'situation_ids',
    'list',
    'rsit.situation_ids',
    `Ids of the situations you may see that it answers (a campaign of abuse, as incidents.csv's situation_id), sorted, joined by "${LIST_SEPARATOR}".`,
    'id',
  ),
  ...provenanceColumns(),
  col(AdvocacyResponse, 'language', 'text', 'r.language', 'BCP 47 language tag of its text (en, ru); search reads the text in this language.'),
  ...recordColumns(AdvocacyResponse, 'r'),
];

/** sources.csv over `s`. */
export const SOURCE_COLUMNS: readonly ExportColumn[] = [
  col(Source, 'id', 'uuid', 's.id', 'The source\'s id.'),
  col(Source, 'kind', 'enum', 's.kind', 'NEWS_REPORT, NGO_REPORT, TESTIMONY, OFFICIAL_STATEMENT, SOCIAL_MEDIA, COURT_DOCUMENT or OTHER.'),
  col(Source, 'publisher', 'text', 's.publisher', 'Who published it.'),
  col(Source, 'publisher_attribution', 'enum', 's.publisher_attribution', 'STATED in the document, or INFERRED by the editors.'),
  col(Source, 'attribution_note', 'text', 's.attribution_note', 'How an inferred publisher or date was worked out.'),
  col(Source, 'publisher_organization_id', 'uuid', 'po.id', 'The publisher as a recorded organization; empty when unknown or you may not see it.'),
  col(Source, 'title', 'text', 's.title', 'Its title.'),
  col(Source, 'author', 'text', 's.author', 'Its author.'),
  col(Source, 'url', 'text', 's.url', 'Where it is published.'),
  ...dateColumns(Source, 's', 'published', 'published', 'publication'),
  col(Source, 'language', 'text', 's.language', 'BCP 47 language tag (en, ru).'),
  col(Source, 'reliability', 'enum', 's.reliability', 'Reliability on the HURIDOCS ESF scale.'),
  col(Source, 'archived_url', 'text', 's.archived_url', 'URL of an archived copy.'),
  col(Source, 'content_hash', 'text', 's.content_hash', 'sha256:<hex> of the copy Vigil holds.'),
  col(Citation, 'citation_count', 'integer', 'coalesce(cc.citation_count, 0)', 'Citations of it that you may see (the rows of citations.csv with this source_id).', 'sourceId'),
  ...recordColumns(Source, 's'),
];

/** citations.csv over `c`. Foreign keys only: a citation is visible only when every record it
 * names is, so each id is one the viewer may see (join with the other exports). */
export const CITATION_COLUMNS: readonly ExportColumn[] = [
  col(Citation, 'id', 'uuid', 'c.id', 'The citation\'s id.'),
  col(Citation, 'source_id', 'uuid', 'c.source_id', 'The source cited (the id column of sources.csv).'),
  col(Citation, 'incident_id', 'uuid', 'c.incident_id', 'The incident it supports, if that is its subject.'),
  col(Citation, 'situation_id', 'uuid', 'c.situation_id', 'The situation it supports, if that is its subject.'),
  col(Citation, 'response_id', 'uuid', 'c.response_id', 'The advocacy response it supports, if that is its subject.'),
  col(Citation, 'claim', 'text', 'c.claim', 'What the excerpt supports ("date", "victim count").'),
  col(Citation, 'excerpt', 'text', 'c.excerpt', 'The words of the source that support the claim.'),
  col(Citation, 'locator', 'text', 'c.locator', 'Where in the source: page, paragraph, timestamp.'),
  col(Citation, 'language', 'text', 'c.language', 'BCP 47 language tag of its text (en, ru); search reads the text in this language.'),
  ...recordColumns(Citation, 'c'),
];

/** situations.csv over `s` (the situation) and `reg`: what incidents.csv's situation_id and
 * responses.csv's situation_ids name. Export only: situations are written through GraphQL. */
export const SITUATION_COLUMNS: readonly ExportColumn[] = [
  col(Situation, 'id', 'uuid', 's.id', 'The situation\'s id (incidents.csv\'s situation_id, responses.csv\'s situation_ids).'),
  col(Situation, 'name', 'text', 's.name', 'Its name ("Anti-gay purge in Chechnya").'),
  col(Situation, 'description', 'text', 's.description', 'What the pattern of abuse is.'),
  ...dateColumns(Situation, 's', 'date', 'date', 'the situation'),
  ...regionColumns(Situation, 's', 'where it happens; empty when it spans countries'),
  col(Situation, 'language', 'text', 's.language', 'BCP 47 language tag of its text (en, ru); search reads the text in this language.'),
  ...recordColumns(Situation, 's'),
];

/** organizations.csv over `o` (the organization) and `reg`: what sources.csv's
 * publisher_organization_id names, and responses.csv's organizer_names. Export only. */
export const ORGANIZATION_COLUMNS: readonly ExportColumn[] = [
  col(Organization, 'id', 'uuid', 'o.id', 'The organization\'s id (sources.csv\'s publisher_organization_id).'),
  col(Organization, 'name', 'text', 'o.name', 'Its name, as responses.csv\'s organizer_names writes it.'),
  col(Organization, 'kind', 'enum', 'o.kind', 'What kind of organization it is (docs/vocabularies.md).'),
  col(Organization, 'description', 'text', 'o.description', 'What it does.'),
  col(Organization, 'website', 'text', 'o.website', 'Its web site.'),
  ...regionColumns(Organization, 'o', 'it is based in'),
  ...recordColumns(Organization, 'o'),
];

/** ACLED's event type and sub-event type of each incident kind (INCIDENT_KIND_MAPPINGS). */
const acledPart = (part: 0 | 1) =>
  `CASE i.kind ${Object.entries(INCIDENT_KIND_MAPPINGS)
    .map(([kind, m]) => `WHEN '${kind}' THEN '${m.acled.split(' / ')[part].replace(/'/g, "''")}'`)
    .join(' ')} END`;

/** acled.csv over `i`: incidents.csv in ACLED's column names and codes (ACLED Codebook), so tools
 * built for ACLED's exports read Vigil's. What does not map is in docs/exports.md. */
export const ACLED_COLUMNS: readonly ExportColumn[] = [
  col(Incident, 'event_id_cnty', 'uuid', 'i.id', 'The incident\'s Vigil id (ACLED\'s own ids are country-prefixed numbers).', 'id'),
  col(Incident, 'event_date', 'date', isoDate('i.date_start'), 'First day the date may refer to (YYYY-MM-DD); see time_precision.', 'date'),
  col(Incident, 'year', 'integer', 'extract(year FROM i.date_start)::int', 'The year of event_date, as ACLED counts (incidents.csv\'s year follows incidentStats instead).', 'date'),
  col(
    Incident,
    'time_precision',
    'integer',
    `CASE WHEN i.date_latest = i.date_start THEN 1 WHEN i.date_latest <> 'infinity' AND i.date_latest - i.date_start < 7 THEN 2 ELSE 3 END`,
    'ACLED\'s code: 1 the day is known, 2 within a week, 3 a month or vaguer (a year, an open span).',
    'date',
  ),
  col(Incident, 'event_type', 'text', acledPart(0), 'ACLED event type of the incident\'s kind (docs/vocabularies.md).', 'kind'),
  col(Incident, 'sub_event_type', 'text', acledPart(1), 'ACLED sub-event type of the incident\'s kind.', 'kind'),
  col(Region, 'country', 'text', `coalesce(cty.names->>'en', cty.name)`, 'The country\'s English common name.', 'isoName'),
  col(Region, 'iso', 'text', 'reg.country_code', 'ISO 3166-1 alpha-2 code of the country (ACLED\'s iso is numeric: join by country name or convert).', 'countryCode'),
  col(Region, 'admin1', 'text', `coalesce(sub.names->>'en', sub.name)`, 'The first-level subdivision\'s English common name; empty for a country.', 'isoName'),
  col(Incident, 'location', 'text', `coalesce(i.locality, coalesce(reg.names->>'en', reg.name))`, 'The locality, or else the region\'s name.', 'locality'),
  {
    ...col(Incident, 'latitude', 'number', 'reg.latitude', 'Latitude (WGS 84) at your precision: exact for roles that may read it, else the region\'s representative point.', 'regionCode'),
    sqlWithPosition: `CASE WHEN ${HAS_POSITION} THEN i.latitude ELSE reg.latitude END`,
  },
  {
    ...col(Incident, 'longitude', 'number', 'reg.longitude', 'Longitude (WGS 84), as latitude.', 'regionCode'),
    sqlWithPosition: `CASE WHEN ${HAS_POSITION} THEN i.longitude ELSE reg.longitude END`,
  },
  {
    ...col(Incident, 'geo_precision', 'integer', `CASE (${REGION_POINT_PRECISION}) WHEN 'exact' THEN 1 WHEN 'locality' THEN 2 ELSE 3 END`, 'ACLED\'s code for the latitude and longitude you get: 1 exact coordinates, 2 a town or vicinity, 3 a subdivision\'s or a country\'s point.', 'locationPrecision'),
    sqlWithPosition: `CASE (${GEO_PRECISION_WITH_POSITION}) WHEN 'exact' THEN 1 WHEN 'locality' THEN 2 ELSE 3 END`,
  },
  col(Source, 'source', 'text', `replace(cs.source_publishers, '${LIST_SEPARATOR}', '; ')`, 'Publishers of the cited sources you may see, joined by "; " as ACLED does.', 'publisher'),
  col(Incident, 'notes', 'text', `i.headline || coalesce(': ' || i.description, '')`, 'The headline and the description.', 'description'),
  col(Incident, 'fatalities', 'integer', 'coalesce(i.deaths_best, i.deaths_at_least, 0)', 'People killed: the best figure, else the lowest; 0 when unknown, as ACLED codes it.', 'deaths'),
];

/** Properties of incidents.geojson features: the incident columns anyone may read. Protected
 * columns stay out of a file made for maps, which get shared; exact coordinates, for those who
 * may read them, are the geometry. */
export const GEOJSON_PROPERTIES: readonly ExportColumn[] = INCIDENT_COLUMNS.filter((c) => levelOf(c) === AccessLevel.PUBLIC);

/** The exact position of an incident, for the GeoJSON geometry. */
export const INCIDENT_POSITION: readonly ExportColumn[] = INCIDENT_COLUMNS.filter((c) => c.name === 'latitude' || c.name === 'longitude');

/** A relation an export's columns read, left-joined to its rows as `alias`. Aggregates are
 * computed once for all the export's rows (a hash join), never once per row: `ids` is the SQL of
 * the ids of the records the export matches (the list's own query), so a filtered export
 * aggregates only its own records. */
export interface ExportJoin {
  alias: string;
  /** `deletedLinks`: the export includes deleted records (an editor's includeDeleted), so a link
   * or citation counts even when a record it points at is deleted, as in the citations export. */
  sql: (ids: string, deletedLinks: boolean) => string;
  on: string;
}

const regionJoin = (alias: string): ExportJoin => ({
  alias: 'reg',
  sql: () => '(SELECT code, name, names, country_code, path, latitude, longitude, point_code FROM region)',
  on: `reg.code = ${alias}.region_code`,
});
/** The region's country and first-level subdivision; after regionJoin, whose row they read. */
const countryJoin: ExportJoin = { alias: 'cty', sql: () => '(SELECT code, name, names FROM region)', on: 'cty.code = reg.country_code' };
const subdivisionJoin: ExportJoin = { alias: 'sub', sql: () => '(SELECT code, name, names FROM region)', on: 'sub.code = reg.path[2]' };

/** The columns as `viewer` gets them: the exact-position SQL where it may read the coordinates
 * (`located`), everyone else's otherwise. */
export function atViewerPrecision(columns: readonly ExportColumn[], located: boolean): ExportColumn[] {
  return columns.map((c) => (located && c.sqlWithPosition ? { ...c, sql: c.sqlWithPosition } : c));
}

/** The map point of an incident: exact for a viewer who may read the coordinates (`located`) and
 * when they are known, its region's representative point otherwise; [longitude, latitude] SQL. */
export function mapPointSql(located: boolean): { longitude: string; latitude: string } {
  if (!located) return { longitude: 'reg.longitude', latitude: 'reg.latitude' };
  return {
    longitude: `CASE WHEN ${HAS_POSITION} THEN i.longitude ELSE reg.longitude END`,
    latitude: `CASE WHEN ${HAS_POSITION} THEN i.latitude ELSE reg.latitude END`,
  };
}

/** Source counts and URLs per record over visible citations of visible sources. The citation is
 * held to the rule here (its source is checked by the join, its subject by `ids`, which are
 * visible records; a CHECK keeps its other subject columns null). */
const provenanceJoin = (subjectColumn: string, alias: string): ExportJoin => ({
  alias: 'cs',
  sql: (ids, deletedLinks) =>
    `(SELECT c.${subjectColumn} AS subject_id, count(DISTINCT c.source_id)::int AS source_count, ` +
    `count(DISTINCT lower(btrim(s.publisher)))::int AS independent_source_count, ` +
    `string_agg(DISTINCT s.url, '${LIST_SEPARATOR}' ORDER BY s.url) AS source_urls, ` +
    `string_agg(DISTINCT btrim(s.publisher), '${LIST_SEPARATOR}' ORDER BY btrim(s.publisher)) AS source_publishers ` +
    `FROM citation c JOIN source s ON s.id = c.source_id WHERE c.${subjectColumn} IN (${ids}) ` +
    `AND ${visibleCondition('Citation', 'c', EXPORT_LEVELS, { reachedBy: 'source_id', deletedLinks })} AND ${visibleCondition('Source', 's', EXPORT_LEVELS)} ` +
    `GROUP BY c.${subjectColumn})`,
  on: `cs.subject_id = ${alias}.id`,
});

/** The ids a response's visible links of `table` point at (`column`), sorted and joined, as `list`. */
const linkedIdsJoin = (alias: string, entity: string, table: string, column: string, list: string): ExportJoin => ({
  alias,
  sql: (ids, deletedLinks) =>
    `(SELECT l.response_id AS subject_id, string_agg(l.${column}::text, '${LIST_SEPARATOR}' ORDER BY l.${column}) AS ${list} ` +
    `FROM ${table} l WHERE l.response_id IN (${ids}) ` +
    `AND ${visibleCondition(entity, 'l', EXPORT_LEVELS, { reachedBy: 'response_id', deletedLinks })} GROUP BY l.response_id)`,
  on: `${alias}.subject_id = r.id`,
});

export const INCIDENT_JOINS: readonly ExportJoin[] = [
  regionJoin('i'),
  countryJoin,
  subdivisionJoin,
  { alias: 'sit', sql: () => `(SELECT v.id FROM situation v WHERE ${visibleCondition('Situation', 'v', EXPORT_LEVELS)})`, on: 'sit.id = i.situation_id' },
  provenanceJoin('incident_id', 'i'),
  {
    alias: 'rs',
    sql: (ids, deletedLinks) =>
      `(SELECT l.incident_id AS subject_id, count(*)::int AS response_count FROM response_incident l WHERE l.incident_id IN (${ids}) ` +
      `AND ${visibleCondition('ResponseIncident', 'l', EXPORT_LEVELS, { reachedBy: 'incident_id', deletedLinks })} GROUP BY l.incident_id)`,
    on: 'rs.subject_id = i.id',
  },
];

export const RESPONSE_JOINS: readonly ExportJoin[] = [
  regionJoin('r'),
  countryJoin,
  subdivisionJoin,
  {
    alias: 'os',
    sql: (ids, deletedLinks) =>
      `(SELECT l.response_id AS subject_id, string_agg(DISTINCT o.name, '${LIST_SEPARATOR}' ORDER BY o.name) AS organizer_names ` +
      `FROM response_organizer l JOIN organization o ON o.id = l.organization_id WHERE l.response_id IN (${ids}) ` +
      `AND ${visibleCondition('ResponseOrganizer', 'l', EXPORT_LEVELS, { reachedBy: 'response_id', deletedLinks })} GROUP BY l.response_id)`,
    on: 'os.subject_id = r.id',
  },
  linkedIdsJoin('ri', 'ResponseIncident', 'response_incident', 'incident_id', 'incident_ids'),
  linkedIdsJoin('rsit', 'ResponseSituation', 'response_situation', 'situation_id', 'situation_ids'),
  provenanceJoin('response_id', 'r'),
];

export const SITUATION_JOINS: readonly ExportJoin[] = [regionJoin('s'), countryJoin, subdivisionJoin];
export const ORGANIZATION_JOINS: readonly ExportJoin[] = [regionJoin('o'), countryJoin, subdivisionJoin];

export const SOURCE_JOINS: readonly ExportJoin[] = [
  { alias: 'po', sql: () => `(SELECT o.id FROM organization o WHERE ${visibleCondition('Organization', 'o', EXPORT_LEVELS)})`, on: 'po.id = s.publisher_organization_id' },
  {
    alias: 'cc',
    sql: (ids, deletedLinks) =>
      `(SELECT c.source_id AS subject_id, count(*)::int AS citation_count FROM citation c WHERE c.source_id IN (${ids}) ` +
      `AND ${visibleCondition('Citation', 'c', EXPORT_LEVELS, { deletedLinks })} GROUP BY c.source_id)`,
    on: 'cc.subject_id = s.id',
  },
];

/** The parameter the `language` option's tags are bound to (the reader's languages, first
 * preferred first). */
export const EXPORT_LANGUAGES = 'export_languages';

/** What the `language` option adds to a CSV export: the record's text in the first of the reader's
 * languages it has (the original when none), as `inLanguage(preferred:)` gives it in GraphQL
 * (`vigil_in_language`, migration ExportInLanguage, tested against it), and who translated it. The
 * columns read the record's `translations`, so they follow its level and no rule of their own. */
export interface InLanguageExport {
  columns: readonly ExportColumn[];
  join: ExportJoin;
}

function inLanguageExport(entity: Function, alias: string, table: string, fields: readonly string[]): InLanguageExport {
  const t = 'tl.t';
  const c = (name: string, type: ColumnType, sql: string, description: string): ExportColumn => ({ name, type, sql, description, entity, property: 'translations' });
  return {
    columns: [
      c('text_language', 'text', `coalesce(${t}->>'language', ${alias}.language)`, 'With `language`: BCP 47 tag of the language of the `*_in_language` columns (a translation\'s, or the original\'s when it has none of the languages asked for).'),
      c('is_translation', 'boolean', `${t} IS NOT NULL`, 'With `language`: true when the `*_in_language` columns hold a translation, not the original text.'),
      ...fields.map((f) =>
        c(`${f.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`)}_in_language`, 'text', `coalesce(${t}->>'${f}', ${alias}.${f})`, `With \`language\`: the ${f} in that language; the original where the translation leaves it out (see \`untranslated\`).`),
      ),
      c('translator', 'text', `${t}->>'translator'`, 'With `language`: who translated it, as they wish to be named; empty for the original.'),
      c('translation_method', 'enum', `${t}->>'method'`, 'With `language`: HUMAN, MACHINE or MACHINE_REVIEWED; empty for the original.'),
      c(
        'untranslated',
        'list',
        `nullif(concat_ws('${LIST_SEPARATOR}', ${fields.map((f) => `CASE WHEN ${t} IS NOT NULL AND ${t}->>'${f}' IS NULL AND ${alias}.${f} IS NOT NULL THEN '${f}' END`).join(', ')}), '')`,
        'With `language`: the fields a translation leaves out, given in the original language.',
      ),
    ],
    join: {
      alias: 'tl',
      sql: (ids) => `(SELECT x.id, vigil_in_language(x.language, x.translations, :${EXPORT_LANGUAGES}) AS t FROM ${table} x WHERE x.id IN (${ids}))`,
      on: `tl.id = ${alias}.id`,
    },
  };
}

export const INCIDENT_IN_LANGUAGE = inLanguageExport(Incident, 'i', 'incident', INCIDENT_TEXT.fields);
export const RESPONSE_IN_LANGUAGE = inLanguageExport(AdvocacyResponse, 'r', 'advocacy_response', RESPONSE_TEXT.fields);
export const SITUATION_IN_LANGUAGE = inLanguageExport(Situation, 's', 'situation', SITUATION_TEXT.fields);
export const CITATION_IN_LANGUAGE = inLanguageExport(Citation, 'c', 'citation', CITATION_TEXT.fields);

/** The joins `columns` read. */
export function joinsFor(joins: readonly ExportJoin[], columns: readonly ExportColumn[]): ExportJoin[] {
  const needed = new Set(joins.filter((j) => columns.some((c) => c.sql.includes(`${j.alias}.`))));
  // A join whose condition reads another (a region's country reads the region) brings it along.
  for (const j of [...needed]) for (const k of joins) if (k !== j && j.on.includes(`${k.alias}.`)) needed.add(k);
  return joins.filter((j) => needed.has(j));
}

/** The SQL of a column's CSV cell: text neutralised against formula injection, booleans as
 * true/false; the rest as PostgreSQL writes it (digits, ISO text already). */
export function csvCellSql(column: ExportColumn): string {
  if (column.type === 'text' || column.type === 'list') return neutraliseFormulaSql(column.sql);
  if (column.type === 'boolean') return `(${column.sql})::text`;
  return column.sql;
}

/** Every CSV export, for the data dictionary. */
export const CSV_EXPORTS: readonly CsvExport[] = [
  { file: 'incidents.csv', columns: INCIDENT_COLUMNS, inLanguage: INCIDENT_IN_LANGUAGE },
  { file: 'responses.csv', columns: RESPONSE_COLUMNS, inLanguage: RESPONSE_IN_LANGUAGE },
  { file: 'sources.csv', columns: SOURCE_COLUMNS },
  { file: 'citations.csv', columns: CITATION_COLUMNS, inLanguage: CITATION_IN_LANGUAGE },
];

/** A CSV export's columns, and those its `language` option adds at the end. */
export interface CsvExport {
  file: string;
  columns: readonly ExportColumn[];
  inLanguage?: InLanguageExport;
}

/** Of `columns`, those `viewer` may read (readableColumns), each with its SQL for that viewer. */
export function columnsFor(viewer: Viewer, columns: readonly ExportColumn[]): ExportColumn[] {
  return readableColumns(viewer, columns).map((c) => (c.sqlFor ? { ...c, sql: c.sqlFor(viewer) } : c));
}
/** CSV exports an import does not read: situations and organizations (written through GraphQL),
 * so that every id in the other exports resolves within the exports, and the ACLED-shaped file. */
export const EXPORT_ONLY_CSV_EXPORTS: readonly CsvExport[] = [
  { file: 'situations.csv', columns: SITUATION_COLUMNS, inLanguage: SITUATION_IN_LANGUAGE },
  { file: 'organizations.csv', columns: ORGANIZATION_COLUMNS },
  { file: 'acled.csv', columns: ACLED_COLUMNS },
];
