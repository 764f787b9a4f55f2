import { Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { GraphQLDateTime } from './date-time';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsDate, IsEnum, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AccessLevel } from '../access/access-level';
import { updatedAtSql } from '../access/change-stamps';
import { RestrictedInput } from '../access/sensitive.decorator';
import { Viewer } from '../access/viewer';
import { UserInputError } from './errors';
import { SortKey } from './keyset';
import { searchMatchSql, searchQuerySql } from './search';
import { IsDateBound } from './validators';
import { readDateBound } from '../dates/date-bound';

/** How a record's range (its date span, or a count's [at least, at most]) must meet the asked one. */
export enum RangeMatch {
  /** The record's range overlaps the asked range (the default: it may have been in it). */
  OVERLAPS = 'OVERLAPS',
  /** The record's range lies wholly inside the asked range (it certainly was in it). */
  WITHIN = 'WITHIN',
}
registerEnumType(RangeMatch, {
  name: 'RangeMatch',
  description: 'OVERLAPS (default): the record\'s span or count range overlaps the asked range. WITHIN: it lies wholly inside it.',
});

/** Search text: PostgreSQL web-search syntax ("quoted phrases", or, -exclusions), English stemming. */
const SEARCH_DESCRIPTION =
  'Full-text search (English stemming; "quoted phrases", `or`, `-word`). Combines with every other filter; sort by RELEVANCE to rank.';

/** `includeDeleted` on a list filter: editors see soft-deleted records too (to restore them). */
export function IncludeDeleted(): PropertyDecorator {
  return (target, property) => {
    Field(() => Boolean, { nullable: true, description: 'Editors only: include deleted records (their deletedAt is set).' })(target, property);
    RestrictedInput(AccessLevel.CONFIDENTIAL, 'Deleted records are kept for editors to restore or purge.')(target, property);
    IsOptional()(target, property);
    IsBoolean()(target, property);
  };
}

/** Filter parts shared by every dated list, with one meaning everywhere. */
@InputType({ isAbstract: true })
export abstract class TimeFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'A year, month or day (EDTF: 2017, 2017-04, 2017-04-01), meaning its first day. With OVERLAPS, keeps records whose date span ends on or after it.',
  })
  @IsOptional()
  @IsDateBound()
  dateFrom?: string;

  @Field(() => String, {
    nullable: true,
    description:
      'A year, month or day (EDTF: 2017, 2017-04, 2017-04-30), meaning its last day. With OVERLAPS, keeps records whose date span starts on or before it.',
  })
  @IsOptional()
  @IsDateBound()
  dateTo?: string;

  @Field(() => RangeMatch, {
    nullable: true,
    description: 'How the date span meets [dateFrom, dateTo]; default OVERLAPS. An open-ended span is never WITHIN a range with an end.',
  })
  @IsOptional()
  @IsEnum(RangeMatch)
  dateMatch?: RangeMatch;

  @Field(() => String, { nullable: true, description: SEARCH_DESCRIPTION })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  search?: string;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Only records changed at or after this time (to keep a copy current).' })
  @IsOptional()
  @IsDate()
  updatedSince?: Date;

  @IncludeDeleted()
  includeDeleted?: boolean;
}

/** TimeFilter plus place, for records that happen somewhere. */
@InputType({ isAbstract: true })
export abstract class PlaceAndTimeFilter extends TimeFilter {
  @Field(() => [String], {
    nullable: true,
    description: 'ISO 3166 codes in any case (RU, ru-ce), or region names in a supported language (Chechnya, Чечня); a country includes its subdivisions.',
  })
  @IsOptional()
  @ArrayMaxSize(300)
  @IsString({ each: true })
  @Length(2, 100, { each: true })
  regions?: string[];
}

/** A range over a count estimate, e.g. victims between 10 and 50. */
@InputType({ description: 'A range over a count estimate. A record whose count is unknown never matches.' })
export class CountRange {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must not be negative' })
  @Max(2_000_000_000)
  min?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must not be negative' })
  @Max(2_000_000_000)
  max?: number;

  @Field(() => RangeMatch, { nullable: true, description: 'Default OVERLAPS: the count may lie in the range; WITHIN: it certainly does.' })
  @IsOptional()
  @IsEnum(RangeMatch)
  match?: RangeMatch;
}

export function CountRangeField(description: string): PropertyDecorator {
  return (target, property) => {
    Field(() => CountRange, { nullable: true, description })(target, property);
    IsOptional()(target, property);
    ValidateNested()(target, property);
    Type(() => CountRange)(target, property);
  };
}

/** The date rule: with OVERLAPS (default) the record's span [start, latest] overlaps [dateFrom,
 * dateTo]; with WITHIN it lies wholly inside. An open span (still going) has `date_latest` infinity. */
export function applyDateRange<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  filter: Pick<TimeFilter, 'dateFrom' | 'dateTo' | 'dateMatch'>,
  argument = 'filter',
  prefix = 'date',
): void {
  // dateFrom means the first day of its period, dateTo the last: dateTo "2017" ends on 2017-12-31.
  const from = filter.dateFrom ? readDateBound(filter.dateFrom)?.first : undefined;
  const to = filter.dateTo ? readDateBound(filter.dateTo)?.last : undefined;
  if (from && to && to < from) {
    throw UserInputError.of(`${argument}.dateTo`, 'is before dateFrom');
  }
  const [start, latest] = [`${alias}.${prefix}_start`, `${alias}.${prefix}_latest`];
  if (filter.dateMatch === RangeMatch.WITHIN) {
    if (from) qb.andWhere(`${start} >= :dateFrom`, { dateFrom: from });
    if (to) qb.andWhere(`${latest} <= :dateTo`, { dateTo: to });
    return;
  }
  if (from) qb.andWhere(`${latest} >= :dateFrom`, { dateFrom: from });
  if (to) qb.andWhere(`${start} <= :dateTo`, { dateTo: to });
}

/** SQL for a count's lower and upper bounds: the lower is "at least", else the best estimate; the
 * upper is "at most", else the best estimate, else unbounded (null) when a lower bound is known. */
export function countBoundsSql(alias: string, prefix: string): { lower: string; upper: string } {
  return {
    lower: `coalesce(${alias}.${prefix}_at_least, ${alias}.${prefix}_best)`,
    upper: `coalesce(${alias}.${prefix}_at_most, ${alias}.${prefix}_best)`,
  };
}

/** The count rule, the same as the date rule: OVERLAPS keeps counts that may lie in [min, max];
 * WITHIN keeps counts that certainly do. Unknown counts never match. */
export function applyCountRange<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  prefix: string,
  range: CountRange | undefined,
  argument: string,
): void {
  if (!range || (range.min === undefined && range.max === undefined)) return;
  if (range.min !== undefined && range.max !== undefined && range.max < range.min) throw UserInputError.of(`${argument}.max`, 'is below min');
  const { lower, upper } = countBoundsSql(alias, prefix);
  const p = `${prefix}_${alias}`;
  qb.andWhere(`${lower} IS NOT NULL`);
  if (range.match === RangeMatch.WITHIN) {
    if (range.min !== undefined) qb.andWhere(`${lower} >= :${p}_min`, { [`${p}_min`]: range.min });
    if (range.max !== undefined) qb.andWhere(`${upper} <= :${p}_max`, { [`${p}_max`]: range.max });
    return;
  }
  if (range.min !== undefined) qb.andWhere(`(${upper} >= :${p}_min OR ${upper} IS NULL)`, { [`${p}_min`]: range.min });
  if (range.max !== undefined) qb.andWhere(`${lower} <= :${p}_max`, { [`${p}_max`]: range.max });
}

/** Records changed at or after `since` in a way `viewer` may see (their change stamp). */
export function applyUpdatedSince<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, since: Date | undefined, viewer: Viewer): void {
  if (since) qb.andWhere(`${updatedAtSql(alias, viewer)} >= :updatedSince`, { updatedSince: since });
}

/** Search on a record's own document (`search_vector`), in the viewer's clearance index;
 * incidents also search their citations. */
export function applySearch<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, search: string | undefined, viewer: Viewer): void {
  if (search) qb.andWhere(searchMatchSql(alias, viewer), { search });
}

/** The relevance sort key for applySearch. */
export function rankSql(alias: string): string {
  return `ts_rank(${alias}.search_vector, ${searchQuerySql('search')})::float8`;
}

/** Sort orders shared by dated lists other than incidents. */
export enum DatedOrder {
  DATE_DESC = 'DATE_DESC',
  DATE_ASC = 'DATE_ASC',
  UPDATED_DESC = 'UPDATED_DESC',
  RELEVANCE = 'RELEVANCE',
}
registerEnumType(DatedOrder, {
  name: 'DatedOrder',
  description: 'Every order ends with the id, so paging never skips or repeats a record.',
  valuesMap: {
    DATE_DESC: { description: 'Newest first (the default).' },
    DATE_ASC: { description: 'Oldest first.' },
    UPDATED_DESC: { description: 'Most recently changed first.' },
    RELEVANCE: { description: 'Best full-text match first; needs filter.search.' },
  },
});

/** Sort keys for a DatedOrder over `alias` (whose date columns start with `prefix`). */
export function datedOrderKeys(order: DatedOrder, alias: string, search: string | undefined, viewer: Viewer, prefix = 'date'): SortKey[] {
  switch (order) {
    case DatedOrder.DATE_ASC:
      return [{ expression: `${alias}.${prefix}_start`, direction: 'ASC' }];
    case DatedOrder.UPDATED_DESC:
      return [{ expression: updatedAtSql(alias, viewer), direction: 'DESC' }];
    case DatedOrder.RELEVANCE:
      if (!search) throw UserInputError.of('orderBy', 'RELEVANCE needs filter.search');
      return [{ expression: rankSql(alias), direction: 'DESC' }];
    default:
      return [{ expression: `${alias}.${prefix}_start`, direction: 'DESC' }];
  }
}
