import { EditingService, writeContext } from '../editing/editing.service';
import { CreateSituationInput, UpdateSituationInput } from './dto/situation.inputs';
import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Args, Context, Parent, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, PageArgs } from '../common/connection';
import { DatedOrder } from '../common/filters';
import { UuidPipe } from '../common/validation.pipe';
import { NoArgs, VigilContext } from '../common/vigil-context';
import { Incident } from '../incidents/incident.entity';
import { Region } from '../regions/region.entity';
import { AdvocacyResponse } from '../responses/advocacy-response.entity';
import { ResponseSituation } from '../responses/response-links.entity';
import { Citation } from '../sources/citation.entity';
import { SituationFilter } from './dto/situation-filter.input';
import { Situation, SITUATION_TEXT } from './situation.entity';
import { SituationsService } from './situations.service';

const SituationConnection = Connection(Situation, 'Situation');

@Resolver(() => Situation)
export class SituationsResolver {
  constructor(
    private readonly service: SituationsService,
    private readonly editing: EditingService,
  ) {}

  @Mutation(() => Situation, { description: 'Creates a situation.' })
  @RequiresRole(Role.EDITOR)
  createSituation(@Args('input') input: CreateSituationInput, @Context() ctx: VigilContext) {
    return this.editing.createRecord(Situation, input, writeContext(ctx, 'createSituation'));
  }

  @Mutation(() => Situation, { description: 'Changes a situation, based on the version you read (CONFLICT when it changed since).' })
  @RequiresRole(Role.EDITOR)
  updateSituation(@Args('input') input: UpdateSituationInput, @Context() ctx: VigilContext) {
    return this.editing.updateRecord(Situation, input, writeContext(ctx, 'updateSituation'));
  }


  @Query(() => Situation, { nullable: true })
  @RequiresRole(Role.PUBLIC)
  situation(@Args('id', { type: () => ID }, UuidPipe) id: string, @Context() ctx: VigilContext) {
    return ctx.loaders.one(Situation, id);
  }

  @Query(() => SituationConnection)
  @RequiresRole(Role.PUBLIC)
  situations(
    @Args('filter', { type: () => SituationFilter, nullable: true }) filter: SituationFilter,
    @Args('orderBy', { type: () => DatedOrder, defaultValue: DatedOrder.DATE_DESC }) orderBy: DatedOrder,
    @Args() page: PageArgs,
    @Context() ctx: VigilContext,
  ) {
    return this.service.list(filter, orderBy, page, ctx.viewer);
  }

  @ResolveField(() => SITUATION_TEXT.InLanguage, {
    description: 'The text in the first of your languages it has (a translation, marked as one), else the original.',
  })
  inLanguage(@Parent() situation: Situation, @Args('preferred', { type: () => [String], description: 'BCP 47 tags, most preferred first (ru, fr, pt-BR).' }) preferred: string[]) {
    return SITUATION_TEXT.resolve(situation, preferred);
  }

  @ResolveField(() => Region, { nullable: true })
  region(situation: Situation, _args: NoArgs, ctx: VigilContext) {
    return situation.regionCode ? ctx.loaders.one(Region, situation.regionCode) : null;
  }

  @ResolveField(() => [Incident], { description: 'Incidents that are part of this pattern, oldest first.' })
  incidents(situation: Situation, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.many(Incident, 'situationId', situation.id, { orderBy: 'r.date_start' });
  }

  @ResolveField(() => [AdvocacyResponse], { description: 'Responses that answer the whole pattern.' })
  responses(situation: Situation, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.through(ResponseSituation, 'situationId', 'responseId', AdvocacyResponse, situation.id);
  }

  @ResolveField(() => [Citation])
  citations(situation: Situation, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.many(Citation, 'situationId', situation.id, { with: 'source' });
  }
}
