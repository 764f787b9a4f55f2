import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Viewer } from './viewer';

/** Records whose visibility also depends on another record: a citation quotes its source, so a
 * citation of a source the viewer may not see is itself invisible (its excerpt would leak it). */
const DEPENDS_ON: Record<string, { table: string; column: string }> = {
  Citation: { table: 'source', column: 'source_id' },
};

/** The one rule for whole records: a record above the viewer's clearance is invisible and
 * uncounted. Every query that reads records (lists, counts, relations, exports) goes through it.
 * Soft-deleted rows are excluded by TypeORM's DeleteDateColumn handling. */
export function onlyVisible<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  viewer: Viewer,
): SelectQueryBuilder<T> {
  const param = `visible_levels_${alias}`;
  qb.andWhere(`${alias}.confidentiality IN (:...${param})`, { [param]: viewer.readableLevels });
  const dependency = DEPENDS_ON[qb.expressionMap.mainAlias?.metadata.name ?? ''];
  if (dependency) {
    qb.andWhere(
      `EXISTS (SELECT 1 FROM ${dependency.table} dep WHERE dep.id = ${alias}.${dependency.column} ` +
        `AND dep.deleted_at IS NULL AND dep.confidentiality IN (:...${param}))`,
    );
  }
  return qb;
}
