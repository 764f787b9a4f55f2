import { Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { FiltersOn, sortsOn } from '../../access/sensitive.decorator';
import { BoundingBox } from '../../common/bounding-box';
import { CountRange, CountRangeField, PlaceAndTimeFilter } from '../../common/filters';
import { VerificationStatus } from '../../common/vocabularies';
import { ResponseKind } from '../../responses/advocacy-response.entity';
import { SourceKind } from '../../sources/source.entity';
import { IncidentKind } from '../incident-kind';
import { Incident } from '../incident.entity';

@InputType({ description: 'Every condition given must hold (AND); a list matches any of its values (OR).' })
export class IncidentFilter extends PlaceAndTimeFilter {
  @Field(() => [IncidentKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsEnum(IncidentKind, { each: true })
  kinds?: IncidentKind[];

  @Field(() => [VerificationStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsEnum(VerificationStatus, { each: true })
  verificationStatuses?: VerificationStatus[];

  @Field(() => ID, { nullable: true, description: 'Only incidents in this situation.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an id (UUID)' })
  situationId?: string;

  @Field(() => String, { nullable: true, description: 'Part of the perpetrator description, case-insensitive ("kadyrov").' })
  @IsOptional()
  @IsString()
  @Length(2, 200)
  perpetrator?: string;

  @CountRangeField('People harmed, e.g. { min: 10 }.')
  victims?: CountRange;

  @CountRangeField('People killed, e.g. { min: 1, match: WITHIN }.')
  deaths?: CountRange;

  @Field(() => Boolean, { nullable: true, description: 'true: only incidents that some visible response answers; false: only those with no response yet.' })
  @IsOptional()
  @IsBoolean()
  hasResponse?: boolean;

  @Field(() => [ResponseKind], { nullable: true, description: 'Only incidents answered by a response of one of these kinds.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsEnum(ResponseKind, { each: true })
  responseKinds?: ResponseKind[];

  @Field(() => ID, { nullable: true, description: 'Only incidents answered by a response this organization took part in.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an id (UUID)' })
  responseOrganizationId?: string;

  @Field(() => String, { nullable: true, description: 'Only incidents cited by a source from this publisher (case-insensitive, part of the name).' })
  @IsOptional()
  @IsString()
  @Length(2, 300)
  sourcePublisher?: string;

  @Field(() => [SourceKind], { nullable: true, description: 'Only incidents cited by a source of one of these kinds.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsEnum(SourceKind, { each: true })
  sourceKinds?: SourceKind[];

  @Field(() => Int, { nullable: true, description: 'At least this many independent sources (distinct publishers among the visible cited sources).' })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must not be negative' })
  @Max(1000)
  minIndependentSources?: number;

  @Field(() => BoundingBox, { nullable: true, description: 'Only incidents whose exact coordinates lie in this box.' })
  @FiltersOn(Incident, 'latitude', 'longitude')
  @IsOptional()
  @ValidateNested()
  @Type(() => BoundingBox)
  within?: BoundingBox;
}

export enum IncidentOrder {
  DATE_DESC = 'DATE_DESC',
  DATE_ASC = 'DATE_ASC',
  VICTIMS_DESC = 'VICTIMS_DESC',
  DEATHS_DESC = 'DEATHS_DESC',
  UPDATED_DESC = 'UPDATED_DESC',
  RELEVANCE = 'RELEVANCE',
}

registerEnumType(IncidentOrder, {
  name: 'IncidentOrder',
  description: 'Every order ends with the id, so paging never skips or repeats an incident.',
  valuesMap: {
    DATE_DESC: sortsOn(Incident, ['date'], 'Newest first, by the first day the date may refer to (the default).'),
    DATE_ASC: sortsOn(Incident, ['date'], 'Oldest first.'),
    VICTIMS_DESC: sortsOn(Incident, ['victims'], 'Most people harmed first: by the best estimate, else "at least", else "at most"; unknown last.'),
    DEATHS_DESC: sortsOn(Incident, ['deaths'], 'Most people killed first, as VICTIMS_DESC; unknown last.'),
    UPDATED_DESC: sortsOn(Incident, ['updatedAt'], 'Most recently changed first.'),
    RELEVANCE: sortsOn(Incident, ['headline', 'description'], 'Best full-text match first: incidents whose own headline or description matches, then those found through their kind, citations or place; needs filter.search.'),
  },
});
