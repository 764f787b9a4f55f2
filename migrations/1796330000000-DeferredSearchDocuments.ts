import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search documents refreshed once per transaction for a bulk write (the import; bench/README.md,
 * "Round 3 (issue 18): import"): the triggers of IncidentSearchDocument rewrote an incident's three
 * documents after every statement that touched it, which the import's statements of 1,000 records
 * did twice per incident (after its incidents' chunk, and again after its citations').
 *
 * `incident_document_defer()` makes the rest of the calling transaction record the incidents whose
 * documents are due (in a temporary table, dropped at commit) instead of rewriting them, and arms a
 * deferred constraint trigger that rewrites them all at COMMIT, before the transaction's writes
 * become visible: a transaction cannot commit with stale documents, whoever turned the deferral on
 * and whether or not it called `incident_document_refresh_deferred()` (the import does, to time it
 * and to write them before its last checks). The setting lasts for the transaction only
 * (set_config's is_local), and so do the tables: nothing is left on for the connection's next user.
 * Set any other way (a session's SET), the deferral finds no table to record into and the write
 * fails: never silently stale.
 *
 * The body that rewrites documents is unchanged; it is renamed `incident_document_write` and the
 * triggers' `incident_document_refresh` chooses between it and recording.
 */
/** Each clearance's table, the levels it reads, and whether it holds deleted incidents: as in
 * IncidentSearchDocument (copied, so the migration stays what it was). */
const CLEARANCES: { table: string; levels: string[]; deletedIncidents: boolean }[] = [
  { table: 'incident_document_public', levels: ['PUBLIC'], deletedIncidents: false },
  { table: 'incident_document_restricted', levels: ['PUBLIC', 'RESTRICTED'], deletedIncidents: false },
  { table: 'incident_document_confidential', levels: ['PUBLIC', 'RESTRICTED', 'CONFIDENTIAL'], deletedIncidents: true },
];
const inLevels = (column: string, levels: string[]) => `${column} IN (${levels.map((l) => `'${l}'`).join(', ')})`;

/** The documents of many incidents at once, equal to incident_document_write's (a rebuild's):
 * their citations read once, grouped by incident, each clearance's part an aggregate FILTERed by
 * the visibility rule IncidentSearchDocument's documentRows applies per incident (the citation not
 * deleted and at a level the clearance reads, its source, when it has one, neither deleted nor
 * above it), instead of three correlated subqueries per incident. The INSERTs in WITH run whether
 * or not the last statement reads them. */
const WRITE_MANY = `
        PERFORM pg_advisory_xact_lock(hashtext('incident_document'));
        ${CLEARANCES.map((c) => `DELETE FROM ${c.table} WHERE incident_id = ANY(incidents);`).join('\n        ')}
        WITH cited AS (
          SELECT c.incident_id,
            ${CLEARANCES.map(
              (c, k) => `setweight(vigil_tsvector_agg(c.search_vector ORDER BY c.id) FILTER (WHERE ${inLevels('c.confidentiality', c.levels)}
              AND (s.id IS NULL OR (s.deleted_at IS NULL AND ${inLevels('s.confidentiality', c.levels)}))), 'D') AS cited_${k}`,
            ).join(',\n            ')}
          FROM citation c LEFT JOIN source s ON s.id = c.source_id
          WHERE c.incident_id = ANY(incidents) AND c.deleted_at IS NULL AND c.search_vector IS NOT NULL
          GROUP BY c.incident_id),
        due AS (
          SELECT i.id, i.region_code, i.confidentiality, i.deleted_at, coalesce(i.search_vector, ''::tsvector) AS own,
            ${CLEARANCES.map((_c, k) => `x.cited_${k}`).join(', ')}
          FROM incident i LEFT JOIN cited x ON x.incident_id = i.id WHERE i.id = ANY(incidents)),
        ${CLEARANCES.slice(0, -1)
          .map(
            (c, k) => `written_${k} AS (INSERT INTO ${c.table} (incident_id, region_code, document)
          SELECT id, region_code, own || coalesce(cited_${k}, ''::tsvector) FROM due
           WHERE ${c.deletedIncidents ? '' : 'deleted_at IS NULL AND '}${inLevels('confidentiality', c.levels)})`,
          )
          .join(',\n        ')}
        INSERT INTO ${CLEARANCES[2].table} (incident_id, region_code, document)
          SELECT id, region_code, own || coalesce(cited_2, ''::tsvector) FROM due
           WHERE ${CLEARANCES[2].deletedIncidents ? '' : 'deleted_at IS NULL AND '}${inLevels('confidentiality', CLEARANCES[2].levels)};`;

export class DeferredSearchDocuments1796330000000 implements MigrationInterface {
  name = 'DeferredSearchDocuments1796330000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION "incident_document_refresh"(uuid[]) RENAME TO "incident_document_write"`);
    await queryRunner.query(`CREATE FUNCTION "incident_document_refresh"(incidents uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(incidents) = 0 THEN RETURN; END IF;
        IF current_setting('vigil.defer_search_documents', true) = 'on' THEN
          INSERT INTO pg_temp.incident_document_deferred (incident_id) SELECT DISTINCT x FROM unnest(incidents) x ON CONFLICT DO NOTHING;
          RETURN;
        END IF;
        PERFORM incident_document_write(incidents);
      END $$`);

    await queryRunner.query(`CREATE FUNCTION "incident_document_write_many"(incidents uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(incidents) = 0 THEN RETURN; END IF;${WRITE_MANY}
      END $$`);

    // Rewrites the documents recorded so far in this transaction (none: nothing to do).
    await queryRunner.query(`CREATE FUNCTION "incident_document_refresh_deferred"() RETURNS void LANGUAGE plpgsql AS $$
      DECLARE due uuid[];
      BEGIN
        IF to_regclass('pg_temp.incident_document_deferred') IS NULL THEN RETURN; END IF;
        due := ARRAY(SELECT incident_id FROM pg_temp.incident_document_deferred ORDER BY incident_id);
        DELETE FROM pg_temp.incident_document_deferred;
        PERFORM incident_document_write_many(due);
      END $$`);
    await queryRunner.query(`CREATE FUNCTION "incident_document_deferred_commit"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM incident_document_refresh_deferred();
        RETURN NULL;
      END $$`);

    await queryRunner.query(`CREATE FUNCTION "incident_document_defer"() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF to_regclass('pg_temp.incident_document_deferral') IS NOT NULL THEN RETURN; END IF;
        CREATE TEMP TABLE incident_document_deferred (incident_id uuid PRIMARY KEY) ON COMMIT DROP;
        CREATE TEMP TABLE incident_document_deferral (armed boolean NOT NULL) ON COMMIT DROP;
        CREATE CONSTRAINT TRIGGER incident_document_deferral AFTER INSERT ON pg_temp.incident_document_deferral
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION incident_document_deferred_commit();
        INSERT INTO pg_temp.incident_document_deferral VALUES (true);
        PERFORM set_config('vigil.defer_search_documents', 'on', true);
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION "incident_document_defer"()');
    await queryRunner.query('DROP FUNCTION "incident_document_deferred_commit"()');
    await queryRunner.query('DROP FUNCTION "incident_document_refresh_deferred"()');
    await queryRunner.query('DROP FUNCTION "incident_document_write_many"(uuid[])');
    await queryRunner.query('DROP FUNCTION "incident_document_refresh"(uuid[])');
    await queryRunner.query(`ALTER FUNCTION "incident_document_write"(uuid[]) RENAME TO "incident_document_refresh"`);
  }
}
