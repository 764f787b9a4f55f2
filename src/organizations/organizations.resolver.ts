import { EditingService, writeContext } from '../editing/editing.service';
import { CreateOrganizationInput, UpdateOrganizationInput } from './dto/organization.inputs';
import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Args, Context, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, PageArgs } from '../common/connection';
import { UuidPipe } from '../common/validation.pipe';
import { NoArgs, VigilContext } from '../common/vigil-context';
import { Region } from '../regions/region.entity';
import { ResponseOrganizer } from '../responses/response-links.entity';
import { Source } from '../sources/source.entity';
import { OrganizationFilter } from './dto/organization-filter.input';
import { Organization } from './organization.entity';
import { OrganizationsService } from './organizations.service';

const OrganizationConnection = Connection(Organization, 'Organization');

@Resolver(() => Organization)
export class OrganizationsResolver {
  constructor(
    private readonly service: OrganizationsService,
    private readonly editing: EditingService,
  ) {}

  @Mutation(() => Organization, { description: 'Creates a organization.' })
  @RequiresRole(Role.EDITOR)
  createOrganization(@Args('input') input: CreateOrganizationInput, @Context() ctx: VigilContext) {
    return this.editing.createRecord(Organization, input, writeContext(ctx, 'createOrganization'));
  }

  @Mutation(() => Organization, { description: 'Changes a organization, based on the version you read (CONFLICT when it changed since).' })
  @RequiresRole(Role.EDITOR)
  updateOrganization(@Args('input') input: UpdateOrganizationInput, @Context() ctx: VigilContext) {
    return this.editing.updateRecord(Organization, input, writeContext(ctx, 'updateOrganization'));
  }


  @Query(() => Organization, { nullable: true })
  @RequiresRole(Role.PUBLIC)
  organization(@Args('id', { type: () => ID }, UuidPipe) id: string, @Context() ctx: VigilContext) {
    return ctx.loaders.one(Organization, id);
  }

  @Query(() => OrganizationConnection, { description: 'Organizations by name.' })
  @RequiresRole(Role.PUBLIC)
  organizations(
    @Args('filter', { type: () => OrganizationFilter, nullable: true }) filter: OrganizationFilter,
    @Args() page: PageArgs,
    @Context() ctx: VigilContext,
  ) {
    return this.service.list(filter, page, ctx.viewer);
  }

  @ResolveField(() => Region, { nullable: true })
  region(organization: Organization, _args: NoArgs, ctx: VigilContext) {
    return organization.regionCode ? ctx.loaders.one(Region, organization.regionCode) : null;
  }

  @ResolveField(() => [ResponseOrganizer], { description: 'Responses it organized, partnered or benefited from.' })
  responseRoles(organization: Organization, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.many(ResponseOrganizer, 'organizationId', organization.id);
  }

  @ResolveField(() => [Source], { description: 'Sources it published.' })
  publishedSources(organization: Organization, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.many(Source, 'publisherOrganizationId', organization.id);
  }
}
