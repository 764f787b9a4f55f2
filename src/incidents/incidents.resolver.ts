import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, PageArgs } from '../common/connection';
import { UuidPipe } from '../common/validation.pipe';
import { VigilContext } from '../common/vigil-context';
import { Involvement } from '../people/involvement.entity';
import { Region } from '../regions/region.entity';
import { AdvocacyResponse } from '../responses/advocacy-response.entity';
import { ResponseIncident } from '../responses/response-links.entity';
import { Situation } from '../situations/situation.entity';
import { Citation } from '../sources/citation.entity';
import { independentSourceCount } from '../sources/provenance';
import { IncidentFilter } from './dto/incident-filter.input';
import { Incident } from './incident.entity';
import { IncidentsService } from './incidents.service';

const IncidentConnection = Connection(Incident, 'Incident');

@Resolver(() => Incident)
export class IncidentsResolver {
  constructor(private readonly service: IncidentsService) {}

  @Query(() => Incident, { nullable: true })
  @RequiresRole(Role.PUBLIC)
  incident(@Args('id', { type: () => ID }, UuidPipe) id: string, @Context() ctx: VigilContext) {
    return ctx.loaders.one(Incident, id);
  }

  @Query(() => IncidentConnection, { description: 'Incidents, newest first.' })
  @RequiresRole(Role.PUBLIC)
  incidents(
    @Args('filter', { type: () => IncidentFilter, nullable: true }) filter: IncidentFilter,
    @Args() page: PageArgs,
    @Context() ctx: VigilContext,
  ) {
    return this.service.list(filter, page, ctx.viewer);
  }

  @ResolveField(() => Region)
  region(@Parent() incident: Incident, @Context() ctx: VigilContext) {
    return ctx.loaders.one(Region, incident.regionCode);
  }

  @ResolveField(() => Situation, { nullable: true })
  situation(@Parent() incident: Incident, @Context() ctx: VigilContext) {
    return incident.situationId ? ctx.loaders.one(Situation, incident.situationId) : null;
  }

  @ResolveField(() => [Citation], { description: 'The sources and excerpts this incident rests on.' })
  citations(@Parent() incident: Incident, @Context() ctx: VigilContext) {
    return ctx.loaders.many(Citation, 'incidentId', incident.id);
  }

  @ResolveField(() => Int, { description: 'Distinct publishers among the cited sources.' })
  async independentSourceCount(@Parent() incident: Incident, @Context() ctx: VigilContext) {
    return independentSourceCount(await ctx.loaders.many(Citation, 'incidentId', incident.id), ctx.loaders);
  }

  @ResolveField(() => [Involvement], { description: 'People involved, with their role.' })
  involvements(@Parent() incident: Incident, @Context() ctx: VigilContext) {
    return ctx.loaders.many(Involvement, 'incidentId', incident.id);
  }

  @ResolveField(() => [AdvocacyResponse], { description: 'Advocacy responses that answer this incident.' })
  responses(@Parent() incident: Incident, @Context() ctx: VigilContext) {
    return ctx.loaders.through(ResponseIncident, 'incidentId', 'responseId', AdvocacyResponse, incident.id);
  }
}
