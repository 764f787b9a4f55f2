import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { plainToInstance } from 'class-transformer';
import { GraphQLSchema } from 'graphql';
import { Readable } from 'node:stream';
import { assertMayFilter, assertMaySort, ProtectedUse } from '../access/field-access';
import { Viewer } from '../access/viewer';
import { viewerOf } from '../accounts/authentication.hook';
import { UserInputError } from '../common/errors';
import { DatedOrder } from '../common/filters';
import { checkedPreferred } from '../common/translations';
import { validateInput } from '../common/validation.pipe';
import { IncidentFilter, IncidentOrder } from '../incidents/dto/incident-filter.input';
import { OrganizationFilter } from '../organizations/dto/organization-filter.input';
import { ResponseFilter } from '../responses/dto/response-filter.input';
import { SituationFilter } from '../situations/dto/situation-filter.input';
import { SourceFilter } from '../sources/dto/source-filter.input';
import { TimelineEntryKind, TimelineOrder } from '../timeline/dto/timeline';
import { ExportErrorFilter } from './export-errors';
import { ExportContext, ExportsService } from './exports.service';
import { QueryString, readParameters } from './query-parameters';
import { EXPORT_ROUTES, ExportRoute, parameterSpec } from './routes';

/** The longest title a timeline.json may be given. */
const MAX_TITLE = 200;

interface Read<F> {
  filter: F;
  options: Record<string, unknown>;
  /** The protected filters and sorts it uses, for the audit log. */
  probes: ProtectedUse[];
}

/**
 * The export routes. Each takes the same filter as its GraphQL list, as query parameters typed by
 * the list's GraphQL input type and validated by the same class; protected filters and sorts are
 * refused by the same declarations. The viewer is the request's, authenticated by the onRequest
 * hook (a bad token never gets here). docs/exports.md describes each route.
 */
@Controller('exports')
@UseFilters(ExportErrorFilter)
export class ExportsController {
  constructor(
    private readonly exports: ExportsService,
    private readonly modules: ModuleRef,
  ) {}

  /** The built GraphQL schema (GraphQLModule does not export its host to other modules). */
  private get schema(): GraphQLSchema {
    return this.modules.get(GraphQLSchemaHost, { strict: false }).schema;
  }

  /** Reads, checks and validates the query string: unknown or mistyped parameters are 400, a
   * protected filter or sort the viewer may not use is 403, before any SQL runs. */
  private read<F extends object>(request: FastifyRequest, viewer: Viewer, filterClass: new () => F, route: ExportRoute): Read<F> {
    const spec = parameterSpec(this.schema, route);
    const parsed = readParameters((request.query ?? {}) as QueryString, spec);
    // Refused before validation, as GraphQL refuses the argument before its pipe validates it.
    const probes = assertMayFilter(viewer, plainToInstance(filterClass, parsed.filter), 'filter');
    const orderBy = parsed.options.orderBy;
    if (typeof orderBy === 'string' && 'orderBy' in route.options) probes.push(...assertMaySort(viewer, this.schema, route.options.orderBy, orderBy, 'orderBy'));
    const title = parsed.options.title;
    if (typeof title === 'string' && (title.length < 1 || title.length > MAX_TITLE)) throw UserInputError.of('title', `must be 1 to ${MAX_TITLE} characters`);
    const language = parsed.options.language;
    if (language !== undefined) checkedPreferred(language as string[], 'language');
    return { filter: validateInput(filterClass, parsed.filter, ''), options: parsed.options, probes };
  }

  private context(request: FastifyRequest, reply: FastifyReply, viewer: Viewer, probes: ProtectedUse[]): ExportContext {
    const gone = new AbortController();
    // 'close' before the response has finished: the connection went away.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) gone.abort();
    });
    return {
      viewer,
      operation: `GET ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      requestId: request.id ?? null,
      signal: gone.signal,
      caller: viewer.accountId ? `account:${viewer.accountId}` : `address:${request.ip}`,
      probes,
    };
  }

  /** Sends what `produce` streams; for HEAD (which Fastify routes to every GET), the same checks
   * and headers without running the export. */
  private async respond(request: FastifyRequest, reply: FastifyReply, viewer: Viewer, route: ExportRoute, probes: ProtectedUse[], produce: (ctx: ExportContext) => Promise<Readable>): Promise<void> {
    if (request.method === 'HEAD') {
      this.send(reply, Readable.from([]), route);
      return;
    }
    this.send(reply, await produce(this.context(request, reply, viewer, probes)), route);
  }

  private send(reply: FastifyReply, body: Readable, route: ExportRoute): void {
    void reply
      .code(200)
      .header('content-type', route.contentType)
      .header('content-disposition', `attachment; filename="${route.file}"`)
      // Exports carry what the viewer may read; no shared cache may keep them.
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  }

  @Get('incidents.csv')
  async incidentsCsv(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const viewer = viewerOf(request);
    const { filter, options, probes } = this.read(request, viewer, IncidentFilter, EXPORT_ROUTES.incidentsCsv);
    await this.respond(request, reply, viewer, EXPORT_ROUTES.incidentsCsv, probes, (ctx) => this.exports.incidentsCsv(filter, (options.orderBy as IncidentOrder) ?? IncidentOrder.DATE_DESC, ctx, options.bom === true, options.language as string[] | undefined));
  }

  @Get('responses.csv')
  async responsesCsv(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const viewer = viewerOf(request);
    const { filter, options, probes } = this.read(request, viewer, ResponseFilter, EXPORT_ROUTES.responsesCsv);
    await this.respond(request, reply, viewer, EXPORT_ROUTES.responsesCsv, probes, (ctx) => this.exports.responsesCsv(filter, (options.orderBy as DatedOrder) ?? DatedOrder.DATE_DESC, ctx, options.bom === true, options.language as string[] | undefined));
  }

  @Get('sources.csv')
  async sourcesCsv(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const viewer = viewerOf(request);
    const { filter, options, probes } = this.read(request, viewer, SourceFilter, EXPORT_ROUTES.sourcesCsv);
    await this.respond(request, reply, viewer, EXPORT_ROUTES.sourcesCsv, probes, (ctx) => this.exports.sourcesCsv(filter, (options.orderBy as DatedOrder) ?? DatedOrder.DATE_DESC, ctx, options.bom === true));
  }

  @Get('citations.csv')
  async citationsCsv(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const viewer = viewerOf(request);
    const { filter, options, probes } = this.read(request, viewer, SourceFilter, EXPORT_ROUTES.citationsCsv);
    await this.respond(request, reply, viewer, EXPORT_ROUTES.citationsCsv, probes, (ctx) => this.exports.citationsCsv(filter, ctx, options.bom === true, options.language as string[] | undefined));
  }

  @Get('acled.csv')
  async acledCsv(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const viewer = viewerOf(request);
    const { filter, options, probes } = this.read(request, viewer, IncidentFilter, EXPORT_ROUTES.acledCsv);
    await this.respond(request, reply, viewer, EXPORT_ROUTES.acledCsv, probes, (ctx) => this.exports.acledCsv(filter, (options.orderBy as IncidentOrder) ?? IncidentOrder.DATE_DESC, ctx, options.bom === true));
  }

  @Get('situations.csv')
  async situationsCsv(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const viewer = viewerOf(request);
    const { filter, options, probes } = this.read(request, viewer, SituationFilter, EXPORT_ROUTES.situationsCsv);
    await this.respond(request, reply, viewer, EXPORT_ROUTES.situationsCsv, probes, (ctx) => this.exports.situationsCsv(filter, (options.orderBy as DatedOrder) ?? DatedOrder.DATE_DESC, ctx, options.bom === true, options.language as string[] | undefined));
  }

  @Get('organizations.csv')
  async organizationsCsv(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const viewer = viewerOf(request);
    const { filter, options, probes } = this.read(request, viewer, OrganizationFilter, EXPORT_ROUTES.organizationsCsv);
    await this.respond(request, reply, viewer, EXPORT_ROUTES.organizationsCsv, probes, (ctx) => this.exports.organizationsCsv(filter, ctx, options.bom === true));
  }

  @Get('incidents.geojson')
  async incidentsGeoJson(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const viewer = viewerOf(request);
    const { filter, options, probes } = this.read(request, viewer, IncidentFilter, EXPORT_ROUTES.incidentsGeoJson);
    await this.respond(request, reply, viewer, EXPORT_ROUTES.incidentsGeoJson, probes, (ctx) => this.exports.incidentsGeoJson(filter, (options.orderBy as IncidentOrder) ?? IncidentOrder.DATE_DESC, ctx, options.language as string[] | undefined));
  }

  @Get('timeline.json')
  async timelineJson(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const viewer = viewerOf(request);
    const { filter, options, probes } = this.read(request, viewer, IncidentFilter, EXPORT_ROUTES.timelineJson);
    const orderBy = (options.orderBy as TimelineOrder) ?? TimelineOrder.DATE_ASC;
    const entryKinds = options.entryKinds as TimelineEntryKind[] | undefined;
    await this.respond(request, reply, viewer, EXPORT_ROUTES.timelineJson, probes, (ctx) =>
      this.exports.timelineJson(filter, entryKinds, orderBy, options.title as string | undefined, ctx, options.responsesToIncidents !== false, options.language as string[] | undefined),
    );
  }
}
