import { Args, Context, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Connection, PageArgs } from '../common/connection';
import { NoArgs, VigilContext } from '../common/vigil-context';
import { IncidentFilter } from '../incidents/dto/incident-filter.input';
import { Incident } from '../incidents/incident.entity';
import { AdvocacyResponse } from '../responses/advocacy-response.entity';
import { RESPONSES_TO_INCIDENTS, TimelineEntry, TimelineEntryKind, TimelineOrder } from './dto/timeline';
import { TimelineService } from './timeline.service';

const TimelineEntryConnection = Connection(TimelineEntry, 'TimelineEntry');

@Resolver(() => TimelineEntry)
export class TimelineResolver {
  constructor(private readonly service: TimelineService) {}

  @Query(() => TimelineEntryConnection, {
    description:
      'Incidents and advocacy responses merged in date order, each with its date and precision. Takes the incident list\'s filter: ' +
      'every field selects incidents; regions, dateFrom, dateTo, dateMatch, search, updatedSince and includeDeleted also select responses, ' +
      'and the fields about incidents only are ignored for them. The responses that answer the selected incidents are shown too, ' +
      'wherever and whenever they took place, unless responsesToIncidents is false.',
  })
  @RequiresRole(Role.PUBLIC)
  timeline(
    @Args('filter', { type: () => IncidentFilter, nullable: true }) filter: IncidentFilter,
    @Args('entryKinds', { type: () => [TimelineEntryKind], nullable: true, description: 'Which records to show; both when omitted.' })
    entryKinds: TimelineEntryKind[] | null,
    @Args('orderBy', { type: () => TimelineOrder, defaultValue: TimelineOrder.DATE_ASC }) orderBy: TimelineOrder,
    @Args('responsesToIncidents', { type: () => Boolean, defaultValue: true, description: RESPONSES_TO_INCIDENTS }) responsesToIncidents: boolean,
    @Args() page: PageArgs,
    @Context() ctx: VigilContext,
  ) {
    return this.service.page(filter, entryKinds, orderBy, page, ctx.viewer, responsesToIncidents);
  }

  @ResolveField(() => Incident, { nullable: true, description: 'The incident itself, for an INCIDENT entry (its sources, people, responses...); null otherwise.' })
  incident(entry: TimelineEntry, _args: NoArgs, ctx: VigilContext) {
    return entry.kind === TimelineEntryKind.INCIDENT ? ctx.loaders.one(Incident, entry.id) : null;
  }

  @ResolveField(() => AdvocacyResponse, { nullable: true, description: 'The response itself, for a RESPONSE entry (its organizers, sources, what it answers...); null otherwise.' })
  advocacyResponse(entry: TimelineEntry, _args: NoArgs, ctx: VigilContext) {
    return entry.kind === TimelineEntryKind.RESPONSE ? ctx.loaders.one(AdvocacyResponse, entry.id) : null;
  }
}
