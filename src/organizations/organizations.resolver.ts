import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, PageArgs } from '../common/connection';
import { UuidPipe } from '../common/validation.pipe';
import { VigilContext } from '../common/vigil-context';
import { Region } from '../regions/region.entity';
import { ResponseOrganizer } from '../responses/response-links.entity';
import { Source } from '../sources/source.entity';
import { OrganizationFilter } from './dto/organization-filter.input';
import { Organization } from './organization.entity';
import { OrganizationsService } from './organizations.service';

const OrganizationConnection = Connection(Organization, 'Organization');

@Resolver(() => Organization)
export class OrganizationsResolver {
  constructor(private readonly service: OrganizationsService) {}

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
  region(@Parent() organization: Organization, @Context() ctx: VigilContext) {
    return organization.regionCode ? ctx.loaders.one(Region, organization.regionCode) : null;
  }

  @ResolveField(() => [ResponseOrganizer], { description: 'Responses it organized, partnered or benefited from.' })
  responseRoles(@Parent() organization: Organization, @Context() ctx: VigilContext) {
    return ctx.loaders.many(ResponseOrganizer, 'organizationId', organization.id);
  }

  @ResolveField(() => [Source], { description: 'Sources it published.' })
  publishedSources(@Parent() organization: Organization, @Context() ctx: VigilContext) {
    return ctx.loaders.many(Source, 'publisherOrganizationId', organization.id);
  }
}
