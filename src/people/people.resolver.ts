import { EditingService, writeContext } from '../editing/editing.service';
import { CreateInvolvementInput, CreatePersonInput, UpdateInvolvementInput, UpdatePersonInput } from './dto/person.inputs';
import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Args, Context, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, PageArgs } from '../common/connection';
import { UuidPipe } from '../common/validation.pipe';
import { NoArgs, VigilContext } from '../common/vigil-context';
import { Incident } from '../incidents/incident.entity';
import { PersonFilter, PersonOrder } from './dto/person-filter.input';
import { Involvement } from './involvement.entity';
import { PeopleService } from './people.service';
import { Person } from './person.entity';

const PersonConnection = Connection(Person, 'Person');

@Resolver(() => Person)
export class PeopleResolver {
  constructor(
    private readonly service: PeopleService,
    private readonly editing: EditingService,
  ) {}

  @Mutation(() => Person, { description: 'Creates a person.' })
  @RequiresRole(Role.EDITOR)
  createPerson(@Args('input') input: CreatePersonInput, @Context() ctx: VigilContext) {
    return this.editing.createRecord(Person, input, writeContext(ctx, 'createPerson'));
  }

  @Mutation(() => Person, { description: 'Changes a person, based on the version you read (CONFLICT when it changed since).' })
  @RequiresRole(Role.EDITOR)
  updatePerson(@Args('input') input: UpdatePersonInput, @Context() ctx: VigilContext) {
    return this.editing.updateRecord(Person, input, writeContext(ctx, 'updatePerson'));
  }

  @Mutation(() => Involvement, { description: 'Creates a person\'s part in an incident.' })
  @RequiresRole(Role.EDITOR)
  createInvolvement(@Args('input') input: CreateInvolvementInput, @Context() ctx: VigilContext) {
    return this.editing.createRecord(Involvement, input, writeContext(ctx, 'createInvolvement'));
  }

  @Mutation(() => Involvement, { description: 'Changes a person\'s part in an incident (person and incident are fixed), based on the version you read (CONFLICT when it changed since).' })
  @RequiresRole(Role.EDITOR)
  updateInvolvement(@Args('input') input: UpdateInvolvementInput, @Context() ctx: VigilContext) {
    return this.editing.updateRecord(Involvement, input, writeContext(ctx, 'updateInvolvement'));
  }


  @Query(() => Person, { nullable: true })
  @RequiresRole(Role.PUBLIC)
  person(@Args('id', { type: () => ID }, UuidPipe) id: string, @Context() ctx: VigilContext) {
    return ctx.loaders.one(Person, id);
  }

  @Query(() => PersonConnection, { description: 'People, most recently recorded first.' })
  @RequiresRole(Role.PUBLIC)
  people(
    // Not `PersonFilter | undefined`: a union's design type is Object, which the validation pipe
    // cannot validate with.
    @Args('filter', { type: () => PersonFilter, nullable: true }) filter: PersonFilter,
    @Args('orderBy', { type: () => PersonOrder, defaultValue: PersonOrder.RECENT }) orderBy: PersonOrder,
    @Args() page: PageArgs,
    @Context() ctx: VigilContext,
  ) {
    return this.service.list(filter, orderBy, page, ctx.viewer);
  }

  @ResolveField(() => [Involvement])
  involvements(person: Person, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.many(Involvement, 'personId', person.id);
  }
}

@Resolver(() => Involvement)
export class InvolvementsResolver {
  @ResolveField(() => Person, { nullable: true })
  person(involvement: Involvement, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.one(Person, involvement.personId);
  }

  @ResolveField(() => Incident, { nullable: true })
  incident(involvement: Involvement, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.one(Incident, involvement.incidentId);
  }
}
