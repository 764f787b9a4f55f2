import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { PlaceAndTimeFilter } from '../../common/filters';
import { ResponseKind } from '../advocacy-response.entity';

@InputType()
export class ResponseFilter extends PlaceAndTimeFilter {
  @Field(() => [ResponseKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsEnum(ResponseKind, { each: true })
  kinds?: ResponseKind[];

  @Field(() => ID, { nullable: true, description: 'Only responses organized (in any role) by this organization.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an id (UUID)' })
  organizationId?: string;

  @Field(() => ID, { nullable: true, description: 'Only responses that answer this incident.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an id (UUID)' })
  incidentId?: string;
}
