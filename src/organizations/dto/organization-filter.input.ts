import { IncludeDeleted } from '../../common/filters';
import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { OrganizationKind } from '../organization.entity';

@InputType()
export class OrganizationFilter {
  @Field(() => [OrganizationKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsEnum(OrganizationKind, { each: true })
  kinds?: OrganizationKind[];

  @Field(() => String, { nullable: true, description: 'Part of the name, case-insensitive.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @IncludeDeleted()
  includeDeleted?: boolean;
}
