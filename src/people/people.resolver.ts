import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, PageArgs } from '../common/connection';
import { UuidPipe } from '../common/validation.pipe';
import { VigilContext } from '../common/vigil-context';
import { Incident } from '../incidents/incident.entity';
import { PersonFilter, PersonOrder } from './dto/person-filter.input';
import { Involvement } from './involvement.entity';
import { PeopleService } from './people.service';
import { Person } from './person.entity';

const PersonConnection = Connection(Person, 'Person');

@Resolver(() => Person)
export class PeopleResolver {
  constructor(private readonly service: PeopleService) {}

  @Query(() => Person, { nullable: true })
  @RequiresRole(Role.PUBLIC)
  person(@Args('id', { type: () => ID }, UuidPipe) id: string, @Context() ctx: VigilContext) {
    return ctx.loaders.one(Person, id);
  }

  @Query(() => PersonConnection, { description: 'People, most recently recorded first.' })
  @RequiresRole(Role.PUBLIC)
  people(
    @Args('filter', { type: () => PersonFilter, nullable: true }) filter: PersonFilter | undefined,
    @Args('orderBy', { type: () => PersonOrder, defaultValue: PersonOrder.RECENT }) orderBy: PersonOrder,
    @Args() page: PageArgs,
    @Context() ctx: VigilContext,
  ) {
    return this.service.list(filter, orderBy, page, ctx.viewer);
  }

  @ResolveField(() => [Involvement])
  involvements(@Parent() person: Person, @Context() ctx: VigilContext) {
    return ctx.loaders.many(Involvement, 'personId', person.id);
  }
}

@Resolver(() => Involvement)
export class InvolvementsResolver {
  @ResolveField(() => Person, { nullable: true })
  person(@Parent() involvement: Involvement, @Context() ctx: VigilContext) {
    return ctx.loaders.one(Person, involvement.personId);
  }

  @ResolveField(() => Incident, { nullable: true })
  incident(@Parent() involvement: Involvement, @Context() ctx: VigilContext) {
    return ctx.loaders.one(Incident, involvement.incidentId);
  }
}
