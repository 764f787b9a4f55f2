import { InputType } from '@nestjs/graphql';
import { PlaceAndTimeFilter } from '../../common/filters';

@InputType()
export class SituationFilter extends PlaceAndTimeFilter {}
