import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { PlaceAndTimeFilter } from '../../common/filters';
import { VerificationStatus } from '../../common/vocabularies';
import { IncidentKind } from '../incident-kind';

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
}
