import { ArgsType, Field } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { RegionKind } from '../region.entity';

@ArgsType()
export class RegionListArgs {
  @Field(() => RegionKind, { nullable: true })
  @IsOptional()
  @IsEnum(RegionKind)
  kind?: RegionKind;

  @Field(() => String, { nullable: true, description: 'Only regions in this country (ISO 3166-1 alpha-2).' })
  @IsOptional()
  @IsString()
  @MaxLength(3)
  countryCode?: string;

  @Field(() => String, { nullable: true, description: 'Only the direct children of this region.' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  parentCode?: string;

  @Field(() => String, { nullable: true, description: 'Part of the name or code.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}
