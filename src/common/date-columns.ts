import { Column } from 'typeorm';
import { latestDaySql } from '../dates/date-precision';

/** The last day a record's embedded date covers, computed by PostgreSQL from the same columns, so
 * range filters and indexes use one rule whoever wrote the row (API, import or COPY). */
export function LatestDayColumn(prefix: string): PropertyDecorator {
  return Column({
    type: 'date',
    nullable: true,
    generatedType: 'STORED',
    asExpression: latestDaySql(prefix),
    insert: false,
    update: false,
  });
}

/** CHECK for an embedded date: start (and end) are the first day of their period, the end is not
 * before the start, and an open span has no end. The same rules the API validates, held by the
 * database for every writer (imports, COPY, SQL). */
export function dateRulesSql(prefix: string): string {
  const firstDay = (column: string) =>
    `(${column} IS NULL OR ${prefix}_precision = 'DAY' OR (extract(day FROM ${column}) = 1 AND ` +
    `(${prefix}_precision = 'MONTH' OR extract(month FROM ${column}) = 1)))`;
  return [
    firstDay(`${prefix}_start`),
    firstDay(`${prefix}_end`),
    `(${prefix}_end IS NULL OR ${prefix}_end >= ${prefix}_start)`,
    `NOT (${prefix}_open_end AND ${prefix}_end IS NOT NULL)`,
  ].join(' AND ');
}

/** CHECK for an embedded count: no negative figures, and at least <= best <= at most. */
export function countRulesSql(prefix: string): string {
  const [least, best, most] = ['at_least', 'best', 'at_most'].map((c) => `${prefix}_${c}`);
  return [
    `(${least} IS NULL OR ${least} >= 0)`,
    `(${best} IS NULL OR ${best} >= 0)`,
    `(${most} IS NULL OR ${most} >= 0)`,
    `(${least} IS NULL OR ${most} IS NULL OR ${least} <= ${most})`,
    `(${least} IS NULL OR ${best} IS NULL OR ${least} <= ${best})`,
    `(${best} IS NULL OR ${most} IS NULL OR ${best} <= ${most})`,
  ].join(' AND ');
}
