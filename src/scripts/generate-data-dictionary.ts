import { writeFileSync } from 'node:fs';
import { getDirective } from '@graphql-tools/utils';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { GraphQLField, GraphQLObjectType, GraphQLSchema, isNonNullType, isObjectType } from 'graphql';
import { AccessLevel } from '../access/access-level';
import { levelOf } from '../access/field-access';
import { sensitiveDirective } from '../access/graphql-access';
import { SENSITIVE_FIELDS } from '../access/sensitive.decorator';
import { createApp } from '../app.factory';
import { CSV_EXPORTS, EXPORT_ONLY_CSV_EXPORTS, ExportColumn, GEOJSON_PROPERTIES, INCIDENT_POSITION, LIST_SEPARATOR } from '../exports/columns';
import { parameterNames } from '../exports/query-parameters';
import { EXPORT_ROUTES, ExportRoute, parameterSpec } from '../exports/routes';
import { GROUPS } from '../exports/timelinejs';

/** The committed file this script writes (from the repository's root, as npm runs it); a test
 * regenerates it and fails on a difference. */
export const DATA_DICTIONARY = 'docs/data-dictionary.md';

/** Text safe inside a Markdown table cell. */
const cell = (text: string | null | undefined) => (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const level = (l: AccessLevel) => (l === AccessLevel.PUBLIC ? 'PUBLIC' : `**${l}**`);

function fieldLevel(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): AccessLevel {
  return (getDirective(schema, field, sensitiveDirective.name)?.[0]?.level as AccessLevel | undefined) ?? AccessLevel.PUBLIC;
}

function reasonOf(type: string, field: string): string | null {
  return SENSITIVE_FIELDS.find((d) => d.target.name === type && d.property === field)?.reason ?? null;
}

const isConnectionPart = (type: GraphQLObjectType) => /(Connection|Edge)$/.test(type.name) || type.name === 'PageInfo';

function objectTypes(schema: GraphQLSchema): string[] {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));
  const types = Object.values(schema.getTypeMap())
    .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__') && !roots.has(t) && !isConnectionPart(t))
    .sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [];
  for (const type of types) {
    out.push(`### ${type.name}`, '');
    if (type.description) out.push(cell(type.description), '');
    out.push('| Field | Type | Nullable | Level | Description |', '|---|---|---|---|---|');
    for (const field of Object.values(type.getFields())) {
      const l = fieldLevel(schema, field);
      const reason = l === AccessLevel.PUBLIC ? null : reasonOf(type.name, field.name);
      const description = [field.description, reason ? `Protected: ${reason}` : null].filter(Boolean).join(' ');
      out.push(`| \`${field.name}\` | \`${String(field.type)}\` | ${isNonNullType(field.type) ? 'no' : 'yes'} | ${level(l)} | ${cell(description)} |`);
    }
    out.push('');
  }
  const connections = Object.values(schema.getTypeMap())
    .filter((t): t is GraphQLObjectType => isObjectType(t) && t.name.endsWith('Connection'))
    .map((t) => t.name)
    .sort();
  out.push(
    '### Relay connections',
    '',
    'Every list is a connection: `edges { cursor node }`, `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }` and ' +
      '`totalCount` (rows the viewer may see). The connections: ' +
      connections.map((c) => `\`${c}\``).join(', ') +
      '.',
    '',
  );
  return out;
}

function parameters(schema: GraphQLSchema, route: ExportRoute): string {
  return parameterNames(parameterSpec(schema, route))
    .map((p) => `\`${p}\``)
    .join(', ');
}

const TYPE_MEANING: Record<ExportColumn['type'], string> = {
  uuid: 'uuid',
  text: 'text',
  enum: 'enum (text)',
  date: 'date (YYYY-MM-DD)',
  timestamp: 'timestamp (ISO 8601, UTC)',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean (true/false)',
  list: `list (joined by "${LIST_SEPARATOR}")`,
};

function columnTable(columns: readonly ExportColumn[]): string[] {
  return [
    '| Column | Type | Level | From | Meaning |',
    '|---|---|---|---|---|',
    ...columns.map((c) => `| \`${c.name}\` | ${cell(TYPE_MEANING[c.type])} | ${level(levelOf(c))} | \`${c.entity.name}.${c.property}\` | ${cell(c.description)} |`),
  ];
}

function exportsSection(schema: GraphQLSchema): string[] {
  const out: string[] = [];
  const routes = Object.values(EXPORT_ROUTES) as ExportRoute[];
  for (const { file, columns, inLanguage } of [...CSV_EXPORTS, ...EXPORT_ONLY_CSV_EXPORTS]) {
    const route = routes.find((r) => r.file === file)!;
    out.push(`### ${file}`, '', `\`GET /exports/${file}\`, \`${route.contentType}\`. Parameters: ${parameters(schema, route)}.`, '', ...columnTable(columns), '');
    if (inLanguage) {
      out.push(
        'With `language` (the reader\'s languages, first preferred first: `language=ru,en`), these columns follow, at the same level as the record:',
        '',
        ...columnTable(inLanguage.columns),
        '',
      );
    }
  }
  const geo = EXPORT_ROUTES.incidentsGeoJson;
  out.push(
    `### ${geo.file}`,
    '',
    `\`GET /exports/${geo.file}\`, \`${geo.contentType}\`. Parameters: ${parameters(schema, geo)}.`,
    '',
    'An RFC 7946 FeatureCollection; one Feature per incident, its `id` the incident\'s id.',
    '',
    '| Member | Type | Level | From | Meaning |',
    '|---|---|---|---|---|',
    `| \`geometry\` | Point [longitude, latitude] | PUBLIC; ${level(INCIDENT_POSITION.map(levelOf).reduce((a, b) => (a === AccessLevel.PUBLIC ? b : a)))} for the exact position | ${INCIDENT_POSITION.map((c) => `\`${c.entity.name}.${c.property}\``).join(', ')}, \`Region.point\` | The exact position, for viewers who may read both coordinates and when both are known; otherwise the representative point of the incident's region (\`Region.point\` in GraphQL: the region's own, or its nearest enclosing region's). The \`geo_precision\` property says which: \`exact\` (exact coordinates, location_precision EXACT), \`locality\` (coordinates of a town or vicinity: VICINITY or LOCALITY), \`subdivision\` or \`country\` (a representative point, or coordinates given at REGION precision). |`,
    `| \`properties\` | object | PUBLIC | incidents.csv | The public columns of incidents.csv, same names and meaning, as JSON values (numbers, booleans, null): ${GEOJSON_PROPERTIES.map((c) => `\`${c.name}\``).join(', ')}. |`,
    '',
  );
  const timeline = EXPORT_ROUTES.timelineJson;
  out.push(
    `### ${timeline.file}`,
    '',
    `\`GET /exports/${timeline.file}\`, \`${timeline.contentType}\`. Parameters: ${parameters(schema, timeline)}.`,
    '',
    'Knight Lab TimelineJS3 JSON. Every text is HTML-escaped (TimelineJS renders HTML). No protected field is written.',
    '',
    '| Member | Type | Level | From | Meaning |',
    '|---|---|---|---|---|',
    '| `title` | object | PUBLIC | the `title` parameter | The title slide: `{ text: { headline, text } }`; only when `title` is given. |',
    '| `events[].start_date` | object | PUBLIC | `date` | `{ year, month?, day?, display_date }`: a MONTH-precision date has no day, a YEAR-precision date only the year. `display_date` says the date in words at its precision, approximate, uncertain or open-ended (\"April 2017\", \"About December 2018\"). |',
    '| `events[].end_date` | object | PUBLIC | `date` | The last period of an interval, at the same precision; absent for a single date and for an open end. |',
    '| `events[].text.headline` | HTML | PUBLIC | `Incident.headline`, `AdvocacyResponse.title` | The headline or title; with `language`, in the first of those languages the record has (`translations`). |',
    '| `events[].text.text` | HTML | PUBLIC | `description`, `kind`, `Region.name`, `date.asReported`, `Source.publisher`, `Source.title`, `Source.url` | The description; the kind, the region and the source\'s words for the date when they add to the display date; then with `language`, a line saying the text is a translation, from which language and by whom; then the line naming every source the record\'s citations you may see cite (publisher, title, linked as text when it has an http(s) URL). |',
    `| \`events[].group\` | text | PUBLIC | the record's type | ${Object.values(GROUPS).map((g) => `"${g}"`).join(' or ')}. |`,
    '| `events[].unique_id` | text | PUBLIC | `id` | `incident-<id>` or `response-<id>`. |',
    '',
  );
  return out;
}

/** The data dictionary, from the built schema and the export definitions. */
export async function buildDataDictionary(): Promise<string> {
  const app = await createApp({ databaseUrl: null, logLevel: 'silent', queryCache: false });
  try {
    const { schema } = app.get(GraphQLSchemaHost);
    return [
      '# Data dictionary',
      '',
      'Generated from the code by `npm run docs:generate` (`src/scripts/generate-data-dictionary.ts`); a test fails when it is',
      'stale, so do not edit it by hand.',
      '',
      'Levels: PUBLIC fields and columns are for everyone; **RESTRICTED** ones for researchers and up; **CONFIDENTIAL** ones for',
      'editors and admins. A field above your level answers null with a FORBIDDEN error in GraphQL, and a column above it is left',
      'out of an export\'s header. Records have a level of their own (`confidentiality`): a record above yours is absent',
      'everywhere. See [access.md](access.md) for the model and [exports.md](exports.md) for how to use the exports. Operations',
      '(queries and mutations) and their required roles are in `schema.gql`.',
      '',
      '## GraphQL object types',
      '',
      ...objectTypes(schema),
      '## Exports',
      '',
      'Columns come in the order shown; a column you may not read is left out and the others keep their order. "From" names the',
      'field whose declaration sets the column\'s level.',
      '',
      ...exportsSection(schema),
    ].join('\n') + '\n';
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  buildDataDictionary()
    .then((text) => {
      writeFileSync(DATA_DICTIONARY, text);
      console.log(`Wrote ${DATA_DICTIONARY}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
