import { EditingService, writeContext } from '../editing/editing.service';
import { CreateAdvocacyResponseInput, ResponseLinksInput, UpdateAdvocacyResponseInput } from './dto/response.inputs';
import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Args, Context, Parent, ID, Mutation, Int, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Reads } from '../common/record-columns';
import { Connection, PageArgs } from '../common/connection';
import { DatedOrder } from '../common/filters';
import { UuidPipe } from '../common/validation.pipe';
import { NoArgs, VigilContext } from '../common/vigil-context';
import { Incident } from '../incidents/incident.entity';
import { Organization } from '../organizations/organization.entity';
import { Region } from '../regions/region.entity';
import { Situation } from '../situations/situation.entity';
import { Citation } from '../sources/citation.entity';
import { independentSourceCount } from '../sources/provenance';
import { AdvocacyResponse, RESPONSE_TEXT } from './advocacy-response.entity';
import { ResponseFilter } from './dto/response-filter.input';
import { ResponseIncident, ResponseOrganizer, ResponseSituation } from './response-links.entity';
import { ResponsesService } from './responses.service';

const AdvocacyResponseConnection = Connection(AdvocacyResponse, 'AdvocacyResponse');

@Resolver(() => AdvocacyResponse)
export class ResponsesResolver {
  constructor(
    private readonly service: ResponsesService,
    private readonly editing: EditingService,
  ) {}

  @Mutation(() => AdvocacyResponse, { description: 'Creates a response with what it answers, its organizers and citations, all or nothing.' })
  @RequiresRole(Role.EDITOR)
  createAdvocacyResponse(@Args('input') input: CreateAdvocacyResponseInput, @Context() ctx: VigilContext) {
    return this.service.create(input, writeContext(ctx, 'createAdvocacyResponse', input.reason));
  }

  @Mutation(() => AdvocacyResponse, { description: 'Changes a response, based on the version you read (CONFLICT when it changed since).' })
  @RequiresRole(Role.EDITOR)
  updateAdvocacyResponse(@Args('input') input: UpdateAdvocacyResponseInput, @Context() ctx: VigilContext) {
    return this.editing.updateRecord(AdvocacyResponse, input, writeContext(ctx, 'updateAdvocacyResponse'));
  }

  @Mutation(() => AdvocacyResponse, { description: 'Links a response to incidents and situations it answers, and to organizers. Existing links are kept.' })
  @RequiresRole(Role.EDITOR)
  linkResponse(@Args('input') input: ResponseLinksInput, @Context() ctx: VigilContext) {
    return this.service.link(input, writeContext(ctx, 'linkResponse', input.reason));
  }

  @Mutation(() => AdvocacyResponse, { description: 'Removes links of a response (soft: restorable with restoreRecord, in the history).' })
  @RequiresRole(Role.EDITOR)
  unlinkResponse(@Args('input') input: ResponseLinksInput, @Context() ctx: VigilContext) {
    return this.service.unlink(input, writeContext(ctx, 'unlinkResponse', input.reason));
  }


  @Query(() => AdvocacyResponse, { nullable: true })
  @RequiresRole(Role.PUBLIC)
  advocacyResponse(@Args('id', { type: () => ID }, UuidPipe) id: string, @Context() ctx: VigilContext) {
    return ctx.loaders.one(AdvocacyResponse, id);
  }

  @Query(() => AdvocacyResponseConnection, { description: 'Advocacy responses, newest first.' })
  @RequiresRole(Role.PUBLIC)
  advocacyResponses(
    @Args('filter', { type: () => ResponseFilter, nullable: true }) filter: ResponseFilter,
    @Args('orderBy', { type: () => DatedOrder, defaultValue: DatedOrder.DATE_DESC }) orderBy: DatedOrder,
    @Args() page: PageArgs,
    @Context() ctx: VigilContext,
  ) {
    return this.service.list(filter, orderBy, page, ctx.viewer);
  }

  @ResolveField(() => RESPONSE_TEXT.InLanguage, {
    description: 'The text in the first of your languages it has (a translation, marked as one), else the original.',
  })
  @Reads(() => AdvocacyResponse, [...(RESPONSE_TEXT.fields as (keyof AdvocacyResponse & string)[]), 'translations', 'language'])
  inLanguage(@Parent() response: AdvocacyResponse, @Args('preferred', { type: () => [String], description: 'BCP 47 tags, most preferred first (ru, fr, pt-BR).' }) preferred: string[]) {
    return RESPONSE_TEXT.resolve(response, preferred);
  }

  @ResolveField(() => Region, { nullable: true })
  @Reads(() => AdvocacyResponse, ['regionCode'])
  region(response: AdvocacyResponse, _args: NoArgs, ctx: VigilContext) {
    return response.regionCode ? ctx.loaders.one(Region, response.regionCode) : null;
  }

  @ResolveField(() => [ResponseOrganizer], { description: 'Organizations and their part: organizer, partner, beneficiary.' })
  @Reads(() => AdvocacyResponse, ['id'])
  organizers(response: AdvocacyResponse, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.many(ResponseOrganizer, 'responseId', response.id);
  }

  @ResolveField(() => [Incident], { description: 'Incidents this response answers.' })
  @Reads(() => AdvocacyResponse, ['id'])
  incidents(response: AdvocacyResponse, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.through(ResponseIncident, 'responseId', 'incidentId', Incident, response.id);
  }

  @ResolveField(() => [Situation], { description: 'Situations (patterns of abuse) this response answers.' })
  @Reads(() => AdvocacyResponse, ['id'])
  situations(response: AdvocacyResponse, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.through(ResponseSituation, 'responseId', 'situationId', Situation, response.id);
  }

  @ResolveField(() => [Citation])
  @Reads(() => AdvocacyResponse, ['id'])
  citations(response: AdvocacyResponse, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.many(Citation, 'responseId', response.id, { with: 'source' });
  }

  @ResolveField(() => Int, { description: 'Distinct publishers among the cited sources.' })
  @Reads(() => AdvocacyResponse, ['id'])
  async independentSourceCount(response: AdvocacyResponse, _args: NoArgs, ctx: VigilContext) {
    return independentSourceCount(await ctx.loaders.many(Citation, 'responseId', response.id, { with: 'source' }), ctx.loaders);
  }
}

@Resolver(() => ResponseOrganizer)
export class ResponseOrganizersResolver {
  @ResolveField(() => Organization, { nullable: true })
  organization(link: ResponseOrganizer, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.one(Organization, link.organizationId);
  }

  @ResolveField(() => AdvocacyResponse, { nullable: true })
  response(link: ResponseOrganizer, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.one(AdvocacyResponse, link.responseId);
  }
}
