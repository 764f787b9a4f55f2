import { GraphQLInputType, GraphQLList, GraphQLSchema, isEnumType, isInputObjectType, isScalarType } from 'graphql';
import { ParameterSpec } from './query-parameters';

/** One export route: its file name, the GraphQL input type of its filter (the list's own), and
 * its other parameters by GraphQL type name (`[Name]` for a list). Read by the controller and the
 * data dictionary. */
export interface ExportRoute {
  file: string;
  contentType: string;
  filter: string;
  options: Readonly<Record<string, string>>;
}

const CSV = 'text/csv; charset=utf-8';

export const EXPORT_ROUTES = {
  incidentsCsv: { file: 'incidents.csv', contentType: CSV, filter: 'IncidentFilter', options: { orderBy: 'IncidentOrder', bom: 'Boolean', language: '[String]' } },
  responsesCsv: { file: 'responses.csv', contentType: CSV, filter: 'ResponseFilter', options: { orderBy: 'DatedOrder', bom: 'Boolean', language: '[String]' } },
  sourcesCsv: { file: 'sources.csv', contentType: CSV, filter: 'SourceFilter', options: { orderBy: 'DatedOrder', bom: 'Boolean' } },
  citationsCsv: { file: 'citations.csv', contentType: CSV, filter: 'SourceFilter', options: { bom: 'Boolean', language: '[String]' } },
  situationsCsv: { file: 'situations.csv', contentType: CSV, filter: 'SituationFilter', options: { orderBy: 'DatedOrder', bom: 'Boolean', language: '[String]' } },
  organizationsCsv: { file: 'organizations.csv', contentType: CSV, filter: 'OrganizationFilter', options: { bom: 'Boolean' } },
  acledCsv: { file: 'acled.csv', contentType: CSV, filter: 'IncidentFilter', options: { orderBy: 'IncidentOrder', bom: 'Boolean' } },
  incidentsGeoJson: { file: 'incidents.geojson', contentType: 'application/geo+json', filter: 'IncidentFilter', options: { orderBy: 'IncidentOrder', language: '[String]' } },
  timelineJson: {
    file: 'timeline.json',
    contentType: 'application/json; charset=utf-8',
    filter: 'IncidentFilter',
    options: { entryKinds: '[TimelineEntryKind]', orderBy: 'TimelineOrder', title: 'String', responsesToIncidents: 'Boolean', language: '[String]' },
  },
} as const satisfies Record<string, ExportRoute>;

/** The parameters of `route`, typed by the built GraphQL schema. */
export function parameterSpec(schema: GraphQLSchema, route: ExportRoute): ParameterSpec {
  const filter = schema.getType(route.filter);
  if (!isInputObjectType(filter)) throw new Error(`${route.filter} is not an input type of the schema`);
  const options: Record<string, GraphQLInputType> = {};
  for (const [name, written] of Object.entries(route.options)) {
    const list = /^\[(\w+)\]$/.exec(written);
    const typeName = list ? list[1] : written;
    const type = schema.getType(typeName);
    if (!isEnumType(type) && !isScalarType(type)) throw new Error(`${typeName} is not an enum or scalar of the schema`);
    options[name] = list ? new GraphQLList(type) : type;
  }
  return { filter, options };
}
