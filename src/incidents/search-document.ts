import { AccessLevel } from '../access/access-level';
import { Viewer } from '../access/viewer';

/**
 * The incidents' search documents (migration IncidentSearchDocument; docs/research.md, "Search"):
 * one row per incident and clearance, in a table per clearance, holding the incident's own search
 * vector and, with the lowest weight (D), those of the citations that clearance may read (not
 * deleted, at a level it reads, quoting a source neither deleted nor above it). A clearance's table
 * holds only the incidents it may see (editors': deleted ones too, for includeDeleted), so a hidden
 * record's text is in no row, index or statistic that a lower clearance's search reads. Kept current
 * in every writing transaction by statement-level triggers on incident, citation and source.
 */
const TABLES: Record<AccessLevel, string> = {
  [AccessLevel.PUBLIC]: 'incident_document_public',
  [AccessLevel.RESTRICTED]: 'incident_document_restricted',
  [AccessLevel.CONFIDENTIAL]: 'incident_document_confidential',
};

/** The search documents of the viewer's clearance. */
export function searchDocumentTable(viewer: Viewer): string {
  return TABLES[viewer.clearance];
}

/** Whether the viewer's clearance's documents hold deleted incidents too (editors', for
 * includeDeleted): a search that must stop early then leaves them out itself. */
export function searchDocumentsHoldDeleted(viewer: Viewer): boolean {
  return viewer.clearance === AccessLevel.CONFIDENTIAL;
}

/** The part of a document `d` that is the incident's own text: its headline and description, in
 * every language it has (weights A and B; its kind's terms and its citations' text have D). An
 * incident whose own text matches ranks above one found only through its kind, its sources or its
 * place (docs/research.md, "Search"); an index of each table on this expression finds them first. */
export const OWN_TEXT = (alias: string) => `ts_filter(${alias}.document, '{a,b}')`;

/** Every table of search documents (tests, rebuild checks). */
export const SEARCH_DOCUMENT_TABLES: readonly string[] = Object.values(TABLES);

/** The triggers that keep the documents current. */
export const SEARCH_DOCUMENT_TRIGGERS: readonly { table: string; name: string }[] = [
  ...['incident', 'citation'].flatMap((table) => ['insert', 'update', 'delete'].map((event) => ({ table, name: `incident_document_${event}` }))),
  { table: 'source', name: 'incident_document_update' },
];

/** Fills the documents from the tables: after a bulk load that ran with the triggers off. */
export const REBUILD_SEARCH_DOCUMENTS_SQL = 'SELECT incident_document_rebuild()';

/** For the rest of the transaction, the incidents whose documents are due are recorded instead of
 * rewritten after each statement; they are rewritten at the latest when it commits (migration
 * DeferredSearchDocuments). For a bulk write in one transaction (the import). */
export const DEFER_SEARCH_DOCUMENTS_SQL = 'SELECT incident_document_defer()';

/** Rewrites the documents recorded since DEFER_SEARCH_DOCUMENTS_SQL, set-based, in the caller's
 * transaction (what COMMIT would otherwise do). */
export const REFRESH_DEFERRED_SEARCH_DOCUMENTS_SQL = 'SELECT incident_document_refresh_deferred()';
