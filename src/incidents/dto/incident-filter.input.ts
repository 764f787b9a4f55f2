import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { FiltersOn } from '../../access/sensitive.decorator';
import { BoundingBox } from '../../common/bounding-box';
import { PlaceAndTimeFilter } from '../../common/filters';
import { VerificationStatus } from '../../common/vocabularies';
import { IncidentKind } from '../incident-kind';
import { Incident } from '../incident.entity';

@InputType()
export class IncidentFilter extends PlaceAndTimeFilter {
  @Field(() => [IncidentKind], { nullable: true })
  @IsOptional()
  @IsEnum(IncidentKind, { each: true })
  kinds?: IncidentKind[];

  @Field(() => [VerificationStatus], { nullable: true })
  @IsOptional()
  @IsEnum(VerificationStatus, { each: true })
  verificationStatuses?: VerificationStatus[];

  @Field(() => ID, { nullable: true, description: 'Only incidents in this situation.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an id (UUID)' })
  situationId?: string;

  @Field(() => BoundingBox, { nullable: true, description: 'Only incidents whose exact coordinates lie in this box.' })
  @FiltersOn(Incident, 'latitude', 'longitude')
  @IsOptional()
  @ValidateNested()
  @Type(() => BoundingBox)
  within?: BoundingBox;
}
