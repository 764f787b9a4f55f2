import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AccessLevel } from './access-level';
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

/** A citation has exactly one subject (a CHECK): reached through one, the others are null. */
const SUBJECT_COLUMNS = ['incident_id', 'situation_id', 'response_id'];

/** Entities with dependencies (for tests and docs). */
export const VISIBILITY_DEPENDENCIES: Readonly<Record<string, readonly Dependency[]>> = DEPENDS_ON;

const TABLE_OF: Record<string, string> = {
  Incident: 'incident',
  Situation: 'situation',
  Person: 'person',
  Involvement: 'involvement',
  Source: 'source',
  Citation: 'citation',
  Organization: 'organization',
  AdvocacyResponse: 'advocacy_response',
  ResponseOrganizer: 'response_organizer',
  ResponseIncident: 'response_incident',
  ResponseSituation: 'response_situation',
};

/** The SQL condition under which the row `alias` of `entity` is visible to a viewer whose
 * readable levels are bound to the parameter `:...levelsParam`: not deleted, at a readable level,
 * and every record it links visible too. For subqueries (EXISTS, counts, aggregates); lists use
 * onlyVisible. */
export function visibleCondition(
  entity: string,
  alias: string,
  levelsParam: string,
  options: {
    deleted?: boolean;
    /** The reference column through which the subquery reached this row from a record the outer
     * query already holds to the rule (e.g. a citation reached by `incident_id = i.id`). Its
     * check is left out, and so are the other subject columns, which a CHECK keeps null. */
    reachedBy?: string;
    /** Linked records count as visible even when soft-deleted (an editor's includeDeleted: the
     * citations of a deleted incident are part of what was deleted, and of a faithful export). */
    deletedLinks?: boolean;
  } = {},
): string {
  if (!TABLE_OF[entity]) throw new Error(`No visibility rule for ${entity}`);
  const parts = [`${alias}.confidentiality IN (:...${levelsParam})`];
  if (options.deleted !== false) parts.unshift(`${alias}.deleted_at IS NULL`);
  const dependencies = (DEPENDS_ON[entity] ?? []).filter(
    (d) => !options.reachedBy || (d.column !== options.reachedBy && !(entity === 'Citation' && SUBJECT_COLUMNS.includes(d.column))),
  );
  for (const [i, d] of dependencies.entries()) {
    const dep = `${alias}_dep${i}`;
    const notDeleted = options.deletedLinks ? '' : `${dep}.deleted_at IS NULL AND `;
    parts.push(
      `(${alias}.${d.column} IS NULL OR EXISTS (SELECT 1 FROM ${d.table} ${dep} WHERE ${dep}.id = ${alias}.${d.column} ` +
        `AND ${notDeleted}${dep}.confidentiality IN (:...${levelsParam})))`,
    );
  }
  return parts.join(' AND ');
}

/** `FROM table alias` for a visible-row subquery of `entity`. */
export function tableOf(entity: string): string {
  return TABLE_OF[entity];
}

/** The one rule for whole records: a record above the viewer's clearance, soft-deleted, or linking
 * a record the viewer may not see is invisible and uncounted. Every query that reads records
 * (lists, counts, relations, aggregates, exports) goes through it, or through visibleCondition
 * for subqueries. Soft-deleted rows of the main table are excluded by TypeORM's DeleteDateColumn
 * handling. */
export function onlyVisible<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  viewer: Viewer,
  options: { includeDeleted?: boolean | null } = {},
): SelectQueryBuilder<T> {
  // Deleted records are for editors (the includeDeleted filter field is declared CONFIDENTIAL and
  // refused to others before this runs; checked again here).
  const withDeleted = Boolean(options.includeDeleted) && viewer.mayRead(AccessLevel.CONFIDENTIAL);
  if (withDeleted) qb.withDeleted();
  const param = levelsParam(alias);
  const entity = qb.expressionMap.mainAlias?.metadata.name ?? '';
  return qb.andWhere(visibleCondition(entity, alias, param, { deleted: false, deletedLinks: withDeleted }), { [param]: viewer.readableLevels });
}

/** The parameter name onlyVisible binds the viewer's readable levels to, for `alias`. */
export function levelsParam(alias: string): string {
  return `visible_levels_${alias}`;
}
