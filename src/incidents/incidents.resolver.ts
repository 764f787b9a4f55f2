import { EditingService, writeContext } from '../editing/editing.service';
import { CreateIncidentInput, UpdateIncidentInput } from './dto/incident.inputs';
import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Args, Context, Parent, ID, Info, Mutation, Int, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { Reads, Selection } from '../common/record-columns';
import { Connection, PageArgs } from '../common/connection';
import { UuidPipe } from '../common/validation.pipe';
import { NoArgs, VigilContext } from '../common/vigil-context';
import { Involvement } from '../people/involvement.entity';
import { Region } from '../regions/region.entity';
import { AdvocacyResponse } from '../responses/advocacy-response.entity';
import { ResponseIncident } from '../responses/response-links.entity';
import { Situation } from '../situations/situation.entity';
import { Citation } from '../sources/citation.entity';
import { Source } from '../sources/source.entity';
import { independentSourceCount } from '../sources/provenance';
import { IncidentFilter, IncidentOrder } from './dto/incident-filter.input';
import { IncidentBucket, IncidentDimension } from './dto/incident-stats';
import { Incident, INCIDENT_TEXT } from './incident.entity';
import { IncidentsService } from './incidents.service';
import { MatchedPassage } from '../common/passage';

const IncidentConnection = Connection(Incident, 'Incident');

@Resolver(() => Incident)
export class IncidentsResolver {
  constructor(
    private readonly service: IncidentsService,
    private readonly editing: EditingService,
  ) {}

  @Mutation(() => Incident, { description: 'Creates an incident with its citations, people and responses, all or nothing.' })
  @RequiresRole(Role.EDITOR)
  createIncident(@Args('input') input: CreateIncidentInput, @Context() ctx: VigilContext) {
    return this.service.create(input, writeContext(ctx, 'createIncident', input.reason));
  }

  @Mutation(() => Incident, { description: 'Changes an incident, based on the version you read (CONFLICT when it changed since).' })
  @RequiresRole(Role.EDITOR)
  updateIncident(@Args('input') input: UpdateIncidentInput, @Context() ctx: VigilContext) {
    return this.editing.updateRecord(Incident, input, writeContext(ctx, 'updateIncident'));
  }


  @Query(() => Incident, { nullable: true })
  @RequiresRole(Role.PUBLIC)
  incident(@Args('id', { type: () => ID }, UuidPipe) id: string, @Context() ctx: VigilContext) {
    return ctx.loaders.one(Incident, id);
  }

  @Query(() => IncidentConnection, { description: 'Incidents, newest first.' })
  @RequiresRole(Role.PUBLIC)
  incidents(
    @Args('filter', { type: () => IncidentFilter, nullable: true }) filter: IncidentFilter,
    @Args('orderBy', { type: () => IncidentOrder, defaultValue: IncidentOrder.DATE_DESC }) orderBy: IncidentOrder,
    @Args() page: PageArgs,
    @Context() ctx: VigilContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const nodes = Selection.of(info).path('edges', 'node');
    return this.service.list(filter, orderBy, page, ctx.viewer, nodes).then((connection) => this.lookAhead(connection.edges, nodes, ctx).then(() => connection));
  }

  /** Starts the reads of the page's citations and responses, when the query asks for them, as soon
   * as the page's incidents are known: their statements then run while GraphQL walks the page,
   * instead of after it (DataLoader sends a batch once the walk has queued every item's load). The
   * same loads the field resolvers make (citationsOf, responsesOf: same loaders, same batch), so
   * they read nothing the resolvers would not, and each incident's records are served by those
   * resolvers, through the access enforcement, from the request's loaders. A failed read fails
   * there, where the same load is awaited. */
  private async lookAhead(edges: { node: Incident }[], nodes: Selection, ctx: VigilContext): Promise<void> {
    const names = nodes.names();
    const citations = names.includes('citations') ? nodes.field('citations') : null;
    const responses = names.includes('responses') ? nodes.field('responses') : null;
    if (!edges.length || (!citations && !responses)) return;
    const ignore = () => undefined;
    for (const { node } of edges) {
      if (citations) this.citationsOf(node.id, ctx, citations).catch(ignore);
      if (responses) this.responsesOf(node.id, ctx, responses).catch(ignore);
    }
    // A turn of the event loop: DataLoader dispatches the batches (on the next tick) and `pg`
    // writes their statements before GraphQL goes on.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** An incident's citations with their sources, as a selection of citations asks for them. */
  private citationsOf(id: string, ctx: VigilContext, selection: Selection) {
    return ctx.loaders.many(Citation, 'incidentId', id, {
      with: 'source',
      columns: ctx.loaders.columnsFor(Citation, selection),
      withColumns: ctx.loaders.columnsFor(Source, selection.field('source')),
    });
  }

  /** The responses that answer an incident, as a selection of responses asks for them. */
  private responsesOf(id: string, ctx: VigilContext, selection: Selection) {
    return ctx.loaders.through(ResponseIncident, 'incidentId', 'responseId', AdvocacyResponse, id, ctx.loaders.columnsFor(AdvocacyResponse, selection));
  }

  @Query(() => [IncidentBucket], {
    description:
      'Incidents matching the filter (the same filter as `incidents`), grouped: counts, victims and deaths summed as ranges, ' +
      'and responses. Without groupBy, one bucket with the totals. At most 10,000 groups.',
  })
  @RequiresRole(Role.PUBLIC)
  incidentStats(
    @Args('filter', { type: () => IncidentFilter, nullable: true }) filter: IncidentFilter,
    @Args('groupBy', { type: () => [IncidentDimension], defaultValue: [] }) groupBy: IncidentDimension[],
    @Context() ctx: VigilContext,
  ) {
    return this.service.stats(filter, groupBy, ctx.viewer);
  }

  @ResolveField(() => MatchedPassage, {
    nullable: true,
    description:
      'Where `search` matched this incident, in text you may read: its own, a translation or a visible citation (null when none matches). ' +
      'Ask it with the search of filter.search.',
  })
  @Reads(() => Incident, ['id'])
  matchedPassage(@Parent() incident: Incident, @Args('search') search: string, @Context() ctx: VigilContext) {
    return this.service.passage(incident.id, search, ctx);
  }

  @ResolveField(() => INCIDENT_TEXT.InLanguage, {
    description: 'The text in the first of your languages it has (a translation, marked as one), else the original.',
  })
  @Reads(() => Incident, [...(INCIDENT_TEXT.fields as (keyof Incident & string)[]), 'translations', 'language'])
  inLanguage(@Parent() incident: Incident, @Args('preferred', { type: () => [String], description: 'BCP 47 tags, most preferred first (ru, fr, pt-BR).' }) preferred: string[]) {
    return INCIDENT_TEXT.resolve(incident, preferred);
  }

  @ResolveField(() => Region)
  @Reads(() => Incident, ['regionCode'])
  region(incident: Incident, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.one(Region, incident.regionCode);
  }

  @ResolveField(() => String, { nullable: true, description: 'The situation\'s id; null when there is none or you may not see it.' })
  @Reads(() => Incident, ['situationId'])
  situationId(incident: Incident, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.visibleKey(Situation, incident.situationId);
  }

  @ResolveField(() => Situation, { nullable: true })
  @Reads(() => Incident, ['situationId'])
  situation(incident: Incident, _args: NoArgs, ctx: VigilContext) {
    return incident.situationId ? ctx.loaders.one(Situation, incident.situationId) : null;
  }

  @ResolveField(() => [Citation], { description: 'The sources and excerpts this incident rests on.' })
  @Reads(() => Incident, ['id'])
  citations(incident: Incident, _args: NoArgs, ctx: VigilContext, info: GraphQLResolveInfo) {
    return this.citationsOf(incident.id, ctx, Selection.of(info));
  }

  @ResolveField(() => Int, { description: 'Distinct publishers among the cited sources.' })
  @Reads(() => Incident, ['id'])
  async independentSourceCount(incident: Incident, _args: NoArgs, ctx: VigilContext) {
    return independentSourceCount(await ctx.loaders.many(Citation, 'incidentId', incident.id, { with: 'source' }), ctx.loaders);
  }

  @ResolveField(() => [Involvement], { description: 'People involved, with their role.' })
  @Reads(() => Incident, ['id'])
  involvements(incident: Incident, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.many(Involvement, 'incidentId', incident.id);
  }

  @ResolveField(() => [AdvocacyResponse], { description: 'Advocacy responses that answer this incident.' })
  @Reads(() => Incident, ['id'])
  responses(incident: Incident, _args: NoArgs, ctx: VigilContext, info: GraphQLResolveInfo) {
    return this.responsesOf(incident.id, ctx, Selection.of(info));
  }
}

@Resolver(() => IncidentBucket)
export class IncidentBucketResolver {
  @ResolveField(() => Region, { nullable: true, description: 'The country, when grouped by COUNTRY.' })
  country(bucket: IncidentBucket, _args: NoArgs, ctx: VigilContext) {
    return bucket.countryCode ? ctx.loaders.one(Region, bucket.countryCode) : null;
  }

  @ResolveField(() => Region, { nullable: true, description: 'The region, when grouped by REGION.' })
  region(bucket: IncidentBucket, _args: NoArgs, ctx: VigilContext) {
    return bucket.regionCode ? ctx.loaders.one(Region, bucket.regionCode) : null;
  }
}
