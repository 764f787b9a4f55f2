import { Column } from 'typeorm';
import { textMatchSql } from '../access/record-visibility';
import { Viewer } from '../access/viewer';

/** The text search configuration: English stemming ("detained" finds "detention"'s stem
 * "detain"). Reports in other languages still match on exact words. */
export const SEARCH_CONFIG = 'english';

/** SQL of a weighted document over text columns: A weighs more than B in ranking. */
export function searchDocumentSql(parts: [column: string, weight: 'A' | 'B' | 'C'][]): string {
  return parts.map(([column, weight]) => `setweight(to_tsvector('${SEARCH_CONFIG}', coalesce(${column}, '')), '${weight}')`).join(' || ');
}

/** A stored, generated tsvector column (GIN-indexed by the entity): PostgreSQL keeps it current
 * however the row is written. Never selected into entities. */
export function SearchVectorColumn(parts: [column: string, weight: 'A' | 'B' | 'C'][]): PropertyDecorator {
  return Column({
    type: 'tsvector',
    nullable: true,
    generatedType: 'STORED',
    asExpression: searchDocumentSql(parts),
    insert: false,
    update: false,
    select: false,
  });
}

/** SQL of the query for the bound parameter `param`: web-search syntax, never a syntax error. */
export function searchQuerySql(param: string): string {
  return `websearch_to_tsquery('${SEARCH_CONFIG}', :${param})`;
}

/** SQL: the row `alias` matches the search bound to `param`, in the search index of the viewer's
 * clearance (textMatchSql). Every full-text match is written with this, so no search reads a row
 * above the viewer's level. The caller still applies the visibility rule. */
export function searchMatchSql(alias: string, viewer: Viewer, param = 'search'): string {
  return textMatchSql(alias, 'search_vector', `@@ ${searchQuerySql(param)}`, viewer);
}
