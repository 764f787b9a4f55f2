import { Index, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ACCESS_LEVEL_ORDER, AccessLevel, rank } from './access-level';
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
    /** A reference column the query only keeps rows with (it filters on it, e.g. the citations of
     * some incidents). It is still checked; for a citation, whose CHECK allows one subject, the
     * other subject columns are then null, and their (vacuous) checks are left out. */
    referenceSet?: string;
  } = {},
): string {
  if (!TABLE_OF[entity]) throw new Error(`No visibility rule for ${entity}`);
  const parts = [`${alias}.confidentiality IN (:...${levelsParam})`];
  if (options.deleted !== false) parts.unshift(`${alias}.deleted_at IS NULL`);
  const otherSubject = (column: string, set: string | undefined) =>
    entity === 'Citation' && set !== undefined && SUBJECT_COLUMNS.includes(set) && SUBJECT_COLUMNS.includes(column) && column !== set;
  const dependencies = (DEPENDS_ON[entity] ?? []).filter(
    (d) =>
      (!options.reachedBy || (d.column !== options.reachedBy && !(entity === 'Citation' && SUBJECT_COLUMNS.includes(d.column)))) &&
      !otherSubject(d.column, options.referenceSet),
  );
  parts.push(...dependencyChecks(dependencies, alias, (level) => `${level} IN (:...${levelsParam})`, !options.deletedLinks));
  return parts.join(' AND ');
}

/** One condition per dependency: the reference is null, or the record it names is at a level
 * `readable` accepts (and, with `notDeleted`, not deleted). Written as "no such record that is
 * not": a NOT EXISTS is an anti-join PostgreSQL plans by cost (an index probe per row for a page,
 * a hash for an export), where `IS NULL OR EXISTS` left it a hashed subplan that read the whole
 * linked table for every statement (all sources, for a search that matched a thousand citations).
 * The same rows, because every reference is a foreign key: it names a record that exists (tested
 * in test/access/record-access.e2e-spec.ts). */
function dependencyChecks(dependencies: readonly Dependency[], alias: string, readable: (level: string) => string, notDeleted: boolean): string[] {
  return dependencies.map((d, i) => {
    const dep = `${alias}_dep${i}`;
    // IS NOT TRUE: a level the check cannot read (NULL) counts as hidden, as it did in the EXISTS form.
    const unreadable = `(${readable(`${dep}.confidentiality`)}) IS NOT TRUE`;
    const hidden = notDeleted ? `(${dep}.deleted_at IS NOT NULL OR ${unreadable})` : unreadable;
    return `NOT EXISTS (SELECT 1 FROM ${d.table} ${dep} WHERE ${dep}.id = ${alias}.${d.column} AND ${hidden})`;
  });
}

/** The dependency checks of visibleCondition on confidentiality alone: every record the row
 * `alias` of `entity` links or quotes is at a level `readable` accepts (`readable` turns a
 * confidentiality column into SQL, such as `c::text = ANY($2)`); whether they are
 * deleted is not looked at. `TRUE` for an entity that links nothing. For asking whether a viewer
 * could see a record that is deleted now (removedSince): its own level is the caller's check. */
export function linkedLevelsCondition(entity: string, alias: string, readable: (level: string) => string): string {
  if (!TABLE_OF[entity]) throw new Error(`No visibility rule for ${entity}`);
  const checks = dependencyChecks(DEPENDS_ON[entity] ?? [], alias, readable, false);
  return checks.length ? checks.join(' AND ') : 'TRUE';
}

/** SQL expressions for the confidentiality of each record the row `alias` of `entity` links or
 * quotes (NULL for an unused reference), deleted or not: with the row's own, what it takes to see
 * it (a purge logs its removals at that level). Empty for an entity that links nothing. */
export function linkedLevelExpressions(entity: string, alias: string): string[] {
  if (!TABLE_OF[entity]) throw new Error(`No visibility rule for ${entity}`);
  return (DEPENDS_ON[entity] ?? []).map(
    (d, i) => `(SELECT ${alias}_lvl${i}.confidentiality FROM ${d.table} ${alias}_lvl${i} WHERE ${alias}_lvl${i}.id = ${alias}.${d.column})`,
  );
}

/** SQL for the least clearance that may see the row `alias` of `entity` as it stands: the highest of
 * its confidentiality and that of every record it links or quotes, and the top level (editors,
 * who ask for deleted records) while it or one of them is deleted. Read around every write
 * (src/editing/editing.service.ts) for the change stamps and the removal feed. */
export function leastClearanceSql(entity: string, alias: string): string {
  if (!TABLE_OF[entity]) throw new Error(`No visibility rule for ${entity}`);
  const top = `'${ACCESS_LEVEL_ORDER.at(-1)}'::confidentiality`;
  const levels = [
    `${alias}.confidentiality`,
    ...(DEPENDS_ON[entity] ?? []).map(
      (d, i) =>
        `(SELECT CASE WHEN ${alias}_sees${i}.deleted_at IS NULL THEN ${alias}_sees${i}.confidentiality ELSE ${top} END ` +
        `FROM ${d.table} ${alias}_sees${i} WHERE ${alias}_sees${i}.id = ${alias}.${d.column})`,
    ),
  ];
  return `CASE WHEN ${alias}.deleted_at IS NULL THEN GREATEST(${levels.join(', ')}) ELSE ${top} END`;
}

/** The records whose visibility depends on a record of `entity` (a citation on its source, a link
 * on either end): by entity name, with the column that refers to it. */
export function dependentsOf(entity: string): { entity: string; table: string; column: string }[] {
  const table = TABLE_OF[entity];
  return Object.entries(DEPENDS_ON).flatMap(([dependent, dependencies]) =>
    dependencies.filter((d) => d.table === table).map((d) => ({ entity: dependent, table: TABLE_OF[dependent], column: d.column })),
  );
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
  options: { includeDeleted?: boolean | null; referenceSet?: string } = {},
): SelectQueryBuilder<T> {
  const withDeleted = readsDeleted(viewer, options.includeDeleted);
  if (withDeleted) qb.withDeleted();
  const param = levelsParam(alias);
  const entity = qb.expressionMap.mainAlias?.metadata.name ?? '';
  return qb.andWhere(visibleCondition(entity, alias, param, { deleted: false, deletedLinks: withDeleted, referenceSet: options.referenceSet }), {
    [param]: viewer.readableLevels,
  });
}

/** Whether a list shows deleted records: asked for (includeDeleted) by a viewer who may. Deleted
 * records are for editors (the includeDeleted filter field is declared CONFIDENTIAL and refused to
 * others before this runs; checked again here). */
export function readsDeleted(viewer: Viewer, includeDeleted: boolean | null | undefined): boolean {
  return Boolean(includeDeleted) && viewer.mayRead(AccessLevel.CONFIDENTIAL);
}

/** The parameter name onlyVisible binds the viewer's readable levels to, for `alias`. */
export function levelsParam(alias: string): string {
  return `visible_levels_${alias}`;
}

/** The rows a viewer's clearance reads by their own level, as literal SQL over `alias`: not deleted,
 * at a level the clearance reads. Editors and admins read every level, deleted rows too
 * (includeDeleted): TRUE. It narrows, never widens: the visibility rule (onlyVisible,
 * visibleCondition) still applies, links included. Literals, not parameters: the expression must
 * be the per-clearance indexes' own in any plan, generic ones too. */
export function clearanceScope(alias: string, viewer: Viewer): string {
  switch (viewer.clearance) {
    case AccessLevel.PUBLIC:
      return `(${alias}.deleted_at IS NULL AND ${alias}.confidentiality = 'PUBLIC')`;
    case AccessLevel.RESTRICTED:
      return `(${alias}.deleted_at IS NULL AND ${alias}.confidentiality IN ('PUBLIC', 'RESTRICTED'))`;
    default:
      return 'TRUE';
  }
}

/** SQL: the text `column` of row `alias` matches `operand` (`@@ query`, `ILIKE :pattern`), as the
 * viewer's clearance sees the column: `CASE WHEN <scope> THEN column END`, null for a row above the
 * clearance or deleted. Each clearance has a GIN index on exactly that expression (migration
 * ClearanceIndexes), so:
 * - a search looks its matches up there, where a hidden row is a null no search reads;
 * - no other index can serve the expression (the full one, on the bare column, is the editors');
 * - PostgreSQL's statistics of the expression, which estimate how many rows match and so choose
 *   the plan, see hidden rows as nulls: what they say cannot change the plan.
 * Hidden matches then cost a viewer nothing (docs/access.md, "Timing"). */
export function textMatchSql(alias: string, column: string, operand: string, viewer: Viewer): string {
  const scope = clearanceScope(alias, viewer);
  return scope === 'TRUE' ? `${alias}.${column} ${operand}` : `(CASE WHEN ${scope} THEN ${alias}.${column} END) ${operand}`;
}

/** Declares the per-clearance text indexes `<name>_public` and `<name>_restricted` beside a text
 * index `<name>` (created by the ClearanceIndexes migration: TypeORM cannot declare them). */
export function ClearanceIndexes(name: string): ClassDecorator {
  return (target) => {
    for (const level of ['public', 'restricted']) Index(`${name}_${level}`, { synchronize: false })(target);
  };
}

/** The visibility rule over rows of a rollup that keep, beside what they count, the level of every
 * record that decides whether the count is visible (`columns.levels`: an incident's own; a link's,
 * the higher of its own and its response's) and whether it is deleted (`columns.deleted`, null when
 * the rollup keeps only live rows). The same answer as onlyVisible and visibleCondition over the records it
 * counts (src/incidents/incidents.service.ts, stats; tested against them): at a level the viewer
 * reads, deleted only for an editor's includeDeleted. Literals, like clearanceScope: they come
 * from the viewer, never from input, and make the rollup's index (led by the levels) serve the
 * plan, so rows above the viewer's clearance are never read. */
export function rollupVisibleCondition(
  alias: string,
  columns: { levels: string[]; deleted: string | null },
  viewer: Viewer,
  options: { includeDeleted?: boolean | null } = {},
): string {
  const levels = viewer.readableLevels.map((level) => `'${ACCESS_LEVEL_ORDER[rank(level)]}'`).join(', ');
  const parts = columns.levels.map((column) => `${alias}.${column} IN (${levels})`);
  const withDeleted = Boolean(options.includeDeleted) && viewer.mayRead(AccessLevel.CONFIDENTIAL);
  if (columns.deleted && !withDeleted) parts.push(`${alias}.${columns.deleted} = false`);
  return parts.join(' AND ');
}
