import { EditingService, writeContext } from '../editing/editing.service';
import { CreateCitationInput, CreateSourceInput, UpdateCitationInput, UpdateSourceInput } from './dto/source.inputs';
import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Args, Context, Parent, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { Reads, Selection } from '../common/record-columns';
import { Connection, PageArgs } from '../common/connection';
import { DatedOrder } from '../common/filters';
import { UuidPipe } from '../common/validation.pipe';
import { NoArgs, VigilContext } from '../common/vigil-context';
import { Incident } from '../incidents/incident.entity';
import { Organization } from '../organizations/organization.entity';
import { AdvocacyResponse } from '../responses/advocacy-response.entity';
import { Situation } from '../situations/situation.entity';
import { Citation, CITATION_TEXT } from './citation.entity';
import { SourceFilter } from './dto/source-filter.input';
import { Source } from './source.entity';
import { SourcesService } from './sources.service';

const SourceConnection = Connection(Source, 'Source');

@Resolver(() => Source)
export class SourcesResolver {
  constructor(
    private readonly service: SourcesService,
    private readonly editing: EditingService,
  ) {}

  @Mutation(() => Source, { description: 'Creates a source.' })
  @RequiresRole(Role.EDITOR)
  createSource(@Args('input') input: CreateSourceInput, @Context() ctx: VigilContext) {
    return this.editing.createRecord(Source, input, writeContext(ctx, 'createSource'));
  }

  @Mutation(() => Source, { description: 'Changes a source, based on the version you read (CONFLICT when it changed since).' })
  @RequiresRole(Role.EDITOR)
  updateSource(@Args('input') input: UpdateSourceInput, @Context() ctx: VigilContext) {
    return this.editing.updateRecord(Source, input, writeContext(ctx, 'updateSource'));
  }

  @Mutation(() => Citation, { description: 'Creates a citation (what it cites is fixed).' })
  @RequiresRole(Role.EDITOR)
  createCitation(@Args('input') input: CreateCitationInput, @Context() ctx: VigilContext) {
    return this.editing.createRecord(Citation, input, writeContext(ctx, 'createCitation'));
  }

  @Mutation(() => Citation, { description: 'Changes a citation (what it cites is fixed), based on the version you read (CONFLICT when it changed since).' })
  @RequiresRole(Role.EDITOR)
  updateCitation(@Args('input') input: UpdateCitationInput, @Context() ctx: VigilContext) {
    return this.editing.updateRecord(Citation, input, writeContext(ctx, 'updateCitation'));
  }


  @Query(() => Source, { nullable: true })
  @RequiresRole(Role.PUBLIC)
  source(@Args('id', { type: () => ID }, UuidPipe) id: string, @Context() ctx: VigilContext) {
    return ctx.loaders.one(Source, id);
  }

  @Query(() => SourceConnection, { description: 'Sources, most recently published first.' })
  @RequiresRole(Role.PUBLIC)
  sources(
    @Args('filter', { type: () => SourceFilter, nullable: true }) filter: SourceFilter,
    @Args('orderBy', { type: () => DatedOrder, defaultValue: DatedOrder.DATE_DESC }) orderBy: DatedOrder,
    @Args() page: PageArgs,
    @Context() ctx: VigilContext,
  ) {
    return this.service.list(filter, orderBy, page, ctx.viewer);
  }

  @ResolveField(() => String, { nullable: true, description: 'The publisher organization\'s id; null when unknown or you may not see it.' })
  @Reads(() => Source, ['publisherOrganizationId'])
  publisherOrganizationId(source: Source, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.visibleKey(Organization, source.publisherOrganizationId);
  }

  @ResolveField(() => Organization, { nullable: true })
  @Reads(() => Source, ['publisherOrganizationId'])
  publisherOrganization(source: Source, _args: NoArgs, ctx: VigilContext) {
    return source.publisherOrganizationId ? ctx.loaders.one(Organization, source.publisherOrganizationId) : null;
  }

  @ResolveField(() => [Citation], { description: 'Every claim this source is cited for.' })
  @Reads(() => Source, ['id'])
  citations(source: Source, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.many(Citation, 'sourceId', source.id);
  }
}

@Resolver(() => Citation)
export class CitationsResolver {
  @Query(() => Citation, { nullable: true })
  @RequiresRole(Role.PUBLIC)
  citation(@Args('id', { type: () => ID }, UuidPipe) id: string, @Context() ctx: VigilContext) {
    return ctx.loaders.one(Citation, id);
  }

  @ResolveField(() => CITATION_TEXT.InLanguage, {
    description: 'The text in the first of your languages it has (a translation, marked as one), else the original.',
  })
  @Reads(() => Citation, [...(CITATION_TEXT.fields as (keyof Citation & string)[]), 'translations', 'language'])
  inLanguage(@Parent() citation: Citation, @Args('preferred', { type: () => [String], description: 'BCP 47 tags, most preferred first (ru, fr, pt-BR).' }) preferred: string[]) {
    return CITATION_TEXT.resolve(citation, preferred);
  }

  @ResolveField(() => Source, { nullable: true, description: 'Null when the source is above the viewer\'s level.' })
  @Reads(() => Citation, ['sourceId'])
  source(citation: Citation, _args: NoArgs, ctx: VigilContext, info: GraphQLResolveInfo) {
    // With the columns the incident's citations read their sources with (served from that read).
    return ctx.loaders.one(Source, citation.sourceId, ctx.loaders.columnsFor(Source, Selection.of(info)));
  }

  @ResolveField(() => Incident, { nullable: true })
  @Reads(() => Citation, ['incidentId'])
  incident(citation: Citation, _args: NoArgs, ctx: VigilContext) {
    return citation.incidentId ? ctx.loaders.one(Incident, citation.incidentId) : null;
  }

  @ResolveField(() => Situation, { nullable: true })
  @Reads(() => Citation, ['situationId'])
  situation(citation: Citation, _args: NoArgs, ctx: VigilContext) {
    return citation.situationId ? ctx.loaders.one(Situation, citation.situationId) : null;
  }

  @ResolveField(() => AdvocacyResponse, { nullable: true })
  @Reads(() => Citation, ['responseId'])
  response(citation: Citation, _args: NoArgs, ctx: VigilContext) {
    return citation.responseId ? ctx.loaders.one(AdvocacyResponse, citation.responseId) : null;
  }
}
