import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsOptional, IsString, Length } from 'class-validator';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { UserInputError } from './errors';
import { IsCalendarDate } from './validators';

/** Filter parts shared by every dated, placed list, with one meaning everywhere. */
@InputType({ isAbstract: true })
export abstract class PlaceAndTimeFilter {
  @Field(() => [String], { nullable: true, description: 'ISO 3166 codes; a country includes its subdivisions.' })
  @IsOptional()
  @ArrayMaxSize(300)
  @IsString({ each: true })
  @Length(2, 10, { each: true })
  regions?: string[];

  @Field(() => String, {
    nullable: true,
    description: 'YYYY-MM-DD. Keeps records whose date span ends on or after this day ("2017-04" spans April).',
  })
  @IsOptional()
  @IsCalendarDate()
  dateFrom?: string;

  @Field(() => String, {
    nullable: true,
    description: 'YYYY-MM-DD. Keeps records whose date span starts on or before this day.',
  })
  @IsOptional()
  @IsCalendarDate()
  dateTo?: string;
}

/** Applies the date-range rule: the record's span [start, latest] overlaps [dateFrom, dateTo]. */
export function applyDateRange<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  filter: PlaceAndTimeFilter,
  argument = 'filter',
): void {
  if (filter.dateFrom && filter.dateTo && filter.dateTo < filter.dateFrom) {
    throw UserInputError.of(`${argument}.dateTo`, 'is before dateFrom');
  }
  if (filter.dateFrom) qb.andWhere(`${alias}.date_latest >= :dateFrom`, { dateFrom: filter.dateFrom.slice(0, 10) });
  if (filter.dateTo) qb.andWhere(`${alias}.date_start <= :dateTo`, { dateTo: filter.dateTo.slice(0, 10) });
}
