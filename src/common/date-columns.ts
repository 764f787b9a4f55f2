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
