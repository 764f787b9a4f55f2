import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Args, Context, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, PageArgs } from '../common/connection';
import { UserInputError } from '../common/errors';
import { NoArgs, VigilContext } from '../common/vigil-context';
import { RegionListArgs } from './dto/region-list.args';
import { DEFAULT_REGION_LANGUAGE, REGION_LANGUAGES } from './region-names';
import { Region, RegionName, RegionPoint } from './region.entity';
import { RegionsService } from './regions.service';

/** The longest ISO 3166 code (subdivisions such as GB-ABC are six characters), with room to spare. */
const MAX_CODE = 10;

const RegionConnection = Connection(Region, 'Region');

@Resolver(() => Region)
export class RegionsResolver {
  constructor(private readonly service: RegionsService) {}

  @Query(() => Region, { nullable: true, description: 'A country or subdivision by ISO 3166 code.' })
  @RequiresRole(Role.PUBLIC)
  region(@Args('code') code: string, @Context() ctx: VigilContext) {
    // No code is longer (RU-CE); a NUL would reach PostgreSQL, whose text cannot hold it.
    if (code.length > MAX_CODE || code.includes('\0')) throw UserInputError.of('code', 'must be an ISO 3166 code such as RU or RU-CE');
    return ctx.loaders.one(Region, code.trim().toUpperCase());
  }

  @Query(() => RegionConnection)
  @RequiresRole(Role.PUBLIC)
  regions(@Args() args: RegionListArgs, @Args() page: PageArgs) {
    return this.service.list(args, page);
  }

  @ResolveField(() => String, { description: 'Its English common name (Chechnya); names gives the other languages, isoName the ISO 3166 name.' })
  name(region: Region): string {
    return region.names?.[DEFAULT_REGION_LANGUAGE] ?? region.isoName;
  }

  @ResolveField(() => [RegionName], { description: `Its display name in each language Vigil supports (${REGION_LANGUAGES.join(', ')}).` })
  names(region: Region): RegionName[] {
    return REGION_LANGUAGES.map((language) => ({ language, name: region.names?.[language] ?? region.isoName }));
  }

  @ResolveField(() => RegionPoint, {
    nullable: true,
    description: 'Where a map puts what is known only to be in this region: its representative point, or its nearest enclosing region\'s when the data has none.',
  })
  point(region: Region): RegionPoint | null {
    if (region.latitude === null || region.longitude === null || !region.pointCode) return null;
    return { latitude: region.latitude, longitude: region.longitude, regionCode: region.pointCode };
  }

  @ResolveField(() => Region, { nullable: true })
  parent(region: Region, _args: NoArgs, ctx: VigilContext) {
    return region.parentCode ? ctx.loaders.one(Region, region.parentCode) : null;
  }

  @ResolveField(() => Region)
  country(region: Region, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.one(Region, region.countryCode);
  }

  @ResolveField(() => [Region], { description: 'Direct subdivisions.' })
  children(region: Region, _args: NoArgs, ctx: VigilContext) {
    return ctx.loaders.many(Region, 'parentCode', region.code, { orderBy: 'r.code' });
  }
}
