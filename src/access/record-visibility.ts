import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Viewer } from './viewer';

interface Dependency {
  table: string;
  column: string;
}

/** Records whose visibility also depends on the records they link or quote: a link or a citation
 * is visible only when every record it points to is (a citation's excerpt quotes its source and
 * speaks about its subject; an involvement says that a hidden person was a victim of an incident).
 * A null reference (a citation's unused subject columns) imposes nothing. */
const DEPENDS_ON: Record<string, Dependency[]> = {
  Citation: [
    { table: 'source', column: 'source_id' },
    { table: 'incident', column: 'incident_id' },
    { table: 'situation', column: 'situation_id' },
    { table: 'advocacy_response', column: 'response_id' },
  ],
  Involvement: [
    { table: 'incident', column: 'incident_id' },
    { table: 'person', column: 'person_id' },
  ],
  ResponseOrganizer: [
    { table: 'advocacy_response', column: 'response_id' },
    { table: 'organization', column: 'organization_id' },
  ],
  ResponseIncident: [
    { table: 'advocacy_response', column: 'response_id' },
    { table: 'incident', column: 'incident_id' },
  ],
  ResponseSituation: [
    { table: 'advocacy_response', column: 'response_id' },
    { table: 'situation', column: 'situation_id' },
  ],
};

/** Entities with dependencies (for tests and docs). */
export const VISIBILITY_DEPENDENCIES: Readonly<Record<string, readonly Dependency[]>> = DEPENDS_ON;

/** The one rule for whole records: a record above the viewer's clearance, soft-deleted, or linking
 * a record the viewer may not see is invisible and uncounted. Every query that reads records
 * (lists, counts, relations, exports) goes through it. Soft-deleted rows of the main table are
 * excluded by TypeORM's DeleteDateColumn handling; those of linked tables here. */
export function onlyVisible<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  viewer: Viewer,
): SelectQueryBuilder<T> {
  const param = `visible_levels_${alias}`;
  qb.andWhere(`${alias}.confidentiality IN (:...${param})`, { [param]: viewer.readableLevels });
  for (const [i, d] of (DEPENDS_ON[qb.expressionMap.mainAlias?.metadata.name ?? ''] ?? []).entries()) {
    const dep = `${alias}_dep${i}`;
    qb.andWhere(
      `(${alias}.${d.column} IS NULL OR EXISTS (SELECT 1 FROM ${d.table} ${dep} WHERE ${dep}.id = ${alias}.${d.column} ` +
        `AND ${dep}.deleted_at IS NULL AND ${dep}.confidentiality IN (:...${param})))`,
    );
  }
  return qb;
}
