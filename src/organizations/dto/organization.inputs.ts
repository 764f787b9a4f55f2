import { Field, IntersectionType, InputType, PartialType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsHttpUrl, IsRegionCode } from '../../common/validators';
import { TEXT } from '../../common/write-inputs';
import { Reasoned, RecordFields, UpdateInputOf } from '../../editing/dto/write.inputs';
import { OrganizationKind } from '../organization.entity';

@InputType({ description: 'An NGO, media outlet, government or intergovernmental body.' })
export class OrganizationInput extends RecordFields {
  @Field()
  @IsString()
  @Length(1, TEXT.SHORT)
  name!: string;

  @Field(() => OrganizationKind)
  @IsEnum(OrganizationKind)
  kind!: OrganizationKind;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.LONG)
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'http or https.' })
  @IsOptional()
  @IsHttpUrl()
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166 code of where it is based.' })
  @IsOptional()
  @IsRegionCode()
  regionCode?: string | null;
}

@InputType()
export class CreateOrganizationInput extends IntersectionType(OrganizationInput, Reasoned) {}

@InputType({ description: 'Fields of an organization to change.' })
export class OrganizationChanges extends PartialType(OrganizationInput, { skipNullProperties: false }) {}
@InputType({ description: 'Changes to a Organization, based on the version you read.' })
export class UpdateOrganizationInput extends UpdateInputOf(OrganizationChanges) {}
