import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Viewer } from './viewer';

/** The one rule for whole records: a record above the viewer's clearance is invisible and
 * uncounted. Every query that reads records (lists, counts, relations, exports) goes through it.
 * Soft-deleted rows are excluded by TypeORM's DeleteDateColumn handling. */
export function onlyVisible<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  viewer: Viewer,
): SelectQueryBuilder<T> {
  const param = `visible_levels_${alias}`;
  return qb.andWhere(`${alias}.confidentiality IN (:...${param})`, { [param]: viewer.readableLevels });
}
